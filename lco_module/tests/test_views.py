from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged

from .common import LcoCommon


@tagged("post_install", "-at_install")
class TestViews(LcoCommon):
    def test_coordinator_prepares_case_in_form(self):
        with Form(self.env["lco.case"].with_user(self.coordinator_a)) as form:
            form.client_id = self.client_a3
            form.question = "Keep the children at home"
            with form.participant_ids.new() as line:
                line.partner_id = self.external_worker
                self.assertEqual(line.organisation_id, self.service)
                self.assertEqual(line.function, "Housing counsellor")
            with form.participant_ids.new() as line:
                line.partner_id = self.aunt_a1
                line.role = "trusted_person"
            with form.life_domain_line_ids.new() as line:
                line.life_domain_id = self.life_domain_housing
                line.priority = "high"
        case = form.record
        self.assertRecordValues(
            case,
            [
                {
                    "company_id": self.company_a.id,
                    "coordinator_id": self.coordinator_a.id,
                    "state": "draft",
                    "life_domain_ids": self.life_domain_housing.ids,
                }
            ],
        )
        self.assertTrue(case.name.startswith("LCO/"))
        self.assertRecordValues(
            case.participant_ids.sorted("role"),
            [
                {"partner_id": self.client_a3.id, "role": "client"},
                {"partner_id": self.external_worker.id, "role": "professional"},
                {"partner_id": self.aunt_a1.id, "role": "trusted_person"},
            ],
        )

        with Form(case) as form:
            form.pivot_id = self._participant(case, self.aunt_a1)
        action = case.action_new_consent()
        consent = self.env["lco.consent"].browse(action["res_id"])
        self.assertEqual(
            consent.line_ids.participant_id.partner_id,
            self.external_worker | self.aunt_a1,
            "the new consent covers every participant but the client",
        )
        with Form(consent) as form:
            form.date_given = self.today
        consent.action_give()
        case.action_activate()
        self.assertEqual(case.state, "active")
        self.assertTrue(self._participant(case, self.aunt_a1).is_pivot)

    def test_coordinator_cannot_add_himself_in_form(self):
        form = Form(self.env["lco.case"].with_user(self.coordinator_a))
        form.client_id = self.client_a3
        with form.participant_ids.new() as line:
            line.partner_id = self.coordinator_a.partner_id
        with self.assertRaisesText(ValidationError, "cannot also take part"):
            form.save()

    def test_coordinator_plans_meeting_in_form(self):
        with Form(self.env["lco.meeting"].with_user(self.coordinator_a)) as form:
            form.case_id = self.case_a1
            form.location = "Social house, room 2"
        meeting = form.record
        self.assertRecordValues(
            meeting,
            [{"number": 2, "kind": "follow_up", "chair_id": self.coordinator_a.id}],
        )
        self.assertEqual(
            meeting.attendee_ids.participant_id, self.case_a1.participant_ids
        )
        with Form(meeting) as form:
            with form.agenda_item_ids.new() as item:
                item.name = "How did the move go?"
                item.proposed_by_id = self._participant(self.case_a1, self.client_a1)
            with form.attendee_ids.edit(0) as attendee:
                attendee.status = "excused"
        self.assertEqual(
            meeting.agenda_item_ids.proposed_by_id.partner_id, self.client_a1
        )
        self.assertEqual(meeting.attendee_ids[0].status, "excused")

    def test_aid_worker_updates_agreement_in_form(self):
        agreement = self.agreement_a1_aid_worker.with_user(self.aid_worker_a)
        with Form(agreement) as form:
            form.state = "done"
            form.outcome_note = "The application was sent."
        self.assertEqual(agreement.state, "done")
        # The terms are the coordinator's: read-only in his form (issue 22),
        # not refused only when he saves; the server refuses them too.
        form = Form(agreement)
        with self.assertRaises(AssertionError):
            form.deadline = self.today
        with self.assertRaises(AccessError):
            agreement.write({"deadline": self.today})

    def test_aid_worker_opens_case_form(self):
        form = Form(self.case_a1.with_user(self.aid_worker_a))
        self.assertEqual(form.client_id, self.client_a1)
        self.assertEqual(form.pivot_id.partner_id, self.aid_worker_a.partner_id)

    def test_actions_and_menus(self):
        action = self.env.ref("lco_module.action_lco_case")
        self.assertEqual(action.res_model, "lco.case")
        self.assertEqual(action.view_mode.split(",")[0], "kanban")
        root = self.env.ref("lco_module.menu_lco_root")
        cases_menu = self.env.ref("lco_module.menu_lco_case")
        config_menu = self.env.ref("lco_module.menu_lco_config")
        self.assertEqual(cases_menu.action, action)
        Menu = self.env["ir.ui.menu"]
        visible = {
            user: Menu.with_user(user)._visible_menu_ids()
            for user in (
                self.employee_a,
                self.aid_worker_a,
                self.coordinator_a,
                self.manager_a,
            )
        }
        self.assertNotIn(root.id, visible[self.employee_a])
        for user in self.aid_worker_a | self.coordinator_a:
            self.assertIn(cases_menu.id, visible[user])
            self.assertNotIn(config_menu.id, visible[user])
        self.assertIn(config_menu.id, visible[self.manager_a])

    def test_views_load(self):
        for model, view_types in (
            ("lco.case", ["kanban", "list", "form", "search", "activity"]),
            ("lco.meeting", ["calendar", "list", "form", "search"]),
            ("lco.agreement", ["list", "form", "search"]),
        ):
            with self.subTest(model=model):
                views = (
                    self.env[model]
                    .with_user(self.aid_worker_a)
                    .get_views([(False, view_type) for view_type in view_types])
                )
                self.assertEqual(set(views["views"]), set(view_types))

    def test_the_kanban_folds_closed_and_cancelled_cases(self):
        """Grouped by status, the kanban opens the work in progress; closed
        and cancelled cases are folded columns with their count, open when
        the search picks statuses."""
        self.case_a2.sudo().write({"state": "closed"})
        Case = self.env["lco.case"].with_user(self.coordinator_a)
        groups = Case.web_read_group([], ["state"], ["state"], lazy=True)["groups"]
        folded = {group["state"]: group["__fold"] for group in groups}
        self.assertEqual(
            folded,
            {"draft": False, "active": False, "closed": True, "cancelled": True},
        )
        closed = next(group for group in groups if group["state"] == "closed")
        self.assertEqual(
            closed["state_count"], Case.search_count([("state", "=", "closed")])
        )
        self.assertGreater(closed["state_count"], 0)
        groups = Case.web_read_group(
            [("state", "in", ("active", "closed"))], ["state"], ["state"], lazy=True
        )["groups"]
        self.assertFalse(any(group["__fold"] for group in groups))
