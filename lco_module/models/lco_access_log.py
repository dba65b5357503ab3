import logging

from dateutil.relativedelta import relativedelta
from psycopg2.errors import (
    ForeignKeyViolation,
    LockNotAvailable,
    ReadOnlySqlTransaction,
)

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.sql_db import db_connect
from odoo.tools import SQL

from ..tools.batched import run_in_batches
from ..tools.config_param import int_param

RETENTION_PARAM = "lco_module.access_log_retention_months"
RETENTION_DEFAULT = 24

_logger = logging.getLogger(__name__)


class LcoAccessLog(models.Model):
    """Who opened, printed or exported which client consultation record, and
    when. Written by the system only, read by managers, never changed."""

    _name = "lco.access.log"
    _description = "Client Consultation Access Log"
    _order = "date desc, id desc"
    _log_access = False

    date = fields.Datetime(required=True, readonly=True, index=True)
    user_id = fields.Many2one("res.users", required=True, readonly=True, index=True)
    company_id = fields.Many2one("res.company", readonly=True, index=True)
    action = fields.Selection(
        [
            ("open", "Opened"),
            ("read", "Read"),
            ("print", "Printed"),
            ("download", "Downloaded"),
            ("export", "Exported"),
            ("anonymise", "Anonymised"),
        ],
        required=True,
        readonly=True,
    )
    res_model = fields.Char("Document Model", required=True, readonly=True)
    res_id = fields.Many2oneReference(
        "Document", model_field="res_model", required=True, readonly=True
    )
    case_id = fields.Many2one(
        "lco.case", readonly=True, index="btree_not_null", ondelete="set null"
    )
    detail = fields.Char(readonly=True, help="The report printed.")

    @api.model
    def _log(self, records, action, detail=None):
        """One line per record of ``records``: the current user ``action``-ed it.

        Written in one plain INSERT: it runs at every opening of a form, and
        nobody may write the log through the ORM (see write and the ACLs).
        """
        self._log_entries([(records.with_env(self.env), action, detail)])

    @api.model
    def _log_entries(self, entries):
        """``_log`` of several ``(records, action, detail)``, in one INSERT;
        each line in the name of the user of its records' environment."""
        now = fields.Datetime.now()
        rows = []
        # What was read stays read whatever becomes of the transaction; an
        # anonymisation happened only if its transaction is committed.
        with_transaction = False
        for records, action, detail in entries:
            # New records (a form's onchange) are not opened yet.
            ids = [id_ for id_ in records._ids if isinstance(id_, int)]
            # What the system itself reads is not logged; what it anonymises is.
            if not ids or (records.env.su and action != "anonymise"):
                continue
            # sudo: the caller read the records (or holds their token); only
            # their case and organisation are read here, to file the line.
            with_transaction = with_transaction or action == "anonymise"
            filed = records.sudo().browse(ids)
            if filed._name == "lco.case":
                cases = filed.ids
            elif "case_id" in filed._fields:
                cases = [record.case_id.id or None for record in filed]
            else:
                cases = [None] * len(filed)
            companies = [record.company_id.id or None for record in filed]
            rows += [
                SQL(
                    "(%s, %s, %s, %s, %s, %s, %s, %s)",
                    now,
                    records.env.uid,
                    company_id,
                    action,
                    filed._name,
                    record_id,
                    case_id,
                    detail and detail[:200],
                )
                for record_id, case_id, company_id in zip(
                    ids, cases, companies, strict=True
                )
            ]
        if not rows:
            return
        self._lco_write_lines(
            SQL(
                "INSERT INTO lco_access_log (date, user_id, company_id, action, "
                "res_model, res_id, case_id, detail) VALUES %s",
                SQL(", ").join(rows),
            ),
            with_transaction=with_transaction,
        )

    def _lco_write_lines(self, query, with_transaction=False):
        """Run the INSERT ``query`` of the log's lines in a short transaction
        of its own on the primary database, committed at once: the request
        may run on a read-only replica (db_replica_host) and its rollback
        does not take the lines back.

        In test mode (the tests' one transaction, rolled back at their end),
        the lines go through the request's cursor, where the test sees them.
        A line of a record this transaction made or locks (not yet visible
        to, or locked against, the other connection) is written with the
        transaction too, and so is a line ``with_transaction``."""
        cr = self.env.cr
        if not (with_transaction or self.env.registry.in_test_mode()):
            try:
                with db_connect(cr.dbname).cursor() as log_cr:
                    # The other connection waits for no lock of this one.
                    log_cr.execute(
                        SQL("SET LOCAL lock_timeout = '2s'; %s", query),
                        log_exceptions=False,
                    )
                return
            except (ForeignKeyViolation, LockNotAvailable) as error:
                # A record of this transaction, or one it locked: the line
                # goes with this transaction instead.
                _logger.debug("Access log written with the request: %s", error)
        if cr.readonly:
            # Odoo runs the request again on a read/write cursor.
            raise ReadOnlySqlTransaction("The access log is written on read/write")
        cr.execute(query)

    def write(self, vals):
        if not self.env.su:
            raise UserError(self.env._("The access log cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_system(self):
        if not self.env.su:
            raise UserError(self.env._("The access log cannot be deleted."))

    @api.model
    def _cron_purge(self):
        """Forget what is older than the retention period."""
        months = int_param(self.env, RETENTION_PARAM, RETENTION_DEFAULT)
        if months <= 0:
            return
        limit = fields.Datetime.now() - relativedelta(months=months)
        cr = self.env.cr
        self.env.flush_all()
        # The log is written by the system only: no rule or hook to pass.
        cr.execute(SQL("SELECT COUNT(*) FROM lco_access_log WHERE date < %s", limit))
        remaining = cr.fetchone()[0]

        def purge(batch_size):
            cr.execute(
                SQL(
                    "DELETE FROM lco_access_log WHERE id IN ("
                    " SELECT id FROM lco_access_log WHERE date < %s LIMIT %s)",
                    limit,
                    batch_size,
                )
            )
            return cr.rowcount

        run_in_batches(self.env, remaining, purge)
        self.invalidate_model()
