from datetime import timedelta

import psycopg2
from freezegun import freeze_time

from odoo import Command, api
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.service.model import PG_CONCURRENCY_ERRORS_TO_RETRY
from odoo.tests import Form, HttpCase, TransactionCase, tagged
from odoo.tools import mute_logger

from .common import skip_without_demo
from .common_meeting import LcoMeetingCommon


@tagged("post_install", "-at_install")
class TestMeetingFlow(LcoMeetingCommon):
    def test_new_meeting_is_prepared_along_the_checklist(self):
        questions = self.env["lco.checklist.question"].search(
            [("company_id", "in", [False, self.company_a.id])]
        )
        own = self.env["lco.checklist.question"].create(
            {"name": "Is an interpreter booked?", "company_id": self.company_a.id}
        )
        self.env["lco.checklist.question"].create(
            {"name": "Elsewhere only", "company_id": self.company_b.id}
        )
        meeting = self.create_meeting()
        self.assertEqual(
            meeting.checklist_item_ids.question_id, questions | own, "own and shared"
        )
        self.assertEqual(len(questions), 7, "the questions of the Oostende checklist")
        # Issue 8, item 7: the pivot and the consent are answered by the case.
        self.assertEqual(meeting.checklist_progress, 25.0)
        by_hand = meeting.checklist_item_ids.filtered(lambda i: not i.case_check)
        by_hand[:2].is_done = True
        self.assertAlmostEqual(meeting.checklist_progress, 50.0)
        self.assertEqual(
            meeting.attendee_ids.partner_id,
            self.case_a1.participant_ids.partner_id,
            "the whole team is invited",
        )

    def test_a_new_topic_is_proposed_by_the_client(self):
        meeting = self.create_meeting()
        with Form(meeting) as form, form.agenda_item_ids.new() as item:
            item.name = "Where will we live?"
        self.assertEqual(
            meeting.agenda_item_ids.proposed_by_id.partner_id, self.client_a1
        )
        aunt = self.participant(self.aunt_a1)
        meeting.agenda_item_ids = [
            Command.create({"name": "Money", "proposed_by_id": aunt.id})
        ]
        self.assertEqual(
            meeting.agenda_item_ids.proposed_by_id.partner_id,
            self.client_a1 | self.aunt_a1,
        )

    def test_scheduling_warns_about_an_incomplete_preparation(self):
        self.case_a1.consent_id.action_withdraw()
        self.company_a.lco_consent_warn_only = True
        meeting = self.create_meeting()
        action = meeting.action_schedule()
        self.assertEqual(action["res_model"], "lco.meeting.schedule")
        self.assertEqual(meeting.state, "draft", "nothing happens without confirmation")
        wizard = (
            self.env["lco.meeting.schedule"]
            .with_user(self.coordinator_a)
            .with_context(**action["context"])
            .create({})
        )
        self.assertIn("consent", wizard.issues)
        self.assertNotIn("Is there a pivot figure", wizard.issues, "the case has one")
        self.assertIn("The client has not put any topic on the agenda", wizard.issues)
        self.assertNotIn("no pivot figure", wizard.issues, "the case has one")
        wizard.action_schedule()
        self.assertEqual(meeting.state, "scheduled")

    def test_a_prepared_meeting_is_scheduled_at_once(self):
        meeting = self.create_meeting()
        self.prepare(meeting)
        self.assertFalse(meeting.preparation_issues)
        self.assertIs(meeting.action_schedule(), True)
        self.assertEqual(meeting.state, "scheduled")

    def test_the_organisation_can_block_unprepared_meetings(self):
        self.company_a.lco_block_unprepared_meetings = True
        meeting = self.create_meeting()
        self.prepare(meeting)
        meeting.checklist_item_ids.filtered(lambda i: not i.case_check)[
            -1
        ].is_done = False
        with self.assertRaisesRegex(UserError, "Not checked yet: If the client comes"):
            meeting.action_schedule()
        self.assertEqual(meeting.state, "draft")
        meeting.checklist_item_ids.is_done = True
        meeting.action_schedule()
        self.assertEqual(meeting.state, "scheduled")

    def test_scheduling_needs_a_date(self):
        meeting = self.create_meeting(start=False)
        with self.assertRaisesRegex(UserError, "date and time"):
            meeting.action_schedule()

    def test_state_flow(self):
        meeting = self.create_meeting()
        self.prepare(meeting)
        with self.assertRaises(UserError):
            meeting.action_hold()
        meeting.action_schedule()
        with self.assertRaises(UserError):
            meeting.action_schedule()
        meeting.attendee_ids[0].status = "present"
        with self.assertRaisesRegex(UserError, "Record who was present"):
            meeting.action_hold()
        self.hold(meeting)
        self.assertEqual(meeting.state, "held")
        with self.assertRaises(UserError):
            meeting.action_cancel()
        meeting.action_report()
        self.assertEqual(meeting.state, "reported")

        other = self.create_meeting(days=40)
        other.action_cancel()
        self.assertEqual(other.state, "cancelled")
        other.action_reset_draft()
        self.assertEqual(other.state, "draft")

    def test_aid_workers_follow_but_do_not_run_meetings(self):
        meeting = self.create_meeting()
        self.prepare(meeting)
        as_aid_worker = meeting.with_user(self.aid_worker_a)
        self.assertEqual(as_aid_worker.checklist_progress, 100)
        with self.assertRaises(AccessError):
            as_aid_worker.action_schedule()
        with self.assertRaises(AccessError):
            as_aid_worker.checklist_item_ids[0].is_done = False

    def test_holding_the_meeting_in_the_form(self):
        meeting = self.create_meeting()
        self.prepare(meeting)
        meeting.action_schedule()
        with Form(meeting.with_user(self.coordinator_a)) as form:
            for index in range(len(form.attendee_ids)):
                with form.attendee_ids.edit(index) as attendee:
                    attendee.status = "excused" if index == 1 else "present"
            form.client_perspective = "Kim wants peace at home."
            form.strengths = "She keeps coming."
            with form.agenda_item_ids.edit(0) as item:
                item.summary = "The housing company waits three months."
            with form.agreement_ids.new() as agreement:
                agreement.name = "Ask a payment plan"
                agreement.responsible_id = self.participant(
                    self.aid_worker_a.partner_id
                )
                agreement.life_domain_id = self.life_domain_housing
        with freeze_time(meeting.start + timedelta(minutes=5)):
            meeting.action_hold()
        self.assertEqual(meeting.agreement_ids.case_id, self.case_a1)
        self.assertEqual(
            meeting.attendee_ids.mapped("status").count("excused"), 1, "one excused"
        )

    def test_plan_follow_up_with_the_same_participants(self):
        meeting = self.create_meeting()
        self.prepare(meeting)
        meeting.action_schedule()
        counsellor = meeting.attendee_ids.filtered(
            lambda a: a.partner_id == self.external_worker
        )
        counsellor.practical_needs = "Comes by train"
        meeting.attendee_ids.filtered(lambda a: a.partner_id == self.aunt_a1).unlink()
        self.hold(meeting)
        with self.assertRaises(UserError):
            self.create_meeting().action_plan_follow_up()

        action = meeting.action_plan_follow_up()
        follow_up = self.env["lco.meeting"].browse(action["res_id"])
        self.assertEqual(follow_up.kind, "follow_up")
        self.assertEqual(follow_up.number, meeting.number + 1)
        self.assertEqual(follow_up.state, "draft")
        self.assertEqual(
            follow_up.attendee_ids.partner_id, meeting.attendee_ids.partner_id
        )
        self.assertNotIn(self.aunt_a1, follow_up.attendee_ids.partner_id)
        self.assertEqual(
            follow_up.attendee_ids.filtered(
                lambda a: a.partner_id == self.external_worker
            ).practical_needs,
            "Comes by train",
        )
        self.assertEqual(meeting.next_meeting_id, follow_up)
        self.assertEqual(
            meeting.action_plan_follow_up()["res_id"], follow_up.id, "planned once"
        )

    def test_open_agreements_come_back_in_the_next_meeting(self):
        first = self.create_meeting()
        self.prepare(first)
        first.action_schedule()
        self.hold(first)
        pivot = self.participant(self.aid_worker_a.partner_id)
        Agreement = self.env["lco.agreement"].with_user(self.coordinator_a)
        still_open, done = Agreement.create(
            [
                {
                    "case_id": self.case_a1.id,
                    "meeting_id": first.id,
                    "name": name,
                    "responsible_id": pivot.id,
                    "state": state,
                }
                for name, state in (("Call the landlord", "open"), ("Visit", "done"))
            ]
        )
        second = self.env["lco.meeting"].browse(first.action_plan_follow_up()["res_id"])
        self.assertEqual(second.evaluated_agreement_ids, still_open)

        third = self.create_meeting(days=60)
        self.assertFalse(
            third.evaluated_agreement_ids, "not taken from a meeting still to come"
        )
        self.prepare(second)
        second.start = first.start + timedelta(days=30)
        second.action_schedule()
        self.hold(second)
        made_later = Agreement.create(
            {
                "case_id": self.case_a1.id,
                "meeting_id": second.id,
                "name": "Ask for a payment plan",
                "responsible_id": pivot.id,
            }
        )
        third.action_load_open_agreements()
        self.assertEqual(third.evaluated_agreement_ids, still_open | made_later)
        self.assertFalse(done.evaluation_meeting_id)

    def test_states_move_only_through_their_checks(self):
        """Issue 7, item 7: a write of the state passes the checks the buttons
        make, and does what they do."""
        meeting = self.create_meeting()
        with self.assertRaisesText(UserError, "Only a held meeting can be reported"):
            meeting.write({"state": "reported"})
        with self.assertRaisesText(UserError, "Only a scheduled meeting can be held"):
            meeting.state = "held"
        with self.assertRaisesText(UserError, "is not a status of a"):
            meeting.state = "done"
        self.company_a.lco_block_unprepared_meetings = True
        with self.assertRaisesText(UserError, "cannot be scheduled yet"):
            meeting.state = "scheduled"
        self.prepare(meeting)
        with self.mock_mail_gateway():
            meeting.state = "scheduled"
        self.assertTrue(meeting.calendar_event_id, "invited as by the button")
        self.assertTrue(self.mails_to(self.external_worker))
        with self.assertRaisesText(UserError, "Record who was present"):
            meeting.state = "held"
        with self.assertRaisesText(ValidationError, "keeps its date and time"):
            meeting.start = False
        event = meeting.calendar_event_id
        with self.mock_mail_gateway():
            meeting.state = "cancelled"
        self.assertFalse(event.exists(), "cancelled as by the button")
        with self.assertRaisesText(UserError, "starts in preparation"):
            self.create_meeting(state="reported")

    def test_a_meeting_of_a_closed_case_is_not_scheduled(self):
        meeting = self.create_meeting()
        self.prepare(meeting)
        self.case_a1._close(self.close_reason, "The family found a home.")
        self.assertEqual(meeting.state, "cancelled")
        with self.assertRaises(UserError):
            meeting.action_schedule()
        with self.assertRaises(UserError):
            meeting.write({"state": "scheduled"})
        self.assertFalse(meeting.calendar_event_id)

    def test_number_and_calendar_event_are_the_addon_s(self):
        meeting = self.create_meeting()
        self.prepare(meeting)
        meeting.action_schedule()
        other = self.env["calendar.event"].create({"name": "Elsewhere"})
        for vals in (
            {"number": 1},
            {"calendar_event_id": other.id},
            {"calendar_event_id": False},
            {"company_id": self.company_b.id},
        ):
            with self.subTest(vals=vals):
                with self.assertRaisesText(UserError, "cannot be changed"):
                    meeting.write(vals)
                with self.assertRaisesText(UserError, "cannot be changed"):
                    self.create_meeting(**vals)
        self.assertEqual(meeting.number, 2)
        self.assertEqual(meeting.calendar_event_id.lco_meeting_id, meeting)

    def test_a_meeting_stays_in_its_case(self):
        """Issue 7, item 11: moving a meeting would keep the other client's
        attendees."""
        meeting = self.create_meeting().with_user(self.manager_a)
        with self.assertRaisesText(UserError, "stays in its case"):
            meeting.case_id = self.case_a2
        other = (
            self.env["lco.meeting"]
            .with_user(self.manager_a)
            .create({"case_id": self.case_a2.id})
        )
        for line in (
            meeting.attendee_ids[0],
            meeting.checklist_item_ids[0],
            self.meeting_a1.agenda_item_ids[0],
        ):
            with self.subTest(line=line._name):
                with self.assertRaisesText(UserError, "stay with their meeting"):
                    line.with_user(self.manager_a).meeting_id = other
        self.assertEqual(meeting.case_id, self.case_a1)

    def test_the_schedule_wizard_opens_on_own_meetings_only(self):
        meeting = self.create_meeting()
        Wizard = self.env["lco.meeting.schedule"]
        for user in (self.coordinator2_a, self.coordinator_b, self.aid_worker_a):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                Wizard.with_user(user).with_context(
                    default_meeting_ids=meeting.ids
                ).create({})
        wizard = Wizard.with_user(self.coordinator_a).create(
            {"meeting_ids": [Command.set(meeting.ids)]}
        )
        self.assertIn("The client has not put any topic", wizard.issues)


@tagged("post_install", "-at_install")
class TestMeetingButtonsOverRpc(HttpCase, LcoMeetingCommon):
    """Issue 7, item 14: a button called over XML-RPC answers True or an
    action, never None (which XML-RPC cannot send, after committing)."""

    def call(self, model, method, ids, *args):
        user = self.coordinator_a
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname, user.id, user.login, model, method, [ids, *args]
        )

    def test_every_button_answers(self):
        unprepared = self.create_meeting(days=20)
        action = self.call("lco.meeting", "action_schedule", unprepared.ids)
        self.assertEqual(action["res_model"], "lco.meeting.schedule")
        wizard = self.call(
            "lco.meeting.schedule",
            "create",
            {"meeting_ids": [(6, 0, unprepared.ids)]},
        )
        self.assertEqual(
            self.call("lco.meeting.schedule", "action_schedule", [wizard]),
            {"type": "ir.actions.act_window_close"},
        )
        self.assertIs(self.call("lco.meeting", "action_cancel", unprepared.ids), True)
        self.assertIs(
            self.call("lco.meeting", "action_reset_draft", unprepared.ids), True
        )

        meeting = self.create_meeting(days=-1)
        self.prepare(meeting)
        self.assertIs(self.call("lco.meeting", "action_schedule", meeting.ids), True)
        self.assertIs(
            self.call("lco.meeting", "action_load_open_agreements", meeting.ids), True
        )
        for model, method, ids in (
            ("lco.meeting", "action_print_invitations", meeting.ids),
            (
                "lco.meeting.attendee",
                "action_print_invitation",
                meeting.attendee_ids.ids,
            ),
        ):
            with self.subTest(method=method):
                action = self.call(model, method, ids)
                self.assertEqual(action["type"], "ir.actions.report")
        self.call(
            "lco.meeting.attendee",
            "write",
            meeting.attendee_ids.ids,
            {"status": "present"},
        )
        self.assertIs(self.call("lco.meeting", "action_hold", meeting.ids), True)
        action = self.call("lco.meeting", "action_send_report", meeting.ids)
        self.assertEqual(action["res_model"], "mail.compose.message")
        self.assertIs(self.call("lco.meeting", "action_report", meeting.ids), True)
        action = self.call("lco.meeting", "action_print_paper_copies", meeting.ids)
        self.assertEqual(action["type"], "ir.actions.report")
        action = self.call("lco.meeting", "action_plan_follow_up", meeting.ids)
        self.assertEqual(action["res_model"], "lco.meeting")


@tagged("post_install", "-at_install")
class TestMeetingNumbersUnderConcurrency(TransactionCase):
    """Issue 7, item 12: two requests numbering a meeting of the same case at
    the same time. Odoo's transactions run in REPEATABLE READ: the second
    would not see the first one's meeting and take the same number. It has
    to wait, and fail in a way Odoo retries (then seeing the first meeting).

    It runs on the demo case of the Vermeulen family, on purpose: two cursors
    see only committed rows, and a world of its own (a coordinator, a client,
    an active case with its consent) would have to be committed into the
    shared test database and removed again by hand (users, followers,
    messages, numbering), left behind whenever the test dies half-way; the
    demo case is committed already, and both cursors are rolled back, so the
    test changes nothing. Skipped only where the addon was installed without
    demo data; failing where the demo was installed and its case is missing
    or not active."""

    @mute_logger("odoo.sql_db")
    def test_a_second_request_waits_for_the_number_of_the_first(self):
        skip_without_demo(self)
        case = self.env.ref("lco_module.case_family")
        self.assertEqual(case.state, "active")
        coordinator = case.coordinator_id.id
        first_cr, second_cr = self.registry.cursor(), self.registry.cursor()
        try:
            second_cr.execute("SELECT 1")  # its snapshot: before the first meeting
            first = api.Environment(first_cr, coordinator, {})
            first["lco.meeting"].create({"case_id": case.id})
            first.flush_all()
            second_cr.execute("SET LOCAL lock_timeout = '1s'")
            second = api.Environment(second_cr, coordinator, {})
            with self.assertRaises(psycopg2.OperationalError) as caught:
                second["lco.meeting"].create({"case_id": case.id})
                second.flush_all()
            self.assertIn(caught.exception.pgcode, PG_CONCURRENCY_ERRORS_TO_RETRY)
        finally:
            for cr in (first_cr, second_cr):
                cr.rollback()
                cr.close()
