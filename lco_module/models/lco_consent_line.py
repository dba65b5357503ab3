from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class LcoConsentLine(models.Model):
    """One participant a consent covers, and how much of the reports he gets."""

    _name = "lco.consent.line"
    _description = "Participant Covered by a Consent"
    _inherit = ["lco.checked.input"]
    _lco_fixed_fields = ("consent_id",)
    _order = "consent_id, id"
    _check_company_auto = True

    consent_id = fields.Many2one(
        "lco.consent", required=True, index=True, ondelete="cascade"
    )
    case_id = fields.Many2one(related="consent_id.case_id", store=True, index=True)
    company_id = fields.Many2one(
        related="consent_id.company_id", store=True, index=True, precompute=True
    )
    participant_id = fields.Many2one(
        "lco.participant",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        domain="[('case_id', '=', case_id), ('role', '!=', 'client')]",
    )
    partner_id = fields.Many2one(related="participant_id.partner_id", string="Person")
    role = fields.Selection(related="participant_id.role")
    scope = fields.Selection(
        [("full", "Full Report"), ("work_plan", "Work Plan Only")],
        "Receives",
        required=True,
        default="full",
    )

    _sql_constraints = [
        (
            "consent_participant_uniq",
            "unique(consent_id, participant_id)",
            "A consent covers a participant once.",
        ),
    ]

    @api.constrains("consent_id", "participant_id")
    def _check_same_case(self):
        for line in self:
            if line.participant_id.case_id != line.consent_id.case_id:
                raise ValidationError(
                    self.env._("A consent covers participants of its own case only.")
                )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._check_requested()
        return lines

    def write(self, vals):
        self._check_requested()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_given(self):
        self._check_requested()

    def _check_requested(self):
        if self.env.su:
            return
        if any(line.consent_id.state != "requested" for line in self):
            raise UserError(
                self.env._(
                    "A given consent is not changed: record a new consent that "
                    "replaces it, or withdraw it."
                )
            )
