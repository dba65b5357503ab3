from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

from ..models.lco_access_log import RETENTION_DEFAULT, RETENTION_PARAM
from ..models.lco_postcode_route import DEFAULT_COMPANY_PARAM
from ..tools.config_param import check_log_months, int_param


class LcoSettings(models.TransientModel):
    """The client consultation settings, for its managers.

    The general Settings are for system administrators only; the LCO manager
    sets these here, for his organisation, and the routing of requests.
    """

    _name = "lco.settings"
    _description = "Client Consultation Settings"

    company_id = fields.Many2one(
        "res.company",
        "Organisation",
        required=True,
        readonly=True,
        default=lambda self: self.env.company,
    )
    code = fields.Char(
        "Organisation Code",
        required=True,
        help="In the numbers of its new cases and requests (LCO/HEI/2026/0001); "
        "numbers already given keep theirs.",
    )
    block_unprepared_meetings = fields.Boolean(
        "Block Scheduling of Unprepared Meetings",
        help="Without the client's consent, a pivot figure and a complete "
        "preparation checklist, a meeting cannot be scheduled. When unticked, the "
        "coordinator is warned and may schedule it anyway.",
    )
    consent_warn_only = fields.Boolean(
        "Schedule Meetings without Consent",
        help="Without the client's consent, a meeting cannot be scheduled. When "
        "ticked, the coordinator is only warned.",
    )
    consent_validity_months = fields.Integer(
        "Consent Validity (Months)",
        help="How long a consent holds from the day it was given, unless it says "
        "otherwise (0: until withdrawn).",
    )
    agreement_reminder_days = fields.Integer(
        "Agreement Reminder",
        help="How many days before its deadline the person responsible for an "
        "open agreement gets a reminder by e-mail (0: no reminders).",
    )
    access_log_retention_months = fields.Integer(
        "Keep the Access Log (Months)",
        help="Who opened, printed or exported which record is kept this many "
        "months, then forgotten.",
    )
    retention_months = fields.Integer(
        "Anonymise Closed Cases After",
        help="A closed or cancelled case, with its meetings, agreements, consents "
        "and request, is anonymised this many months after it was closed: only "
        "numbers, dates, states, life domains and roles stay (0: never).",
    )
    request_retention_months = fields.Integer(
        "Anonymise Declined Requests After",
        help="A request that was declined or redirected is anonymised this many "
        "months after the decision (0: never).",
    )
    request_default_company_id = fields.Many2one(
        "res.company",
        "Organisation for Unrouted Requests",
        domain=lambda self: [("id", "in", self.env.user.company_ids.ids)],
        help="Requests whose postcode is not in the routing table go to this "
        "organisation, flagged for its coordinators to forward.",
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        company = self.env.company
        # sudo: only system administrators read parameters; this one is the
        # routing setting this window shows.
        params = self.env["ir.config_parameter"].sudo()
        default_company = (
            self.env["res.company"]
            .sudo()
            .browse(int(params.get_param(DEFAULT_COMPANY_PARAM) or 0))
            .exists()
        )
        current = {
            "company_id": company.id,
            "code": company.lco_code,
            "block_unprepared_meetings": company.lco_block_unprepared_meetings,
            "agreement_reminder_days": company.lco_agreement_reminder_days,
            "consent_warn_only": company.lco_consent_warn_only,
            "consent_validity_months": company.lco_consent_validity_months,
            "retention_months": company.lco_retention_months,
            "request_retention_months": company.lco_request_retention_months,
            "request_default_company_id": default_company.id,
            "access_log_retention_months": int_param(
                self.env, RETENTION_PARAM, RETENTION_DEFAULT
            ),
        }
        values.update(
            {name: value for name, value in current.items() if name in fields_list}
        )
        return values

    def execute(self):
        """Save the settings: the organisation's own, and the routing's."""
        self.ensure_one()
        user = self.env.user
        if not user.has_group("lco_module.group_lco_manager"):
            raise AccessError(
                self.env._(
                    "Only a manager of the client consultation changes its settings."
                )
            )
        if self.company_id not in user.company_ids:
            raise AccessError(
                self.env._(
                    "You change the settings of your own organisations only: switch "
                    "to %s first.",
                    self.company_id.name,
                )
            )
        if self.consent_validity_months < 0:
            raise ValidationError(
                self.env._(
                    "A consent holds a number of months, or until withdrawn (0): "
                    "that number cannot be negative."
                )
            )
        check_log_months(self.env, self.access_log_retention_months)
        # sudo: only system administrators write parameters and companies; the
        # manager sets these settings of his own organisation (checked above).
        params = self.env["ir.config_parameter"].sudo()
        default_company = self.request_default_company_id
        if (
            str(default_company.id) != (params.get_param(DEFAULT_COMPANY_PARAM) or "")
            and default_company
            and default_company not in user.company_ids
        ):
            raise AccessError(
                self.env._(
                    "Send unrouted requests to one of your own organisations: you "
                    "cannot work in %s.",
                    default_company.name,
                )
            )
        self.company_id.sudo().write(
            {
                "lco_code": self.code,
                "lco_block_unprepared_meetings": self.block_unprepared_meetings,
                "lco_agreement_reminder_days": self.agreement_reminder_days,
                "lco_consent_warn_only": self.consent_warn_only,
                "lco_consent_validity_months": self.consent_validity_months,
                "lco_retention_months": self.retention_months,
                "lco_request_retention_months": self.request_retention_months,
            }
        )
        params.set_param(RETENTION_PARAM, self.access_log_retention_months)
        params.set_param(DEFAULT_COMPANY_PARAM, default_company.id or False)
        return {"type": "ir.actions.client", "tag": "reload"}
