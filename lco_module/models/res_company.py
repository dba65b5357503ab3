import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import remove_accents

from .lco_postcode_route import DEFAULT_COMPANY_PARAM

# An organisation's code, in its case and request numbers (LCO/HEI/2026/0001).
LCO_CODE_PATTERN = re.compile(r"[A-Z0-9]{1,10}")
# Words of an organisation's name that do not tell it apart ("OCMW Heidebeek").
LCO_CODE_SKIPPED = frozenset(
    "ocmw cpas ocmws gemeente stad ville commune de het van der den la le les du des"
    " d l the of".split()
)
# The numbers the addon gives, by sequence code: their prefix, with the code.
LCO_NUMBERINGS = {
    "lco.case": "LCO/{code}/%(year)s/",
    "lco.request": "AANV/{code}/%(year)s/",
}


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

    lco_code = fields.Char(
        "Organisation Code",
        copy=False,
        help="A short code of the organisation in the numbers of its cases and "
        "requests (LCO/HEI/2026/0001): letters and digits, at most 10. Numbers "
        "already given keep the code they were given with.",
    )

    _sql_constraints = [
        (
            "lco_code_uniq",
            "unique(lco_code)",
            "Another organisation already has this code: choose another one.",
        ),
    ]

    @api.constrains("lco_code")
    def _check_lco_code(self):
        for company in self:
            if company.lco_code and not LCO_CODE_PATTERN.fullmatch(company.lco_code):
                raise ValidationError(
                    self.env._(
                        "The code of an organisation is one to ten capital letters "
                        "or digits (e.g. HEI), not %s.",
                        company.lco_code,
                    )
                )

    @api.constrains("lco_consent_validity_months")
    def _check_lco_consent_validity_months(self):
        if any(company.lco_consent_validity_months < 0 for company in self):
            raise ValidationError(
                self.env._(
                    "A consent holds a number of months, or until withdrawn (0): "
                    "that number cannot be negative."
                )
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
        """A new organisation gets its code and its own numbering."""
        for vals in vals_list:
            if vals.get("lco_code"):
                vals["lco_code"] = vals["lco_code"].strip().upper()
        companies = super().create(vals_list)
        companies._create_lco_case_sequence()
        return companies

    def write(self, vals):
        """A new code numbers the new cases and requests, not the given ones."""
        if vals.get("lco_code"):
            vals = {**vals, "lco_code": vals["lco_code"].strip().upper()}
        res = super().write(vals)
        if "lco_code" in vals:
            # New numbers carry the new code; numbers given keep theirs.
            self._lco_number_with_code()
        return res

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
            [("code", "in", list(LCO_NUMBERINGS)), ("company_id", "in", self.ids)]
        ).unlink()
        params = self.env["ir.config_parameter"].sudo()
        if params.get_param(DEFAULT_COMPANY_PARAM) in {str(cid) for cid in self.ids}:
            params.set_param(DEFAULT_COMPANY_PARAM, False)
        return super().unlink()

    def _create_lco_case_sequence(self):
        """Give every company its code and its own case and request numbering
        (LCO/HEI/2026/0001, AANV/HEI/2026/0001, ...). Run on install and on
        every update: numbers already given are never renamed; a numbering
        made before the code existed continues its count with the code."""
        self._lco_default_codes()
        # sudo: whoever may create a company may give it its numbering; only
        # system administrators may create sequences themselves.
        sequences = self.env["ir.sequence"].sudo()
        names = {
            "lco.case": self.env._("Client consultation cases of %s"),
            "lco.request": self.env._("Client consultation requests of %s"),
        }
        for code, coded in LCO_NUMBERINGS.items():
            numbered = sequences.search(
                [("code", "=", code), ("company_id", "in", self.ids)]
            ).company_id
            sequences.create(
                [
                    {
                        "name": names[code] % company.name,
                        "code": code,
                        "prefix": coded.format(code=company.lco_code),
                        "padding": 4,
                        "company_id": company.id,
                    }
                    for company in self - numbered
                ]
            )
        self._lco_number_with_code()

    def _lco_default_codes(self):
        """A code for each company that has none, from its name ("OCMW
        Heidebeek": HEI), unique in the database."""
        missing = self.filtered(lambda company: not company.lco_code)
        if not missing:
            return
        taken = set(
            self.with_context(active_test=False)
            .search([("lco_code", "!=", False)])
            .mapped("lco_code")
        )
        for company in missing:
            words = re.findall(r"[a-z0-9]+", remove_accents(company.name or "").lower())
            kept = [word for word in words if word not in LCO_CODE_SKIPPED] or words
            base = ("".join(kept)[:3] or "LCO").upper()
            code, count = base, 1
            while code in taken:
                count += 1
                code = f"{base}{count}"
            taken.add(code)
            company.lco_code = code

    def _lco_number_with_code(self):
        """The numberings of these companies give numbers with their code."""
        # sudo: the numbering follows the organisation's code (checked by the
        # write rule of res.company); only these sequences' prefixes.
        sequences = self.env["ir.sequence"].sudo()
        for company in self.filtered("lco_code"):
            for code, coded in LCO_NUMBERINGS.items():
                prefix = coded.format(code=company.lco_code)
                sequences.search(
                    [
                        ("code", "=", code),
                        ("company_id", "=", company.id),
                        ("prefix", "!=", prefix),
                    ]
                ).prefix = prefix
