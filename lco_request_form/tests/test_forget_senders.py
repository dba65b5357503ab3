from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from odoo.addons.lco_module.tests.common_request import LcoRequestCommon
from odoo.addons.lco_module.tests.test_batched_crons import progress_of


@tagged("post_install", "-at_install")
class TestForgetSendersInBatches(LcoRequestCommon):
    """Issue 21: forgetting where public requests came from runs in batches,
    each one bounded UPDATE, reporting its progress to the cron worker."""

    def run_cron(self, method, batch_size=2):
        return progress_of(self.env, method, batch_size)

    def test_public_senders_are_forgotten_in_batches(self):
        Request = self.env["lco.request"]
        addr_hash = Request._remote_addr_hash("192.0.2.7")
        requests = Request.create(
            [self._request_values(remote_addr_hash=addr_hash) for _ in range(6)]
        )
        old, recent = requests[:5], requests[5:]
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE lco_request SET create_date = %s WHERE id IN %s",
            (fields.Datetime.now() - timedelta(days=2), tuple(old.ids)),
        )
        requests.invalidate_recordset(["create_date"])
        calls = self.run_cron(Request._cron_forget_sender_addresses)
        self.assertEqual(calls, [(2, 3), (4, 1), (5, 0)])
        self.assertEqual(set(old.sudo().mapped("remote_addr_hash")), {False})
        self.assertEqual(recent.sudo().remote_addr_hash, addr_hash)
        # Nothing left: one empty batch, all done.
        self.assertEqual(self.run_cron(Request._cron_forget_sender_addresses), [(0, 0)])
