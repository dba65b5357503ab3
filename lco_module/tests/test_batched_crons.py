from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.tests import tagged

from .common_request import LcoRequestCommon


def progress_of(env, method, batch_size=2):
    """Run ``method`` with ``batch_size`` rows a batch; return the progress it
    reported as (done, remaining) pairs."""
    calls = []

    def notify(cron, *, done, remaining, deactivate=False):
        calls.append((done, remaining))

    with (
        patch("odoo.addons.lco_module.tools.batched.BATCH_SIZE", batch_size),
        patch.object(type(env["ir.cron"]), "_notify_progress", notify),
    ):
        method()
    return calls


@tagged("post_install", "-at_install")
class TestBatchedCrons(LcoRequestCommon):
    """Issue 21: the crons that used to run as one transaction work in
    batches, each one bounded statement, report their progress to the cron
    worker and (outside tests) commit after each batch."""

    def run_cron(self, method, batch_size=2):
        return progress_of(self.env, method, batch_size)

    def test_the_access_log_is_purged_in_batches(self):
        Log = self.env["lco.access.log"]
        before = Log.sudo().search([])
        as_manager = Log.with_user(self.manager_a)
        as_manager._log(self.case_a1 | self.case_a2 | self.case_a3, "open")
        as_manager._log(self.case_a1, "print")
        Log.with_user(self.manager_b)._log(self.case_b1, "open")
        old = Log.sudo().search([("id", "not in", before.ids)])
        self.assertEqual(len(old), 5)
        old.date = fields.Datetime.now() - timedelta(days=800)
        as_manager._log(self.case_a1, "open")
        recent = Log.sudo().search([("id", "not in", (before | old).ids)])
        self.assertEqual(len(recent), 1)
        calls = self.run_cron(Log._cron_purge)
        self.assertEqual(calls, [(2, 3), (4, 1), (5, 0)])
        self.assertFalse(old.exists())
        self.assertTrue(recent.exists())
