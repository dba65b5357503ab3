from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.osv import expression

from .anonymisation import due_before

MANAGER_GROUP = "lco_module.group_lco_manager"
# Records anonymised per cron call; the cron commits and calls again.
CRON_BATCH = 200


class LcoAnonymisable(models.AbstractModel):
    """A record whose personal data are removed once its retention period
    has passed: by a daily cron, or by a manager (with a preview)."""

    _name = "lco.anonymisable"
    _description = "Client Consultation Anonymisable Record"
    # The anonymisation wizard's field for records of this model.
    _lco_anonymise_wizard_field = None
    # The company setting: months after which ended records are anonymised.
    _lco_retention_field = None

    anonymised_date = fields.Datetime(
        "Anonymised On",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The people and every text were removed; numbers, dates, states, life "
        "domains and roles stay for the figures.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any("anonymised_date" in vals for vals in vals_list):
            raise UserError(self._lco_anonymise_how_message())
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            if "anonymised_date" in vals:
                raise UserError(self._lco_anonymise_how_message())
            self._check_not_anonymised()
        return super().write(vals)

    def _check_not_anonymised(self):
        anonymised = self.filtered("anonymised_date")
        if anonymised:
            raise UserError(
                self.env._(
                    "%s was anonymised: it can no longer be changed.",
                    anonymised[0].name,
                )
            )

    def _lco_anonymise_how_message(self):
        return self.env._(
            "A record is anonymised by a manager (Anonymise Now) or when its "
            "retention period has passed, never by setting its date."
        )

    def action_open_anonymise_wizard(self):
        self._check_may_anonymise()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Anonymise"),
            "res_model": "lco.anonymise.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {f"default_{self._lco_anonymise_wizard_field}": self.ids},
        }

    def _check_may_anonymise(self):
        """Raise unless the user may anonymise every record of ``self`` now."""
        if not self.env.su:
            if not self.env.user.has_group(MANAGER_GROUP):
                raise AccessError(
                    self.env._("Only a manager of the client consultation anonymises.")
                )
            self.check_access("write")
        anonymised = self.filtered("anonymised_date")
        if anonymised:
            raise UserError(self.env._("%s is anonymised already.", anonymised[0].name))
        running = self - self.filtered_domain(self._lco_ended_domain())
        if running:
            raise UserError(self._lco_not_ended_message(running[0]))

    def _lco_ended_domain(self):
        """The records that ended, which may be anonymised."""
        raise NotImplementedError

    def _lco_not_ended_message(self, record):
        raise NotImplementedError

    def _lco_due_domain(self, company, limit):
        """The ended records of ``company`` that ended before ``limit``."""
        raise NotImplementedError

    def _lco_records(self):
        """Every recordset holding data of ``self``, ``self`` first."""
        return [self]

    def _lco_anonymise(self):
        """Remove the personal data of the records. Irreversible."""
        raise NotImplementedError

    @api.model
    def _cron_anonymise(self):
        """Anonymise the records whose retention period has passed, a batch
        per call."""
        field = self._lco_retention_field
        companies = self.env["res.company"].search([(field, ">", 0)])
        if not companies:
            return
        domains = [
            self._lco_due_domain(company, due_before(self.env, company[field]))
            for company in companies
        ]
        domain = expression.AND(
            [
                [("anonymised_date", "=", False)],
                self._lco_ended_domain(),
                expression.OR(domains),
            ]
        )
        due = self.search(domain, limit=CRON_BATCH, order="id")
        due._lco_anonymise()
        self.env["ir.cron"]._notify_progress(
            done=len(due), remaining=self.search_count(domain)
        )
