from datetime import timedelta

from odoo import api, fields, models, tools
from odoo.tools import SQL

from odoo.addons.lco_module.tools.batched import run_in_batches
from odoo.addons.lco_module.tools.config_param import int_param

# The posts of one address to the public form wait for each other (first key
# of pg_advisory_xact_lock: "LCO" in ASCII).
RATE_LIMIT_LOCK = 0x4C434F
# The key lco_module used before the form was its own module: kept, so an
# upgraded database keeps its setting.
RATE_LIMIT_PARAM = "lco_module.request_rate_limit"
RATE_LIMIT_DEFAULT = 10


class LcoRequest(models.Model):
    """A request as the public form sends it: where it came from, for the
    rate limit, and only for a day."""

    _inherit = "lco.request"

    remote_addr_hash = fields.Char(
        "Sender Address Fingerprint",
        index="btree_not_null",
        copy=False,
        groups="base.group_system",
        help="A salted hash of the internet address a public request came from, to "
        "limit how many requests one address sends. Cleared after a day.",
    )

    @api.model
    def _remote_addr_hash(self, remote_addr):
        return tools.misc.hmac(self.env(su=True), "lco-request-sender", remote_addr)

    @api.model
    def _rate_limit_reached(self, addr_hash):
        """Whether this address sent as many requests as allowed this hour.

        The posts of one address wait here for each other until the transaction
        of the one before ends: counting and storing a request is one step.
        """
        limit = int_param(self.env, RATE_LIMIT_PARAM, RATE_LIMIT_DEFAULT)
        self.env.cr.execute(
            "SELECT pg_advisory_xact_lock(%s, hashtext(%s))",
            (RATE_LIMIT_LOCK, addr_hash),
        )
        since = fields.Datetime.now() - timedelta(hours=1)
        # A transaction reads the database as it was at its first query, before
        # the lock: count in a new one, which sees the requests of the posts
        # that held the lock before. The public user counts requests he may not
        # read: nothing but the count leaves this method.
        with self.env.registry.cursor() as cr:
            cr.execute(
                "SELECT count(*) FROM lco_request "
                "WHERE remote_addr_hash = %s AND create_date >= %s",
                (addr_hash, since),
            )
            [sent] = cr.fetchone()
        return sent >= limit

    @api.model
    def _cron_forget_sender_addresses(self):
        """Clear the sender fingerprints older than a day, in batches (one
        UPDATE each, on the fingerprint's partial index)."""
        limit = fields.Datetime.now() - timedelta(days=1)
        cr = self.env.cr
        self.env.flush_all()
        cr.execute(
            SQL(
                "SELECT COUNT(*) FROM lco_request"
                " WHERE remote_addr_hash IS NOT NULL AND create_date < %s",
                limit,
            )
        )
        remaining = cr.fetchone()[0]

        def forget(batch_size):
            # Not a change of the request: no write date, no tracking.
            cr.execute(
                SQL(
                    "UPDATE lco_request SET remote_addr_hash = NULL WHERE id IN ("
                    " SELECT id FROM lco_request WHERE remote_addr_hash IS NOT NULL"
                    " AND create_date < %s LIMIT %s)",
                    limit,
                    batch_size,
                )
            )
            return cr.rowcount

        run_in_batches(self.env, remaining, forget)
        self.invalidate_model(["remote_addr_hash"])

    def _lco_personal_values(self):
        # Anonymising a request also forgets where it came from.
        return {**super()._lco_personal_values(), "remote_addr_hash": False}
