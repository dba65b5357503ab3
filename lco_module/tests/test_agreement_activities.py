from datetime import timedelta
from unittest.mock import patch

from lxml import etree

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from ..models import lco_agreement
from .common_meeting import LcoMeetingCommon


@tagged("post_install", "-at_install")
class TestAgreementActivities(LcoMeetingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env["lco.agreement"])
        cls.activity_type = cls.env.ref("lco_module.mail_activity_type_lco_agreement")

    def agree(self, responsible, days=14, **values):
        return (
            self.env["lco.agreement"]
            .with_user(self.coordinator_a)
            .create(
                {
                    "case_id": self.case_a1.id,
                    "name": "Ask the energy supplier for a payment plan",
                    "responsible_id": self.participant(responsible).id,
                    "deadline": self.today + timedelta(days=days) if days else False,
                    **values,
                }
            )
        )

    def test_the_responsible_aid_worker_gets_a_to_do_with_the_deadline(self):
        agreement = self.agree(self.aid_worker_a.partner_id)
        activity = agreement.activity_ids
        self.assertEqual(activity.activity_type_id, self.activity_type)
        self.assertEqual(activity.user_id, self.aid_worker_a)
        self.assertEqual(activity.date_deadline, agreement.deadline)
        self.assertIn(
            agreement,
            self.env["lco.agreement"]
            .with_user(self.aid_worker_a)
            .search([("activity_user_id", "=", self.aid_worker_a.id)]),
        )

    def test_people_outside_odoo_get_no_activity(self):
        self.assertFalse(self.agree(self.external_worker).activity_ids)
        self.assertFalse(self.agree(self.client_a1).activity_ids)

    def test_the_activity_follows_the_agreement(self):
        agreement = self.agree(self.aid_worker_a.partner_id)
        agreement.deadline = self.today + timedelta(days=30)
        self.assertEqual(agreement.activity_ids.date_deadline, agreement.deadline)
        agreement.responsible_id = self.participant(self.external_worker)
        self.assertFalse(agreement.activity_ids, "an external person has none")
        agreement.responsible_id = self.participant(self.aid_worker_a.partner_id)
        self.assertEqual(agreement.activity_ids.user_id, self.aid_worker_a)
        agreement.deadline = False
        self.assertEqual(agreement.activity_ids.date_deadline, self.today)

    def test_the_aid_worker_reports_done_and_his_activity_closes(self):
        agreement = self.agree(self.aid_worker_a.partner_id)
        mine = agreement.with_user(self.aid_worker_a)
        mine.write({"state": "done", "outcome_note": "Plan granted: 12 months."})
        self.assertFalse(agreement.activity_ids)
        done = self.env["mail.message"].search(
            [
                ("model", "=", "lco.agreement"),
                ("res_id", "=", agreement.id),
                ("mail_activity_type_id", "=", self.activity_type.id),
            ]
        )
        self.assertIn("Plan granted", done.body)

    def test_closing_many_agreements_closes_their_to_dos_per_outcome(self):
        """Closing a list of agreements marks their to-dos done in one call per
        outcome, not one per agreement (issue 12: 19.5 queries each), and
        each to-do still gets how its own agreement went."""
        agreements = self.env["lco.agreement"]
        for _n in range(6):
            agreements |= self.agree(self.aid_worker_a.partner_id)
        agreements[:2].outcome_note = "Plan granted: 12 months."
        dropped = self.agree(self.aid_worker_a.partner_id)
        self.assertEqual(len(agreements.activity_ids), 6)
        Activity = type(self.env["mail.activity"])
        feedback_calls = []
        action_feedback = Activity.action_feedback

        def count_feedback(activities, *args, **kwargs):
            feedback_calls.append(len(activities))
            return action_feedback(activities, *args, **kwargs)

        mine = (agreements | dropped).with_user(self.aid_worker_a)
        with patch.object(Activity, "action_feedback", count_feedback):
            mine[:6].write({"state": "done"})
            mine[6:].write({"state": "on_hold"})
        self.assertEqual(sorted(feedback_calls), [2, 4], "one call per outcome")
        self.assertFalse((agreements | dropped).activity_ids)
        self.assertFalse(
            self.env["mail.message"].search(
                [
                    ("model", "=", "lco.agreement"),
                    ("res_id", "=", dropped.id),
                    ("mail_activity_type_id", "!=", False),
                ]
            ),
            "on hold: the to-do is dropped, not done",
        )
        for agreement in agreements:
            done = self.env["mail.message"].search(
                [
                    ("model", "=", "lco.agreement"),
                    ("res_id", "=", agreement.id),
                    ("mail_activity_type_id", "=", self.activity_type.id),
                ]
            )
            self.assertIn(agreement.outcome_note or "Done", done.body)

    def test_cancelling_drops_the_activity_and_reopening_brings_it_back(self):
        agreement = self.agree(self.aid_worker_a.partner_id)
        agreement.state = "cancelled"
        self.assertFalse(agreement.activity_ids)
        self.assertFalse(
            self.env["mail.message"].search(
                [
                    ("res_id", "=", agreement.id),
                    ("model", "=", "lco.agreement"),
                    ("mail_activity_type_id", "!=", False),
                ]
            ),
            "dropped, not done",
        )
        agreement.state = "open"
        self.assertEqual(agreement.activity_ids.user_id, self.aid_worker_a)

    def test_overdue_agreements_stand_out(self):
        late = self.agree(self.external_worker, days=-3)
        on_time = self.agree(self.external_worker, days=3)
        late_but_done = self.agree(self.external_worker, days=-3, state="done")
        self.assertTrue(late.is_overdue)
        self.assertFalse(on_time.is_overdue or late_but_done.is_overdue)
        Agreement = self.env["lco.agreement"].with_user(self.coordinator_a)
        mine = [("id", "in", (late | on_time | late_but_done).ids)]
        self.assertEqual(Agreement.search([*mine, ("is_overdue", "=", True)]), late)
        self.assertEqual(
            Agreement.search([*mine, ("is_overdue", "=", False)]),
            on_time | late_but_done,
        )

    def test_the_overdue_filter_finds_the_cases_with_a_late_open_agreement(self):
        """The case list's "Overdue Agreements" filter (its domain as the
        search view has it) follows the agreements' deadlines and states."""
        Case = self.env["lco.case"].with_user(self.coordinator_a)
        view = self.env.ref("lco_module.view_lco_case_search")
        domain = (
            etree.fromstring(view.arch)
            .xpath("//filter[@name='filter_overdue']")[0]
            .get("domain")
        )
        overdue = [
            *safe_eval(domain, {"context_today": lambda: self.today}),
            ("id", "=", self.case_a1.id),
        ]
        self.assertFalse(Case.search(overdue))
        late = self.agree(self.external_worker, days=-3)
        self.agree(self.external_worker, days=5)
        self.assertEqual(self.case_a1.next_deadline, late.deadline)
        self.assertEqual(Case.search(overdue), self.case_a1)
        late.with_user(self.coordinator_a).state = "done"
        self.assertEqual(self.case_a1.next_deadline, self.today + timedelta(days=5))
        self.assertFalse(Case.search(overdue))

    def test_daily_reminder_before_the_deadline(self):
        self._check_daily_reminder_before_the_deadline()

    def test_daily_reminder_with_no_mail_queued_before(self):
        """A database whose mail queue is empty (a new one, or one whose
        queue was sent and cleaned) sends the reminders all the same."""
        self.env["mail.mail"].search([]).unlink()
        self._check_daily_reminder_before_the_deadline()

    def _check_daily_reminder_before_the_deadline(self):
        self.company_a.lco_agreement_reminder_days = 3
        soon = self.agree(self.external_worker, days=2)
        later = self.agree(self.external_worker, days=10)
        today = self.agree(self.aid_worker_a.partner_id, days=0, deadline=self.today)
        no_email = self.agree(self.client_a1, days=1)
        # Only the mails the cron queues now, whatever the queue held before.
        last_queued = self.env["mail.mail"].search([], order="id desc", limit=1)
        mine = [
            ("id", ">", last_queued.id or 0),
            ("model", "=", "lco.agreement"),
            ("res_id", "in", (soon | later | today | no_email).ids),
        ]

        self.env["lco.agreement"]._cron_send_reminders()
        reminders = self.env["mail.mail"].search(mine)
        self.assertEqual(set(reminders.mapped("res_id")), {soon.id, today.id})
        self.assertEqual(
            reminders.filtered(lambda m: m.res_id == soon.id).recipient_ids,
            self.external_worker,
        )
        self.assertIn(
            "Herinnering",
            reminders.filtered(lambda m: m.res_id == soon.id).subject,
            "in the recipient's Dutch",
        )
        self.assertTrue(soon.reminder_sent and not later.reminder_sent)
        self.assertFalse(no_email.reminder_sent)
        self.assertIn("Reminder of the deadline sent to", soon.message_ids[0].body)

        self.env["lco.agreement"]._cron_send_reminders()
        self.assertEqual(
            self.env["mail.mail"].search_count(mine), 2, "once per deadline"
        )
        soon.deadline = self.today + timedelta(days=1)
        self.assertFalse(soon.reminder_sent, "a new deadline, a new reminder")

    def test_a_backlog_of_reminders_goes_out_batch_by_batch(self):
        """Each cron call sends a batch and tells the cron what is left: Odoo
        commits and calls again, so a backlog never exceeds the time limit."""
        self.company_a.lco_agreement_reminder_days = 3
        first = self.agree(self.external_worker, days=1)
        second = self.agree(self.external_worker, days=2)
        cron = self.env.ref("lco_module.ir_cron_lco_agreement_reminder")
        cron, progress = cron._add_progress()
        Agreement = self.env["lco.agreement"].with_context(**cron.env.context)
        with patch.object(lco_agreement, "REMINDER_BATCH", 1):
            Agreement._cron_send_reminders()
            self.assertEqual([first.reminder_sent, second.reminder_sent], [True, False])
            self.assertEqual((progress.done, progress.remaining), (1, 1))
            Agreement._cron_send_reminders()
        self.assertTrue(second.reminder_sent)
        self.assertEqual((progress.done, progress.remaining), (1, 0))

    def test_reminders_can_be_switched_off_but_not_set_after_the_deadline(self):
        self.company_a.lco_agreement_reminder_days = 0
        soon = self.agree(self.external_worker, days=1)
        self.env["lco.agreement"]._cron_send_reminders()
        self.assertFalse(soon.reminder_sent)
        with self.assertRaises(ValidationError):
            self.company_a.lco_agreement_reminder_days = -1
