from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .lco_postcode_route import DEFAULT_COMPANY_PARAM


class ResCompany(models.Model):
    _inherit = "res.company"

    lco_block_unprepared_meetings = fields.Boolean(
        "Block Scheduling of Unprepared Meetings",
        help="Without the client's consent, a pivot figure and a complete "
        "preparation checklist, a meeting cannot be scheduled. When unticked, the "
        "coordinator is warned and may schedule it anyway.",
    )
    lco_consent_warn_only = fields.Boolean(
        "Schedule Meetings without Consent",
        help="Without the client's consent, a meeting cannot be scheduled. When "
        "ticked, the coordinator is only warned.",
    )
    lco_consent_validity_months = fields.Integer(
        "Consent Validity (Months)",
        default=12,
        help="How long a consent holds from the day it was given, unless it says "
        "otherwise (0: until withdrawn).",
    )
    lco_agreement_reminder_days = fields.Integer(
        "Agreement Reminder",
        default=3,
        help="How many days before its deadline the person responsible for an "
        "open agreement gets a reminder by e-mail (0: no reminders).",
    )

    lco_retention_months = fields.Integer(
        "Anonymise Closed Cases After (Months)",
        default=60,
        help="A closed or cancelled case, with its meetings, agreements, consents "
        "and request, is anonymised this many months after it was closed: only "
        "numbers, dates, states, life domains and roles stay (0: never).",
    )
    lco_request_retention_months = fields.Integer(
        "Anonymise Declined Requests After (Months)",
        default=12,
        help="A request that was declined or redirected is anonymised this many "
        "months after the decision (0: never).",
    )

    @api.constrains("lco_agreement_reminder_days")
    def _check_lco_agreement_reminder_days(self):
        if any(company.lco_agreement_reminder_days < 0 for company in self):
            raise ValidationError(
                self.env._(
                    "Reminders are sent a number of days before the deadline: "
                    "that number cannot be negative."
                )
            )

    @api.constrains("lco_retention_months", "lco_request_retention_months")
    def _check_lco_retention_months(self):
        if any(
            company.lco_retention_months < 0 or company.lco_request_retention_months < 0
            for company in self
        ):
            raise ValidationError(
                self.env._(
                    "Cases and requests are anonymised a number of months after they "
                    "end, or never (0): that number cannot be negative."
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies._create_lco_case_sequence()
        return companies

    def _lco_lang(self, default=None):
        """The language of the organisation's system messages and default
        documents: that of its contact (Settings: Language of the
        Organisation), else ``default``, else the current one."""
        # sudo: only the language of the organisation's own contact is read,
        # which a portal user who triggers a notice may not read himself.
        return self[:1].sudo().partner_id.lang or default or self.env.lang

    def unlink(self):
        """A deleted company takes its case numbering along, and stops being
        the organisation unrouted requests go to."""
        # sudo: whoever may delete a company may drop what was made for it
        # (its sequence, a system setting naming it); only these records.
        self.env["ir.sequence"].sudo().search(
            [("code", "=", "lco.case"), ("company_id", "in", self.ids)]
        ).unlink()
        params = self.env["ir.config_parameter"].sudo()
        if params.get_param(DEFAULT_COMPANY_PARAM) in {str(cid) for cid in self.ids}:
            params.set_param(DEFAULT_COMPANY_PARAM, False)
        return super().unlink()

    def _create_lco_case_sequence(self):
        """Give every company its own case numbering (LCO/2026/0001, ...)."""
        # sudo: whoever may create a company may give it its numbering; only
        # system administrators may create sequences themselves.
        sequences = self.env["ir.sequence"].sudo()
        numbered = sequences.search(
            [("code", "=", "lco.case"), ("company_id", "in", self.ids)]
        ).company_id
        sequences.create(
            [
                {
                    "name": self.env._("Client consultation cases of %s", company.name),
                    "code": "lco.case",
                    "prefix": "LCO/%(year)s/",
                    "padding": 4,
                    "company_id": company.id,
                }
                for company in self - numbered
            ]
        )
