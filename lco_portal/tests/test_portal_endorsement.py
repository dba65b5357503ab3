import re
from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from odoo.addons.lco_module.tests.common_portal import LcoPortalCommon


@tagged("post_install", "-at_install")
class TestEndorsementInThePortal(LcoPortalCommon, HttpCase):
    """The aunt of case_a1 endorses the work plan herself on /my/lco."""

    def test_endorse_in_one_click(self):
        self.meeting_a1.attendee_ids.status = "present"
        with freeze_time(self.meeting_a1.start + timedelta(minutes=5)):
            self.meeting_a1.with_user(self.coordinator_a).action_hold()
        aunt = self._participant(self.case_a1, self.aunt_a1)
        kim = self._participant(self.case_a1, self.client_a1)
        # She cannot endorse for Kim.
        with self.assertRaises(AccessError):
            kim.with_user(self.portal_aunt).action_endorse_portal()
        self.authenticate(self.portal_aunt.login, self.portal_aunt.login)
        page = self.url_open(f"/my/lco/{self.case_a1.id}")
        self.assertIn("I endorse this work plan", page.text)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)[1]
        answer = self.url_open(
            f"/my/lco/{self.case_a1.id}/endorse", data={"csrf_token": token}
        )
        self.assertIn("your endorsement of the work plan was recorded", answer.text)
        self.assertNotIn("I endorse this work plan", answer.text)
        endorsement = self.case_a1.endorsement_ids
        self.assertEqual(
            (endorsement.participant_id, endorsement.route, endorsement.recorded_by_id),
            (aunt, "portal", self.portal_aunt),
        )
        self.assertEqual(endorsement.meeting_id, self.meeting_a1)
