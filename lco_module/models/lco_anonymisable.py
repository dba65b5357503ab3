import logging
from datetime import datetime, time

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.osv import expression
from odoo.tools import SQL

from ..tools.anonymisation import PERSONAL_FIELDS, due_before
from ..tools.constants import ANONYMISE_BATCH, MANAGER_GROUP

_logger = logging.getLogger(__name__)


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

    anonymise_failed_date = fields.Datetime(
        "Anonymisation Failed On",
        readonly=True,
        copy=False,
        help="The daily anonymisation failed on this record then; it tries again "
        "the next day. The managers were told.",
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

    def _lco_personal_values(self):
        """What anonymising records of this model writes: PERSONAL_FIELDS of
        the model. A module that adds a personal field to it (lco_request_form:
        the sender's fingerprint) adds its value here."""
        return dict(PERSONAL_FIELDS.get(self._name, {}))

    @api.model
    def _cron_anonymise(self):
        """Anonymise the records whose retention period has passed, a batch
        per call, each record in a savepoint of its own: one that fails is
        logged, its organisation's managers are told and the others go on.
        It is tried again the next day, not in this run, so the run ends."""
        field = self._lco_retention_field
        companies = self.env["res.company"].search([(field, ">", 0)])
        if not companies:
            return
        domains = [
            self._lco_due_domain(company, due_before(self.env, company[field]))
            for company in companies
        ]
        today = datetime.combine(fields.Date.today(), time.min)
        domain = expression.AND(
            [
                [("anonymised_date", "=", False)],
                [
                    "|",
                    ("anonymise_failed_date", "=", False),
                    ("anonymise_failed_date", "<", today),
                ],
                self._lco_ended_domain(),
                expression.OR(domains),
            ]
        )
        due = self.search(domain, limit=ANONYMISE_BATCH, order="id")
        for record in due:
            record._lco_anonymise_or_report()
        self.env["ir.cron"]._notify_progress(
            done=len(due), remaining=self.search_count(domain)
        )

    def _lco_anonymise_or_report(self):
        """Anonymise the record in a savepoint; on failure, roll it back, log
        it, mark it failed today and tell its organisation's managers."""
        self.ensure_one()
        # Written before the savepoint, which rolls back only this record. A
        # savepoint without flush: a flushing one would run the precommit
        # hooks and, rolling back, forget the postcommit ones (the files).
        self.env.flush_all()
        try:
            with self.env.cr.savepoint(flush=False):
                self._lco_anonymise()
                self.env.flush_all()
        except Exception as error:  # reported; the others go on
            self.env.clear()
            _logger.exception("Anonymising %s (id %s) failed", self._name, self.id)
            self.env.cr.execute(
                SQL(
                    "UPDATE %s SET anonymise_failed_date = %s WHERE id = %s",
                    SQL.identifier(self._table),
                    fields.Datetime.now(),
                    self.id,
                )
            )
            self._lco_report_failure(error)

    def _lco_report_failure(self, error):
        """A to-do on the record for each manager of its organisation (he is
        sent a notification), once while it is open. Not a message in its
        chatter, which every reader of the record reads."""
        company = self.company_id
        managers = (
            self.env.ref(MANAGER_GROUP)
            .users.filtered(lambda user: company in user.company_ids)
            .sorted("id")
        )
        # A user error says what to do; anything else is for the log.
        reason = error.args[0] if isinstance(error, UserError) and error.args else ""
        record = self.sudo()
        for manager in managers:
            summary = record.with_context(lang=manager.lang).env._(
                "Anonymisation failed"
            )
            if record.activity_ids.filtered(
                lambda a, m=manager, s=summary: a.user_id == m and a.summary == s
            ):
                continue
            note = record.with_context(lang=manager.lang).env._(
                "The daily anonymisation of %(name)s failed and is tried again "
                "tomorrow. %(reason)s",
                name=record.display_name,
                reason=reason,
            )
            try:
                with self.env.cr.savepoint(flush=False):
                    record.activity_schedule(
                        "mail.mail_activity_data_todo",
                        summary=summary,
                        note=note,
                        user_id=manager.id,
                    )
                    self.env.flush_all()
            except Exception:  # the failure is logged already
                self.env.clear()
                _logger.exception("Telling %s of the failure failed", manager.login)
