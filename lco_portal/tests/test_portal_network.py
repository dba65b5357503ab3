from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from odoo.addons.lco_module.tests.test_network import LcoNetworkCommon


@tagged("post_install", "-at_install")
class TestNetworkPortal(LcoNetworkCommon, HttpCase):
    def test_portal_page_shows_the_network_to_whom_the_consent_covers(self):
        self.authenticate(self.portal_client.login, self.portal_client.login)
        page = self.url_open(f"/my/lco/{self.case_a1.id}").text
        self.assertIn("lco_portal_network_map", page)
        self.assertIn("Jan Wouters", page)
        self.assertIn('for="lco_network_name"', page)

    def test_portal_user_adds_a_person_the_coordinator_confirms(self):
        Member = self.env["lco.network.member"].with_user(self.portal_client)
        # Whatever he sends, it is a proposal waiting for the coordinator.
        with self.assertRaises(AccessError):
            Member.create(
                {"case_id": self.case_a1.id, "name": "Eva", "status": "at_table"}
            )
        member = Member.create(
            {
                "case_id": self.case_a1.id,
                "name": "  Eva   Janssens ",
                "relationship": "friend",
                "closeness": "close",
            }
        )
        self.assertRecordValues(
            member.sudo(),
            [
                {
                    "name": "Eva Janssens",
                    "proposed_by_portal": True,
                    "status": "not_asked",
                    "kind": "network",
                }
            ],
        )
        note = member.sudo().message_ids[0]
        self.assertIn("Eva Janssens", note.body)
        self.assertEqual(note.partner_ids, self.coordinator_a.partner_id)
        # He changes nothing afterwards.
        with self.assertRaises(AccessError):
            member.write({"closeness": "strained"})
        member.with_user(self.coordinator_a).action_confirm()
        self.assertFalse(member.proposed_by_portal)
        # Ann has the work plan only in case_b1: she adds no one there.
        with self.assertRaises(AccessError):
            self.env["lco.network.member"].with_user(self.portal_external).create(
                {"case_id": self.case_b1.id, "name": "Someone"}
            )

    def test_portal_users_read_the_network_as_the_consent_allows(self):
        """What the portal users read themselves: Ann has the work plan of
        case_b1, nothing of its network; Bart, its client, all of it."""
        Member = self.env["lco.network.member"]
        self.assertFalse(
            Member.with_user(self.portal_external).search(
                [("case_id", "=", self.case_b1.id)]
            )
        )
        with self.assertRaises(AccessError):
            self.members_b1.with_user(self.portal_external).read(["name"])
        self.assertEqual(
            Member.with_user(self.portal_client_b).search([]), self.members_b1
        )
        # In the case form, for the current user, as the base's test reads it.
        self.assertIn(
            "Sofie Claes", str(self.case_b1.with_user(self.coordinator_b).network_map)
        )
        self.assertNotIn(
            "Sofie", str(self.case_b1.with_user(self.portal_external).network_map)
        )
