from odoo import api, fields, models
from odoo.exceptions import AccessError

# What the person responsible for an agreement may report on it himself.
RESPONSIBLE_FIELDS = {"state", "outcome_note"}


class LcoAgreement(models.Model):
    _name = "lco.agreement"
    _description = "Agreement"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "deadline, id"
    _mail_post_access = "read"
    _check_company_auto = True

    name = fields.Char("Agreement", required=True, tracking=True)
    case_id = fields.Many2one(
        "lco.case",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one(
        related="case_id.company_id", store=True, index=True, precompute=True
    )
    client_id = fields.Many2one(related="case_id.client_id")
    meeting_id = fields.Many2one(
        "lco.meeting",
        "Agreed in Meeting",
        index="btree_not_null",
        ondelete="set null",
        check_company=True,
        domain="[('case_id', '=', case_id)]",
    )
    responsible_id = fields.Many2one(
        "lco.participant",
        "Who",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
        tracking=True,
        domain="[('case_id', '=', case_id)]",
    )
    responsible_partner_id = fields.Many2one(
        related="responsible_id.partner_id", store=True, index=True, string="Person"
    )
    responsible_user_id = fields.Many2one(
        related="responsible_id.user_id", store=True, string="Responsible Internal User"
    )
    deadline = fields.Date("By When", index=True, tracking=True)
    life_domain_id = fields.Many2one("lco.life.domain", index=True)
    state = fields.Selection(
        [
            ("open", "Open"),
            ("done", "Done"),
            ("not_done", "Not Done"),
            ("cancelled", "Cancelled"),
            ("on_hold", "On Hold"),
        ],
        "Status",
        required=True,
        default="open",
        index=True,
        tracking=True,
    )
    outcome_note = fields.Text("How It Went")
    evaluation_meeting_id = fields.Many2one(
        "lco.meeting",
        "Evaluated in Meeting",
        index="btree_not_null",
        ondelete="set null",
        check_company=True,
        domain="[('case_id', '=', case_id)]",
    )

    @api.constrains("responsible_id", "case_id")
    def _check_responsible_case(self):
        for agreement in self:
            agreement.responsible_id._check_takes_part_in(agreement.case_id)

    def write(self, vals):
        if not self.env.su and set(vals) - RESPONSIBLE_FIELDS:
            self._check_may_edit_terms()
        return super().write(vals)

    def _check_may_edit_terms(self):
        """What, who and by when are agreed in the meeting: only the case's
        coordinator or a manager changes them, the responsible reports progress."""
        if self.env.user.has_group("lco_module.group_lco_manager"):
            return
        foreign = self.filtered(lambda a: a.case_id.coordinator_id != self.env.user)
        if foreign:
            raise AccessError(
                self.env._(
                    "Only the coordinator of the case changes what was agreed; you "
                    "can update the status and how it went."
                )
            )
