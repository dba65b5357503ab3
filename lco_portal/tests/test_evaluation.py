import re
from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools.misc import format_datetime

from odoo.addons.lco_module.tests.common_portal import SCORES, LcoEvaluationCommon


@tagged("post_install", "-at_install")
class TestEvaluation(LcoEvaluationCommon):
    def test_held_meeting_asks_who_was_there(self):
        self.assertEqual(
            self.evaluations.partner_id,
            self.client_a1
            | self.aunt_a1
            | self.external_worker
            | self.aid_worker_a.partner_id,
            "everyone present is asked, not who was absent",
        )
        self.assertTrue(self.eval_client.is_client)
        self.assertFalse((self.evaluations - self.eval_client).filtered("is_client"))
        self.assertEqual(set(self.evaluations.mapped("state")), {"pending"})
        logged = self.meeting_a1.message_ids.filtered(
            lambda m: "Evaluation asked of" in m.body
        )
        self.assertEqual(len(logged), 1)
        for partner in self.evaluations.partner_id:
            self.assertIn(partner.name, logged.body)
        # Holding again (after a reopening) asks nobody twice.
        self.assertFalse(
            self.env["lco.meeting.evaluation"]._lco_create_for(self.meeting_a1)
        )

    def test_mail_carries_the_link_and_nothing_of_the_case(self):
        for evaluation in self.evaluations:
            mail = self.mail_of(evaluation)
            self.assertEqual(len(mail), 1, evaluation.partner_id.name)
            self.assertEqual(mail.recipient_ids, evaluation.partner_id)
            self.assertIn(
                f"/lco/evaluation/{evaluation.id}?access_token="
                f"{evaluation.access_token}",
                mail.body_html,
            )
            self.assertIn("OCMW A", mail.body_html)
            self.assertNotIn("Find a home", mail.body_html)
            self.assertNotIn("Housing", mail.body_html)
            if not evaluation.is_client:
                self.assertNotIn("Kim Client", mail.body_html + mail.subject)
            # Who reads the evaluation does not read its link.
            for user in (self.coordinator_a, self.manager_a):
                self.assertFalse(
                    self.env["mail.message"]
                    .with_user(user)
                    .search([("body", "ilike", evaluation.access_token)]),
                    user.login,
                )
        self.assertEqual(
            len(set(self.evaluations.mapped("access_token"))), 4, "a token each"
        )

    def test_client_mail_in_his_language(self):
        self.env["res.lang"]._activate_lang("nl_BE")
        self.client_a1.lang = "nl_BE"
        meeting = self._create_meeting(self.case_a1)
        meeting.with_user(self.coordinator_a).with_context(
            lco_schedule_confirmed=True
        ).action_schedule()
        meeting.attendee_ids.status = "present"
        with freeze_time(meeting.start + timedelta(minutes=5)):
            meeting.with_user(self.coordinator_a).action_hold()
        evaluation = meeting.evaluation_ids.filtered("is_client")
        mail = self.mail_of(evaluation)
        # The date is written in Dutch (the texts once the lead merges nl.po).
        # The meeting's day where it is held (the mail's time zone), not UTC's.
        weekday = format_datetime(
            self.env,
            meeting.start,
            tz=meeting._get_report_tz(),
            dt_format="EEEE",
            lang_code="nl_BE",
        )
        self.assertIn(weekday, mail.body_html)
        self.assertEqual(mail.recipient_ids, self.client_a1)

    def test_answer_once_and_only_scores(self):
        self.answer(self.eval_aunt, 5, 4, 3, 2, 1, 5, comment="Fine")
        self.assertEqual(self.eval_aunt.state, "answered")
        self.assertAlmostEqual(self.eval_aunt.score_average, 20 / 6)
        with self.assertRaisesText(UserError, "already gave your evaluation"):
            self.answer(self.eval_aunt, 1, 1, 1, 1, 1, 1)
        self.assertEqual(self.eval_aunt.score_listened, 5)
        with self.assertRaisesText(UserError, "Only the six answers"):
            self.eval_ann._lco_answer({"meeting_id": self.meeting_a1.id})
        with self.assertRaisesText(ValidationError, "from 1 to 5"):
            self.eval_ann.write({"score_listened": 6})

    def test_coordinator_reads_client_apart_from_others(self):
        self.answer(self.eval_client, 2, 2, 2, 2, 2, 2, comment="Too fast for me")
        self.answer(self.eval_aunt, 5, 5, 5, 5, 5, 5)
        self.answer(self.eval_ann, 4, 4, 4, 4, 4, 4)
        meeting = self.meeting_a1.with_user(self.coordinator_a)
        self.assertEqual(meeting.evaluation_client_score, 2.0)
        self.assertEqual(meeting.evaluation_others_score, 4.5)
        self.assertEqual(meeting.evaluation_others_count, 2)
        self.assertEqual(len(meeting.evaluation_ids), 4)
        self.assertEqual(
            meeting.evaluation_ids.filtered("is_client").comment, "Too fast for me"
        )
        # The figures of Reporting, grouped by client or not.
        groups = (
            self.env["lco.meeting.evaluation"]
            .with_user(self.manager_a)
            ._read_group(
                [("state", "=", "answered")], ["is_client"], ["score_average:avg"]
            )
        )
        self.assertEqual(dict(groups), {True: 2.0, False: 4.5})

    def test_who_reads_the_answers(self):
        self.answer(self.eval_client, 2, 2, 2, 2, 2, 2, comment="Too fast for me")
        Evaluation = self.env["lco.meeting.evaluation"]
        for user in (self.coordinator_a, self.manager_a):
            self.assertEqual(
                Evaluation.with_user(user).search([]) & self.evaluations,
                self.evaluations,
            )
        # Another organisation, an aid worker outside the case, and the
        # others at the table do not read the client's answers.
        for user in (
            self.coordinator_b,
            self.manager_b,
            self.outsider,
            self.aid_worker2_a,
            self.aid_worker_a,
            self.coordinator2_a,
        ):
            self.assertNotIn(
                self.eval_client, Evaluation.with_user(user).search([]), user.login
            )
            with self.assertRaises(AccessError, msg=user.login):
                self.eval_client.with_user(user).read(["comment"])
        for user in (self.coordinator_b, self.manager_b):
            with self.assertRaises(AccessError):
                self.eval_client.with_user(user).with_company(self.company_b).read(
                    ["comment"]
                )
            with self.assertRaises(AccessError):
                self.meeting_a1.with_user(user).with_company(self.company_b).read(
                    ["evaluation_client_score"]
                )
        # An aid worker reads his own only; nobody writes over RPC.
        self.assertEqual(
            Evaluation.with_user(self.aid_worker_a).search([]), self.eval_aid_worker
        )
        for user, evaluation in (
            (self.coordinator_a, self.eval_client),
            (self.manager_a, self.eval_client),
            (self.aid_worker_a, self.eval_aid_worker),
            (self.portal_aunt, self.eval_aunt),
        ):
            with self.assertRaises(AccessError, msg=user.login):
                evaluation.with_user(user).write({"score_listened": 5})
        self.assertEqual(self.eval_aunt.state, "pending")
        # The averages are the coordinator's, not the aid workers'.
        with self.assertRaises(AccessError):
            self.meeting_a1.with_user(self.aid_worker_a).read(
                ["evaluation_client_score"]
            )

    def test_portal_user_reads_his_own_only(self):
        Evaluation = self.env["lco.meeting.evaluation"]
        self.assertEqual(
            Evaluation.with_user(self.portal_aunt).search([]), self.eval_aunt
        )
        with self.assertRaises(AccessError):
            self.eval_client.with_user(self.portal_aunt).read(["comment"])
        with self.assertRaises(AccessError):
            self.eval_aunt.with_user(self.portal_aunt).read(["access_token"])
        self.assertEqual(
            self.case_a1.with_user(self.portal_client)._lco_my_pending_evaluations(),
            self.eval_client,
        )

    def test_anonymised_case_keeps_the_scores_only(self):
        self.answer(self.eval_client, 2, 2, 2, 2, 2, 2, comment="Too fast for me")
        self.case_a1.sudo().write({"state": "closed"})
        self.case_a1.sudo()._lco_anonymise()
        self.assertFalse(self.eval_client.comment)
        self.assertFalse(self.eval_client.partner_id)
        self.assertFalse(self.eval_client.access_token)
        self.assertFalse(self.mail_of(self.eval_client), "the unsent mail goes")
        self.assertEqual(self.eval_client.score_listened, 2)


@tagged("post_install", "-at_install")
class TestEvaluationHttp(LcoEvaluationCommon, HttpCase):
    def url(self, evaluation, token=True):
        url = f"/lco/evaluation/{evaluation.id}"
        if token is True:
            token = evaluation.access_token
        return f"{url}?access_token={token}" if token else url

    def post(self, evaluation, page, **data):
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)[1]
        return self.url_open(
            f"/lco/evaluation/{evaluation.id}",
            data={"csrf_token": csrf, "access_token": evaluation.access_token, **data},
        )

    def test_link_opens_without_login(self):
        page = self.url_open(self.url(self.eval_client))
        self.assertEqual(page.status_code, 200)
        self.assertIn("How did the meeting go for you?", page.text)
        self.assertIn("I was listened to", page.text)
        self.assertIn("OCMW A", page.text)
        for secret in ("Kim Client", "Find a home", "Housing", "Aid Worker A"):
            self.assertNotIn(secret, page.text)

    def test_wrong_link_shows_nothing(self):
        for url in (
            self.url(self.eval_client, token="not-the-token"),
            self.url(self.eval_client, token=False),
            self.url(self.eval_client, token=self.eval_aunt.access_token),
            f"/lco/evaluation/{self.evaluations[-1].id + 1000}?access_token=x",
        ):
            page = self.url_open(url)
            self.assertEqual(page.status_code, 404, url)
            self.assertNotIn("OCMW A", page.text)
            self.assertNotIn("I was listened to", page.text)
        # Logged in, the link without token opens one's own evaluation only;
        # a coordinator cannot answer in someone's name.
        self.authenticate(self.portal_aunt.login, self.portal_aunt.login)
        self.assertEqual(
            self.url_open(self.url(self.eval_aunt, False)).status_code, 200
        )
        self.assertEqual(
            self.url_open(self.url(self.eval_client, False)).status_code, 404
        )
        self.authenticate(self.coordinator_a.login, self.coordinator_a.login)
        self.assertEqual(
            self.url_open(self.url(self.eval_client, False)).status_code, 404
        )

    def test_post_saves_the_answers_once(self):
        page = self.url_open(self.url(self.eval_ann))
        scores = dict(zip(SCORES, ("5", "4", "4", "3", "5", "2"), strict=True))
        answer = self.post(self.eval_ann, page, comment="  Clear meeting  ", **scores)
        self.assertEqual(answer.status_code, 200)
        self.assertIn("Your evaluation was sent", answer.text)
        self.assertEqual(self.eval_ann.state, "answered")
        self.assertEqual([self.eval_ann[name] for name in SCORES], [5, 4, 4, 3, 5, 2])
        self.assertEqual(self.eval_ann.comment, "Clear meeting")
        self.assertTrue(self.eval_ann.answered_date)
        again = self.post(self.eval_ann, page, **dict.fromkeys(SCORES, "1"))
        self.assertEqual(again.status_code, 409)
        self.assertIn("already gave your evaluation", again.text)
        self.assertEqual(self.eval_ann.score_listened, 5)

    def test_bad_answers_are_refused_and_kept(self):
        page = self.url_open(self.url(self.eval_client))
        good = dict.fromkeys(SCORES, "4")
        for bad, message in (
            ({"score_listened": "0"}, "from 1 (not at all) to 5 (completely)"),
            ({"score_supported": "6"}, "from 1 (not at all) to 5 (completely)"),
            ({"score_decided": "abc"}, "from 1 (not at all) to 5 (completely)"),
            ({"score_decided": ""}, "Answer every statement"),
            ({"comment": "x" * 2001}, "too long"),
            ({"meeting_id": str(self.case_b1.meeting_ids.id)}, "only takes"),
            ({"state": "answered"}, "only takes"),
        ):
            answer = self.post(self.eval_client, page, **{**good, **bad})
            self.assertEqual(answer.status_code, 400, bad)
            self.assertIn(message, answer.text.replace("&#39;", "'"), bad)
            # What he already chose is still chosen.
            self.assertRegex(answer.text, r'id="score_spoken_with_4"[^>]*checked', bad)
            self.assertEqual(self.eval_client.state, "pending", bad)
            self.assertFalse(self.eval_client.score_spoken_with, bad)
        self.assertEqual(self.eval_client.meeting_id, self.meeting_a1)

    def test_rpc_as_portal_user(self):
        self.authenticate(self.portal_aunt.login, self.portal_aunt.login)

        def call(method, *args, **kwargs):
            model = "lco.meeting.evaluation"
            return self.make_jsonrpc_request(
                f"/web/dataset/call_kw/{model}/{method}",
                {"model": model, "method": method, "args": args, "kwargs": kwargs},
            )

        rows = call("search_read", [], fields=["state"])
        self.assertEqual([row["id"] for row in rows], self.eval_aunt.ids)
        for method, args in (
            ("read", [self.eval_client.ids, ["comment"]]),
            ("read", [self.eval_aunt.ids, ["access_token"]]),
            ("write", [self.eval_aunt.ids, {"score_listened": 5}]),
            ("_lco_answer", [self.eval_aunt.ids, {"score_listened": 5}]),
        ):
            with self.assertRaises(JsonRpcException, msg=method):
                call(method, *args)
        self.assertEqual(self.eval_aunt.state, "pending")

    def test_portal_client_fills_in_the_evaluation(self):
        self.start_tour(
            f"/my/lco/{self.case_a1.id}",
            "lco_portal_evaluation_tour",
            login=self.portal_client.login,
        )
        self.assertEqual(self.eval_client.state, "answered")
        self.assertEqual(
            [self.eval_client[name] for name in SCORES], [4, 4, 4, 4, 4, 5]
        )
        self.assertEqual(self.eval_client.comment, "They listened to me this time.")
