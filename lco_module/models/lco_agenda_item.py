from odoo import api, fields, models

from .portal_rules import REPORT_VISIBILITY, REPORT_VISIBILITY_HELP


class LcoAgendaItem(models.Model):
    _name = "lco.agenda.item"
    _description = "Agenda Item"
    # What the access log records a read of (lco.access.logged).
    _lco_logged_fields = ("name", "summary")
    _inherit = ["lco.meeting.line.mixin", "lco.access.logged"]
    _order = "meeting_id, sequence, id"
    _calendar_fields = ("name", "sequence", "report_visibility")

    sequence = fields.Integer(default=10)
    name = fields.Char("Topic", required=True)
    # The agenda goes with every invitation: shared by default.
    report_visibility = fields.Selection(
        REPORT_VISIBILITY,
        "Who Reads It",
        required=True,
        default="table",
        help=REPORT_VISIBILITY_HELP,
    )
    proposed_by_id = fields.Many2one(
        "lco.participant",
        compute="_compute_proposed_by_id",
        store=True,
        readonly=False,
        precompute=True,
        check_company=True,
        domain="[('case_id', '=', case_id)]",
        help="Who put this topic on the agenda. The agenda is drawn up with the "
        "client, so a new topic starts as his.",
    )
    proposer_role = fields.Selection(related="proposed_by_id.role")
    life_domain_id = fields.Many2one("lco.life.domain")
    summary = fields.Text(help="The discussion in short.")

    @api.depends("meeting_id")
    def _compute_proposed_by_id(self):
        for item in self.filtered(lambda i: not i.proposed_by_id):
            item.proposed_by_id = item.case_id.participant_ids.filtered(
                lambda p: p.role == "client"
            )[:1]

    @api.constrains("proposed_by_id", "meeting_id")
    def _check_proposer_case(self):
        for item in self:
            item.proposed_by_id._check_takes_part_in(item.case_id)
