"""The moves of each model's state come from its table (lco.state.flow): a
write over RPC that would move a record another way is refused, naming where
it is and where it was sent, as the user who may otherwise write it."""

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common_request import LcoRequestCommon


@tagged("post_install", "-at_install")
class TestStateFlow(LcoRequestCommon):
    def test_request_does_not_go_back_to_new(self):
        request = self._taken(self._request())
        with self.assertRaisesText(UserError, "cannot go from In Review to New"):
            request.write({"state": "new"})
        self.assertEqual(request.state, "in_review")

    def test_case_in_preparation_is_not_closed(self):
        case = self.case_a2.with_user(self.coordinator2_a)
        self.assertEqual(case.state, "draft")
        reason = self.env.ref("lco_module.close_reason_goals_reached")
        with self.assertRaisesText(UserError, "Only an active case can be closed") as e:
            case.write(
                {"state": "closed", "close_reason_id": reason.id, "close_note": "Done."}
            )
        self.assertIn("cannot go from In Preparation to Closed", str(e.exception))
        self.assertEqual(case.state, "draft")

    def test_meeting_in_preparation_is_not_reported(self):
        meeting = self._create_meeting(self.case_a1.with_user(self.coordinator_a))
        self.assertEqual(meeting.state, "draft")
        with self.assertRaisesText(
            UserError, "Only a held meeting can be reported"
        ) as e:
            meeting.write({"state": "reported"})
        self.assertIn("cannot go from", str(e.exception))
        self.assertEqual(meeting.state, "draft")

    def test_requested_consent_is_not_withdrawn(self):
        consent = (
            self.env["lco.consent"]
            .with_user(self.coordinator_a)
            .create({"case_id": self.case_a1.id, "date_given": self.today})
        )
        with self.assertRaisesText(UserError, "cannot be changed directly"):
            consent.write({"state": "withdrawn"})
        with self.assertRaisesText(UserError, "cannot go from Requested to Withdrawn"):
            consent.action_withdraw()
        self.assertEqual(consent.state, "requested")

    def test_cancelled_bottleneck_is_not_signalled(self):
        bottleneck = (
            self.env["lco.bottleneck"]
            .with_user(self.manager_a)
            .create({"name": "No budget meters for energy", "kind": "cost"})
        )
        bottleneck.action_cancel()
        with self.assertRaisesText(UserError, "cannot go from Cancelled to Signalled"):
            bottleneck.write({"state": "signalled"})
        self.assertEqual(bottleneck.state, "cancelled")
