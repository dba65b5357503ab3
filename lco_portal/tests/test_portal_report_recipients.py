from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.lco_module.tests.test_report_recipients import (
    LcoReportRecipientsCommon,
)


@tagged("post_install", "-at_install")
class TestPortalReportRecipients(LcoReportRecipientsCommon):
    """The client's consent decides what the portal shows and the evaluation
    link opens (lco.case._report_scopes), as it decides the base's followers
    and invitations (lco_module's TestReportRecipients)."""

    def test_a_withdrawn_person_s_evaluation_link_no_longer_opens(self):
        held = self.held_meeting()
        evaluation = (
            self.env["lco.meeting.evaluation"]
            .sudo()
            .search(
                [("meeting_id", "=", held.id), ("partner_id", "=", self.aunt_a1.id)]
            )
        )
        self.assertTrue(evaluation.access_token)
        url = f"/lco/evaluation/{evaluation.id}?access_token={evaluation.access_token}"
        self.assertEqual(self.url_open(url).status_code, 200)
        self.withdraw()
        self.assertEqual(self.url_open(url).status_code, 404)
        self.authenticate(self.portal_aunt.login, self.portal_aunt.login)
        self.assertEqual(
            self.url_open(f"/lco/evaluation/{evaluation.id}").status_code, 404
        )

    def test_work_plan_reader_does_not_read_what_the_client_keeps(self):
        self.work_plan_only_for(self.external_worker)
        topic = self.env["lco.agenda.item"].create(
            {
                "meeting_id": self.meeting_a1.id,
                "name": "Report to the Vertrouwenscentrum",
                "report_visibility": "full",
            }
        )
        agreement = self.env["lco.agreement"].create(
            {
                "case_id": self.case_a1.id,
                "meeting_id": self.meeting_a1.id,
                "name": "Talk to the police together",
                "responsible_id": self._participant(self.case_a1, self.aunt_a1).id,
                "report_visibility": "full",
            }
        )
        Agreement = self.env["lco.agreement"].with_user(self.portal_external)
        self.assertNotIn(
            agreement, Agreement.search([("case_id", "=", self.case_a1.id)])
        )
        self.assertIn(
            self.agreement_a1_aunt,
            Agreement.search([("case_id", "=", self.case_a1.id)]),
        )
        with self.assertRaises(AccessError):
            topic.with_user(self.portal_external).read(["name"])
        self.assertEqual(
            agreement.with_user(self.portal_aunt).read(["name"])[0]["name"],
            agreement.name,
        )
        # The invitation and the calendar event leave the topic out too.
        self.assertNotIn(
            "Vertrouwenscentrum", str(self.meeting_a1._calendar_event_description())
        )

        url = f"/my/lco/{self.case_a1.id}"
        self.authenticate(self.portal_external.login, self.portal_external.login)
        page = self.url_open(url).text
        self.assertIn("Babysit on meeting days", page)
        self.assertNotIn("Vertrouwenscentrum", page)
        self.assertNotIn("Talk to the police", page)
        self.authenticate(self.portal_aunt.login, self.portal_aunt.login)
        page = self.url_open(url).text
        self.assertIn("Vertrouwenscentrum", page)
        self.assertIn("Talk to the police", page)

    def test_a_portal_participant_reads_the_case_name(self):
        case = self.case_a1.with_user(self.portal_aunt)
        self.assertEqual(case.display_name, f"{self.case_a1.name} - Kim Client")
        self.assertEqual(
            case.read(["display_name"])[0]["display_name"],
            f"{self.case_a1.name} - Kim Client",
        )
