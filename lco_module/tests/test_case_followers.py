from odoo.tests import tagged

from .common import LcoCommon


@tagged("post_install", "-at_install")
class TestTeamFollowsTheCase(LcoCommon):
    """The people around the table follow the case and its coming meetings as
    the consent allows, so that a message in the chatter reaches them (issue
    22, item 3)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team = (
            cls.aid_worker_a.partner_id
            | cls.aid_worker2_a.partner_id
            | cls.external_worker
            | cls.aunt_a1
        )
        cls.newcomer = cls.env["res.partner"].create(
            {"name": "Nina Newcomer", "email": "nina@cpas.example.com"}
        )

    def join(self, partner):
        return (
            self.env["lco.participant"]
            .with_user(self.coordinator_a)
            .create(
                {
                    "case_id": self.case_a1.id,
                    "partner_id": partner.id,
                    "role": "professional",
                }
            )
        )

    def post_as_pivot(self, body="Can we move the home visit to Friday?"):
        message = self.case_a1.with_user(self.aid_worker_a).message_post(
            body=body, message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        self.env.flush_all()
        self.env.cr.precommit.run()
        return message.sudo().notification_ids.res_partner_id

    def test_covered_people_follow_the_case_and_its_coming_meetings(self):
        expected = self.team | self.coordinator_a.partner_id
        for record in (self.case_a1, self.meeting_a1):
            followers = record.message_partner_ids
            self.assertEqual(followers & expected, expected, record.display_name)
            self.assertNotIn(self.client_a1, followers, "the client has his portal")

    def test_pivot_message_reaches_the_covered_not_the_uncovered(self):
        self.join(self.newcomer)
        self.assertNotIn(self.newcomer, self.case_a1.message_partner_ids)

        notified = self.post_as_pivot()

        for partner in (
            self.aid_worker2_a.partner_id,
            self.external_worker,
            self.coordinator_a.partner_id,
        ):
            self.assertIn(partner, notified, partner.name)
        self.assertNotIn(self.newcomer, notified)
        self.assertNotIn(self.client_a1, notified)

    def test_joining_covered_follows_leaving_stops(self):
        participant = self.join(self.newcomer)
        # The client's new consent covers the newcomer too.
        self._give_consent(self.case_a1)
        self.assertIn(self.newcomer, self.case_a1.message_partner_ids)
        self.assertIn(self.newcomer, self.meeting_a1.message_partner_ids)
        self.assertIn(self.newcomer, self.post_as_pivot())

        participant.with_user(self.coordinator_a).active = False

        self.assertNotIn(self.newcomer, self.case_a1.message_partner_ids)
        self.assertNotIn(self.newcomer, self.meeting_a1.message_partner_ids)
        self.assertNotIn(self.newcomer, self.post_as_pivot("And Saturday?"))

    def test_who_is_no_longer_covered_stops_following(self):
        self.case_a1.consent_id.with_user(self.coordinator_a).action_withdraw()

        followers = self.case_a1.message_partner_ids
        self.assertFalse(followers & self.team)
        self.assertIn(self.coordinator_a.partner_id, followers)
        self.assertFalse(self.post_as_pivot() & self.team)
