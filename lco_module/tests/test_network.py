from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged

from .common_portal import LcoPortalProposalCommon


class LcoNetworkCommon(LcoPortalProposalCommon):
    """The network of case_a1 (Kim's, who uses the portal, as do her aunt and
    Ann, all three with the full picture) and of case_b1 (Bart's, in OCMW B,
    where Ann has the work plan only)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Member = cls.env["lco.network.member"]
        cls.members_a1 = Member.with_user(cls.coordinator_a).create(
            [
                {
                    "case_id": cls.case_a1.id,
                    "name": "Marleen <b>Peeters</b>",
                    "relationship": "neighbour",
                    "closeness": "further",
                    "status": "asked",
                },
                {
                    "case_id": cls.case_a1.id,
                    "name": "Jan Wouters",
                    "relationship": "volunteer",
                    "closeness": "strained",
                    "status": "declined",
                },
            ]
        )
        cls.members_b1 = Member.with_user(cls.coordinator_b).create(
            [
                {
                    "case_id": cls.case_b1.id,
                    "name": "Sofie Claes",
                    "relationship": "friend",
                    "closeness": "close",
                },
                {
                    "case_id": cls.case_b1.id,
                    "name": "Youth Club Heidebeek",
                    "relationship": "service",
                },
            ]
        )


@tagged("post_install", "-at_install")
class TestNetwork(LcoNetworkCommon):
    def test_map_shows_every_covered_member_and_none_other(self):
        case = self.case_b1.with_user(self.coordinator_b)
        # The client sees his whole network: every name, escaped.
        svg = str(case._lco_network_svg(self.client_b1))
        self.assertIn("<svg", svg)
        self.assertIn("<title", svg)
        self.assertIn("<desc", svg)
        for name in ("Sofie Claes", "Youth Club Heidebeek"):
            self.assertIn(name, svg)
        self.assertEqual(self.members_b1.mapped("kind"), ["network", "professional"])
        # Ann has the work plan of case_b1: nothing of its network.
        svg = str(case._lco_network_svg(self.external_worker))
        self.assertNotIn("Sofie", svg)
        self.assertNotIn("Youth Club", svg)
        # The markup a name holds stays text.
        svg_a1 = str(self.case_a1.with_user(self.coordinator_a)._lco_network_svg())
        self.assertIn("Marleen &lt;b&gt;Peeters&lt;/b&gt;", svg_a1)
        self.assertNotIn("<b>", svg_a1)
        # In the case form, for the current user (lco_portal: the portal users).
        self.assertIn(
            "Sofie Claes", str(self.case_b1.with_user(self.coordinator_b).network_map)
        )

    def test_another_organisation_reads_nothing(self):
        Member = self.env["lco.network.member"]
        for user in (self.coordinator_b, self.manager_b, self.aid_worker_b):
            self.assertFalse(
                Member.with_user(user).search([("case_id", "=", self.case_a1.id)])
            )
            with self.assertRaises(AccessError):
                self.members_a1.with_user(user).read(["name"])
        # Nor another coordinator of the same organisation, of a case not his.
        with self.assertRaises(AccessError):
            self.members_a1.with_user(self.coordinator2_a).write({"status": "asked"})
        # Nobody sets a member at the table by hand.
        with self.assertRaises(UserError):
            self.members_a1[0].with_user(self.coordinator_a).status = "at_table"

    def test_invite_to_the_table_keeps_the_link(self):
        member = self.members_a1[0].with_user(self.coordinator_a)
        member.name = "Marleen Peeters"
        member.action_invite_to_table()
        participant = member.participant_id
        self.assertTrue(participant)
        self.assertEqual(member.status, "at_table")
        self.assertEqual(participant.case_id, self.case_a1)
        self.assertEqual(participant.partner_id.name, "Marleen Peeters")
        self.assertEqual(participant.role, "network")
        self.assertEqual(participant.network_member_ids, member)
        self.assertEqual(member.partner_id, participant.partner_id)
        # An aunt who already sits at the table keeps her seat.
        aunt = self._participant(self.case_a1, self.aunt_a1)
        rita = (
            self.env["lco.network.member"]
            .with_user(self.coordinator_a)
            .create({"case_id": self.case_a1.id, "partner_id": self.aunt_a1.id})
        )
        rita.action_invite_to_table()
        self.assertEqual(rita.participant_id, aunt)
        self.assertEqual(rita.name, self.aunt_a1.name)

    def test_figure_counts_across_organisations(self):
        # The aunt, at the table in case_a1, is of the client's own network.
        rita = (
            self.env["lco.network.member"]
            .with_user(self.coordinator_a)
            .create(
                {
                    "case_id": self.case_a1.id,
                    "partner_id": self.aunt_a1.id,
                    "relationship": "other_family",
                }
            )
        )
        rita.action_invite_to_table()
        self._report_meeting(self.meeting_a1, self.coordinator_a)
        self._report_meeting_b1()
        self.assertTrue(self.meeting_a1.has_network_present)
        self.assertFalse(self.meeting_b1.has_network_present)
        year = self.meeting_a1.start.year
        # A manager's yearly figures read the rows counted per month.
        self.env["lco.figure.month"]._cron_refresh()
        report = self.env["report.lco_module.report_lco_yearly_figures"]
        figures = report._figures(self.company_a | self.company_b, year)
        rows = {
            company: report._network_rows(report._scoped(figures["network"], ids))
            for company, ids in (
                ("a", {self.company_a.id}),
                ("b", {self.company_b.id}),
                ("both", {self.company_a.id, self.company_b.id}),
            )
        }
        self.assertEqual(rows["a"][0][2], "100 %")
        self.assertEqual(rows["b"][0][2], "0 %")
        self.assertEqual(rows["both"][0][2], "50 %")
        # In the figures: the share averaged per organisation.
        groups = self.env["lco.figure.meeting.month"]._read_group(
            [("state", "in", ("held", "reported"))],
            ["company_id"],
            ["network_present_share:avg"],
        )
        shares = dict(groups)
        self.assertEqual(shares[self.company_a], 100)
        self.assertEqual(shares[self.company_b], 0)
        # The aunt leaves the network: the meeting no longer counts.
        rita.sudo().kind = "professional"
        self.assertFalse(self.meeting_a1.has_network_present)

    def test_anonymisation_erases_the_names(self):
        case = self.case_a3
        member = (
            self.env["lco.network.member"]
            .with_user(self.coordinator2_a)
            .create(
                {
                    "case_id": case.id,
                    "name": "Marleen Peeters",
                    "note": "Neighbour who helps",
                    "partner_id": self.aunt_a1.id,
                }
            )
        )
        self.assertIn(member, case._lco_records()[2])
        case.with_user(self.coordinator2_a).action_cancel()
        case.with_user(self.manager_a)._lco_anonymise()
        member.invalidate_recordset()
        self.assertRecordValues(
            member, [{"name": False, "note": False, "partner_id": False}]
        )


@tagged("post_install", "-at_install", "is_tour")
class TestNetworkTour(HttpCase):
    def test_coordinator_builds_a_network_and_sees_the_map(self):
        coordinator = new_test_user(
            self.env,
            "lco_network_tour",
            groups="lco_module.group_lco_coordinator,base.group_partner_manager",
            name="Lotte Network",
            tz="Europe/Brussels",
        )
        client = self.env["res.partner"].create({"name": "Jonas Network"})
        case = (
            self.env["lco.case"].with_user(coordinator).create({"client_id": client.id})
        )
        self.start_tour(
            f"/odoo/action-lco_module.action_lco_case/{case.id}",
            "lco_network_tour",
            login="lco_network_tour",
        )
        self.assertEqual(
            case.network_member_ids.mapped("name"), ["Aunt Rita", "Coach Jan"]
        )
        self.assertEqual(case.network_member_ids[1].closeness, "strained")
