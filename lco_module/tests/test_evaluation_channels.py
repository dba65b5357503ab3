import re
from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from .common_portal import SCORES, LcoEvaluationCommon


class LcoEvaluationChannelsCommon(LcoEvaluationCommon):
    """A second meeting of case_a1, held with Ann present: she has neither an
    e-mail address nor an account (she hands in the printed form)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.external_worker.email = False
        meeting = cls._create_meeting(cls.case_a1)
        meeting.with_user(cls.coordinator_a).with_context(
            lco_schedule_confirmed=True
        ).action_schedule()
        meeting.attendee_ids.status = "present"
        with freeze_time(meeting.start + timedelta(minutes=5)):
            meeting.with_user(cls.coordinator_a).action_hold()
        cls.meeting_2 = meeting
        cls.evaluations_2 = meeting.evaluation_ids
        cls.eval_ann_2 = cls.evaluations_2.filtered(
            lambda e: e.partner_id == cls.external_worker
        )
        cls.eval_client_2 = cls.evaluations_2.filtered("is_client")

    def enter_paper(self, user, evaluation, *scores, comment=False):
        """As ``user``: open the paper window of ``evaluation`` and save."""
        action = evaluation.with_user(user).action_lco_enter_paper()
        wizard = (
            self.env[action["res_model"]]
            .with_user(user)
            .with_context(**action["context"])
            .create(
                {
                    **{
                        name: str(score)
                        for name, score in zip(SCORES, scores, strict=True)
                    },
                    "comment": comment,
                }
            )
        )
        return wizard.action_save()


@tagged("post_install", "-at_install")
class TestEvaluationChannels(LcoEvaluationChannelsCommon):
    def test_present_without_email_is_asked(self):
        self.assertTrue(self.eval_ann_2, "asked though she has no e-mail or account")
        self.assertEqual(self.eval_ann_2.state, "pending")
        self.assertFalse(self.eval_ann_2.answer_channel)
        logged = self.meeting_2.message_ids.filtered(
            lambda m: "Evaluation asked of" in m.body
        )
        self.assertIn("Ann External", logged.body)

    def test_coordinator_enters_the_paper_answers_once(self):
        self.enter_paper(
            self.coordinator_a, self.eval_ann_2, 4, 4, 2, 4, 4, 4, comment=" Busy "
        )
        evaluation = self.eval_ann_2
        self.assertEqual(evaluation.state, "answered")
        self.assertEqual(evaluation.answer_channel, "paper")
        self.assertEqual([evaluation[name] for name in SCORES], [4, 4, 2, 4, 4, 4])
        self.assertEqual(evaluation.comment, "Busy")
        self.assertTrue(evaluation.answered_date)
        # Once: a second entry, from the window or the tablet, is refused.
        with self.assertRaisesText(UserError, "already gave this evaluation"):
            self.enter_paper(self.coordinator_a, evaluation, 1, 1, 1, 1, 1, 1)
        with self.assertRaisesText(UserError, "already gave this evaluation"):
            evaluation.with_user(self.coordinator_a).action_lco_answer_on_tablet()
        self.assertEqual(evaluation.score_listened, 4)
        # A manager of the organisation may enter one too.
        self.enter_paper(self.manager_a, self.eval_client_2, 3, 3, 3, 3, 3, 3)
        self.assertEqual(self.eval_client_2.answer_channel, "paper")

    def test_paper_entry_refused_to_others(self):
        for user in (
            self.aid_worker_a,  # an aid worker, even for his own evaluation
            self.coordinator2_a,  # a coordinator of another case
            self.coordinator_b,  # another organisation
            self.manager_b,
            self.portal_client,  # the client himself: he has the form
        ):
            for evaluation in (self.eval_ann_2, self.eval_aid_worker):
                with self.assertRaises(AccessError, msg=user.login):
                    evaluation.with_user(user).action_lco_enter_paper()
                with self.assertRaises(AccessError, msg=user.login):
                    evaluation.with_user(user).action_lco_answer_on_tablet()
                with self.assertRaises(AccessError, msg=user.login):
                    self.env["lco.meeting.evaluation.paper"].with_user(user).create(
                        {"evaluation_id": evaluation.id, "score_listened": "1"}
                    )
        self.assertEqual(set(self.evaluations_2.mapped("state")), {"pending"})

    def test_bad_paper_answers(self):
        with self.assertRaisesText(UserError, "Answer every statement"):
            self.env["lco.meeting.evaluation.paper"].with_user(
                self.coordinator_a
            ).create({"evaluation_id": self.eval_ann_2.id}).action_save()
        with self.assertRaisesText(UserError, "Unknown way"):
            self.eval_ann_2._lco_answer({}, channel="fax")
        self.assertEqual(self.eval_ann_2.state, "pending")

    def test_figures_group_by_channel(self):
        self.answer(self.eval_client_2, 2, 2, 2, 2, 2, 2)
        self.enter_paper(self.coordinator_a, self.eval_ann_2, 4, 4, 4, 4, 4, 4)
        aid = self.evaluations_2.filtered(
            lambda e: e.partner_id == self.aid_worker_a.partner_id
        )
        self.env.invalidate_all()
        aid.with_user(self.coordinator_a)._lco_answer_for_person(
            dict.fromkeys(SCORES, 5), "tablet"
        )
        self.assertEqual(self.eval_client_2.answer_channel, "link")
        groups = (
            self.env["lco.meeting.evaluation"]
            .with_user(self.manager_a)
            ._read_group(
                [("state", "=", "answered"), ("meeting_id", "=", self.meeting_2.id)],
                ["answer_channel"],
                ["score_average:avg", "__count"],
            )
        )
        self.assertEqual(
            {channel: (avg, count) for channel, avg, count in groups},
            {"link": (2.0, 1), "paper": (4.0, 1), "tablet": (5.0, 1)},
        )
        # The figures' views offer the grouping.
        search = self.env.ref("lco_module.view_lco_meeting_evaluation_search")
        self.assertIn("group_answer_channel", search.arch)

    def test_printed_forms(self):
        report = self.env["ir.actions.report"].with_user(self.coordinator_a)
        # One evaluation: the person's name, the six statements, the boxes.
        html = str(
            report._render_qweb_html(
                "lco_module.action_report_lco_evaluation_form", self.eval_ann_2.ids
            )[0]
        )
        self.assertIn("Ann External", html)
        for statement in (
            "I was listened to.",
            "People spoke with me, not about me.",
            "I decided along.",
            "not at all",
            "completely",
            "Do you want to tell us more?",
        ):
            self.assertIn(statement, html)
        # A held meeting: the forms of who has not answered yet.
        self.answer(self.eval_client_2, 2, 2, 2, 2, 2, 2)
        html = str(
            report._render_qweb_html(
                "lco_module.action_report_lco_meeting_evaluation_forms",
                self.meeting_2.ids,
            )[0]
        )
        self.assertIn("Ann External", html)
        self.assertNotIn("Kim Client", html)
        # Before the meeting: with the participant list, a form for each
        # person expected, not for who sent his excuses.
        meeting = self._create_meeting(self.case_a1)
        meeting.attendee_ids.filtered(
            lambda a: a.partner_id == self.aunt_a1
        ).status = "excused"
        html = str(
            report._render_qweb_html(
                "lco_module.action_report_lco_attendance_evaluation", meeting.ids
            )[0]
        )
        self.assertIn("Participant list and confidentiality", html)
        self.assertEqual(html.count("How did the meeting go for you?"), 4)
        self.assertEqual(html.count("Rita Aunt"), 1, "on the list, no form")
        # An aid worker does not print them.
        with self.assertRaises(AccessError):
            self.env["ir.actions.report"].with_user(
                self.aid_worker_a
            )._render_qweb_html(
                "lco_module.action_report_lco_evaluation_form", self.eval_ann_2.ids
            )


@tagged("post_install", "-at_install")
class TestEvaluationTablet(LcoEvaluationChannelsCommon, HttpCase):
    def tablet_url(self, evaluation):
        return f"/lco/evaluation/{evaluation.id}/tablet"

    def test_tablet_answer_recorded_as_such(self):
        # "Answer on this Device" opens the form in a new tab of this browser.
        action = self.eval_ann_2.with_user(
            self.coordinator_a
        ).action_lco_answer_on_tablet()
        self.assertEqual(action["url"], self.tablet_url(self.eval_ann_2))
        self.assertEqual(action["target"], "new")
        self.authenticate(self.coordinator_a.login, self.coordinator_a.login)
        page = self.url_open(self.tablet_url(self.eval_ann_2))
        self.assertEqual(page.status_code, 200)
        self.assertIn("Ann External", page.text)
        self.assertIn("I was listened to", page.text)
        self.assertNotIn('href="/odoo', page.text)
        self.assertNotIn('href="/my', page.text)
        self.assertNotIn('id="top"', page.text, "no header with the user menu")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)[1]
        answer = self.url_open(
            self.tablet_url(self.eval_ann_2),
            data={"csrf_token": csrf, **dict.fromkeys(SCORES, "3"), "comment": "ok"},
        )
        self.assertEqual(answer.status_code, 200)
        self.assertIn("Your evaluation was sent", answer.text)
        self.assertIn("give the tablet back", answer.text)
        self.assertNotIn("<a ", answer.text.split('id="wrapwrap"')[1])
        self.assertEqual(self.eval_ann_2.state, "answered")
        self.assertEqual(self.eval_ann_2.answer_channel, "tablet")
        self.assertEqual(self.eval_ann_2.comment, "ok")
        again = self.url_open(
            self.tablet_url(self.eval_ann_2),
            data={"csrf_token": csrf, **dict.fromkeys(SCORES, "1")},
        )
        self.assertEqual(again.status_code, 409)
        self.assertEqual(self.eval_ann_2.score_listened, 3)

    def test_tablet_page_refused_to_others(self):
        for user in (self.aid_worker_a, self.coordinator2_a, self.coordinator_b):
            self.authenticate(user.login, user.login)
            page = self.url_open(self.tablet_url(self.eval_ann_2))
            self.assertEqual(page.status_code, 404, user.login)
            self.assertNotIn("Ann External", page.text)
        self.authenticate(None, None)
        page = self.url_open(self.tablet_url(self.eval_ann_2), allow_redirects=False)
        self.assertIn(page.status_code, (302, 303))
        self.assertIn("/web/login", page.headers["Location"])


@tagged("post_install", "-at_install", "is_tour")
class TestEvaluationChannelTours(LcoEvaluationChannelsCommon, HttpCase):
    """The paper entry and the tablet, in the browser at phone width."""

    browser_size = "390x844"
    touch_enabled = True

    def test_paper_entry_tour(self):
        self.start_tour(
            f"/odoo/action-lco_module.action_lco_meeting/{self.meeting_2.id}",
            "lco_evaluation_paper_tour",
            login=self.coordinator_a.login,
        )
        self.assertEqual(self.eval_ann_2.state, "answered")
        self.assertEqual(self.eval_ann_2.answer_channel, "paper")
        self.assertEqual([self.eval_ann_2[name] for name in SCORES], [4, 4, 2, 4, 4, 4])
        self.assertEqual(self.eval_ann_2.comment, "Too many people at once.")

    def test_tablet_tour(self):
        self.start_tour(
            f"/lco/evaluation/{self.eval_client_2.id}/tablet",
            "lco_evaluation_tablet_tour",
            login=self.coordinator_a.login,
        )
        self.assertEqual(self.eval_client_2.state, "answered")
        self.assertEqual(self.eval_client_2.answer_channel, "tablet")
        self.assertEqual(
            [self.eval_client_2[name] for name in SCORES], [5, 3, 3, 3, 3, 3]
        )
