from odoo import api, fields, models


class LcoAgendaItem(models.Model):
    _name = "lco.agenda.item"
    _description = "Agenda Item"
    _order = "meeting_id, sequence, id"
    _check_company_auto = True

    meeting_id = fields.Many2one(
        "lco.meeting", required=True, index=True, ondelete="cascade"
    )
    case_id = fields.Many2one(
        related="meeting_id.case_id",
        store=True,
        index=True,
        precompute=True,
        # Deleting a case deletes its meetings with their agenda and attendance;
        # "set null" here would make PostgreSQL refuse to delete the case.
        ondelete="cascade",
    )
    company_id = fields.Many2one(
        related="meeting_id.company_id", store=True, index=True, precompute=True
    )
    sequence = fields.Integer(default=10)
    name = fields.Char("Topic", required=True)
    proposed_by_id = fields.Many2one(
        "lco.participant",
        check_company=True,
        domain="[('case_id', '=', case_id)]",
    )
    life_domain_id = fields.Many2one("lco.life.domain")
    summary = fields.Text(help="The discussion in short.")

    @api.constrains("proposed_by_id", "meeting_id")
    def _check_proposer_case(self):
        for item in self:
            item.proposed_by_id._check_takes_part_in(item.case_id)
