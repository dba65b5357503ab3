from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import SQL

from ..models.anonymisation import PERSONAL_FIELDS
from .common_meeting import LcoMeetingCommon
from .common_request import LcoRequestCommon

# The tables the client's data may not outlive anonymisation in, besides the
# addon's own.
SHARED_TABLES = (
    "mail_message",
    "mail_tracking_value",
    "mail_mail",
    "mail_activity",
    "ir_attachment",
    "calendar_event",
)
# The contact's own history is Odoo's, not the case's: the contact stays.
OF_OTHER_THAN_CONTACTS = SQL(
    "mail_message_id IN (SELECT id FROM mail_message "
    "WHERE model IS DISTINCT FROM 'res.partner')"
)
CONTACT_HISTORY = {
    "mail_message": SQL("model IS DISTINCT FROM 'res.partner'"),
    "mail_tracking_value": OF_OTHER_THAN_CONTACTS,
    "mail_mail": OF_OTHER_THAN_CONTACTS,
}
# Text fields of case records that hold no personal data: numbers, and the
# postcode, which routes the request and counts per municipality.
KEPT_TEXT_FIELDS = {
    ("lco.case", "name"),
    ("lco.request", "name"),
    ("lco.request", "client_zip"),
    ("lco.request", "client_city"),
}


class LcoAnonymisationCommon(LcoMeetingCommon, LcoRequestCommon):
    def anonymise_wizard(self, records, user):
        action = records.with_user(user).action_open_anonymise_wizard()
        return (
            self.env[action["res_model"]]
            .with_user(user)
            .with_context(**action["context"])
            .create({})
        )

    def tables_holding(self, *needles):
        """(table, column, needle) for every text column of the addon's
        tables and of SHARED_TABLES that holds one of ``needles``."""
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT table_name, column_name FROM information_schema.columns
             WHERE table_schema = current_schema()
               AND data_type IN ('character varying', 'text', 'jsonb')
               AND (table_name LIKE 'lco\\_%%' OR table_name IN %s)
            """,
            [SHARED_TABLES],
        )
        hits = []
        for table, column in self.env.cr.fetchall():
            for needle in needles:
                self.env.cr.execute(
                    SQL(
                        "SELECT 1 FROM %s WHERE %s::text ILIKE %s AND %s LIMIT 1",
                        SQL.identifier(table),
                        SQL.identifier(column),
                        f"%{needle}%",
                        CONTACT_HISTORY.get(table, SQL("TRUE")),
                    )
                )
                if self.env.cr.fetchone():
                    hits.append((table, column, needle))
        return hits


@tagged("post_install", "-at_install")
class TestAnonymisation(LcoAnonymisationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.client_a1.write(
            {"phone": "+32 470 55 66 77", "email": "kim@zonnig.example"}
        )
        cls.needles = ("Kim Client", "470 55 66 77", "kim@zonnig.example")

    def live_a_case(self):
        """Case a1 as it is lived: a request accepted into it, a meeting
        scheduled, held and reported, chatter, files, to-dos, then closed."""
        coordinator = self.coordinator_a
        request = self._taken(
            self._request(
                client_name="Kim Client",
                client_phone="+32 470 55 66 77",
                client_email="kim@zonnig.example",
                question="Kim Client asks for help with her rent.",
            )
        )
        request._accept(self.client_a1, "Kim Client needs the whole team.")
        self.assertEqual(request.case_id, self.case_a1)

        case = self.case_a1.with_user(coordinator)
        case.write({"question": "Kim Client wants to stay in her flat."})
        case.message_post(body="Kim Client called from +32 470 55 66 77.")
        case.activity_schedule(
            "mail.mail_activity_data_todo",
            summary="Call Kim Client back",
            user_id=coordinator.id,
        )
        case.consent_id.message_post(
            body="Signed form of Kim Client",
            attachments=[("consent Kim Client.pdf", b"%PDF-1.4 Kim Client")],
        )
        meeting = self.meeting_a1.with_user(coordinator)
        meeting.write({"location": "At Kim Client's home", "video_url": False})
        self.prepare(meeting)
        meeting.action_schedule()
        self.assertTrue(meeting.calendar_event_id)
        self.hold(meeting)
        meeting.write(
            {
                "client_perspective": "Kim Client feels heard.",
                "minutes": "<p>Kim Client and her aunt talked about the rent.</p>",
            }
        )
        meeting.attendee_ids[:1].practical_needs = "Kim Client needs childcare."
        case.agreement_ids.write({"outcome_note": "Kim Client did it."})
        meeting.action_report()
        self.env["ir.attachment"].create(
            {
                "name": "Report Kim Client.pdf",
                "raw": b"Kim Client",
                "res_model": "lco.meeting",
                "res_id": meeting.id,
            }
        )
        case.agreement_ids.filtered(lambda a: a.state == "open").write(
            {"state": "done"}
        )
        self._close_with_wizard(
            self.case_a1, coordinator, "Kim Client has a home and feels supported."
        )
        self.flush_tracking()
        return request

    def test_anonymise_now_leaves_no_trace_of_the_client(self):
        request = self.live_a_case()
        case = self.case_a1
        before = {
            "participants": sorted(
                case.with_context(active_test=False).participant_ids.mapped("role")
            ),
            "meetings": case.meeting_ids.mapped("state"),
            "agreements": case.agreement_ids.mapped("state"),
            "consents": case.consent_ids.mapped("state"),
            "life_domains": case.life_domain_ids,
            "date_closed": case.date_closed,
            "close_reason": case.close_reason_id,
        }
        event = case.meeting_ids.calendar_event_id
        self.assertTrue(self.tables_holding(*self.needles), "the test can fail")

        wizard = self.anonymise_wizard(case, self.manager_a)
        self.assertIn("Kim Client", wizard.preview)
        self.assertIn("Ann External", wizard.preview)
        recordsets = case.with_user(self.manager_a)._lco_records()
        expected = sum(
            self.env["mail.message"]
            .with_user(self.manager_a)
            .search_count(
                [("model", "=", records._name), ("res_id", "in", records.ids)]
            )
            for records in recordsets
        )
        self.assertGreater(expected, 0)
        counted = wizard._count_linked({case: recordsets})[case]
        self.assertEqual(counted["messages"], expected)
        self.assertGreaterEqual(counted["files"], 1, "the report and the scan")
        wizard.action_anonymise()

        self.assertEqual(self.tables_holding(*self.needles), [])
        self.assertTrue(case.anonymised_date)
        self.assertFalse(case.client_id)
        self.assertFalse(case.question)
        self.assertFalse(event.exists())
        self.assertFalse(
            case.with_context(active_test=False).participant_ids.partner_id
        )
        self.assertEqual(request.client_name, "—")
        self.assertTrue(request.anonymised_date)
        # The figures stay.
        self.assertEqual(
            sorted(case.with_context(active_test=False).participant_ids.mapped("role")),
            before["participants"],
        )
        self.assertEqual(case.meeting_ids.mapped("state"), before["meetings"])
        self.assertEqual(case.agreement_ids.mapped("state"), before["agreements"])
        self.assertEqual(case.consent_ids.mapped("state"), before["consents"])
        self.assertEqual(case.life_domain_ids, before["life_domains"])
        self.assertEqual(case.date_closed, before["date_closed"])
        self.assertEqual(case.close_reason_id, before["close_reason"])
        self.assertEqual(case.with_user(self.manager_a).display_name, case.name)
        # The contacts stay in Odoo.
        self.assertTrue(self.client_a1.exists())
        self.assertEqual(self.client_a1.phone, "+32 470 55 66 77")
        # Logged, without content.
        log = self.env["lco.access.log"].search(
            [("case_id", "=", case.id), ("action", "=", "anonymise")]
        )
        self.assertEqual(log.user_id, self.manager_a)
        self.assertFalse(log.detail)
        # Its reports still print, with nobody's name.
        meeting = case.meeting_ids
        for xmlid, records in (
            ("action_report_lco_meeting", meeting),
            ("action_report_lco_work_plan", meeting),
            ("action_report_lco_attendance_list", meeting),
            ("action_report_lco_invitation", meeting.attendee_ids),
            ("action_report_lco_meeting_copy", meeting.attendee_ids),
            ("action_report_lco_case_overview", case),
            ("action_report_lco_consent_form", case.consent_ids),
        ):
            html = (
                self.env["ir.actions.report"]
                .with_user(self.manager_a)
                ._render_qweb_html(f"lco_module.{xmlid}", records.ids)[0]
                .decode()
            )
            self.assertNotIn("Kim Client", html, xmlid)
            self.assertIn(case.name, html, xmlid)
        # Nobody changes it any more.
        with self.assertRaisesText(UserError, "was anonymised"):
            case.with_user(self.coordinator_a).write({"goals": "Again"})
        with self.assertRaisesText(UserError, "was anonymised"):
            case.with_user(self.manager_a).message_post(body="Kim Client is back")
        with self.assertRaisesText(UserError, "was anonymised"):
            request.with_user(self.manager_a).message_post(body="Kim Client")
        with self.assertRaisesText(UserError, "anonymised already"):
            case.with_user(self.manager_a)._lco_anonymise()

    def test_only_a_manager_of_the_organisation_anonymises(self):
        self.live_a_case()
        for user in (self.coordinator_a, self.aid_worker_a, self.manager_b):
            with self.assertRaises(AccessError):
                self.case_a1.with_user(user).action_open_anonymise_wizard()
            with self.assertRaises(AccessError):
                self.case_a1.with_user(user)._lco_anonymise()
        with self.assertRaises(AccessError):
            self.env["lco.anonymise.wizard"].with_user(self.coordinator_a).create(
                {"case_ids": [Command.set(self.case_a1.ids)]}
            )
        # A manager of OCMW B, given the case's id, neither sees nor removes it.
        wizard = (
            self.env["lco.anonymise.wizard"]
            .with_user(self.manager_b)
            .create({"case_ids": [Command.set(self.case_a1.ids)]})
        )
        wizard.invalidate_recordset()
        self.assertFalse(wizard.case_ids)
        self.assertNotIn("Kim Client", wizard.preview)
        wizard.action_anonymise()
        self.assertFalse(self.case_a1.anonymised_date)
        self.assertEqual(self.case_a1.client_id, self.client_a1)

    def test_nobody_marks_a_case_anonymised_by_hand(self):
        self._close_with_wizard(self.case_a1, self.coordinator_a)
        for user in (self.coordinator_a, self.manager_a):
            with self.assertRaisesText(UserError, "never by setting its date"):
                self.case_a1.with_user(user).write(
                    {"anonymised_date": fields.Datetime.now(), "client_id": False}
                )
        with self.assertRaisesText(UserError, "never by setting its date"):
            self.env["lco.case"].with_user(self.coordinator_a).create(
                {"anonymised_date": fields.Datetime.now()}
            )
        self.assertEqual(self.case_a1.client_id, self.client_a1)

    def test_a_running_case_is_not_anonymised(self):
        with self.assertRaisesText(UserError, "still runs"):
            self.anonymise_wizard(self.case_a1, self.manager_a)
        with self.assertRaisesText(UserError, "still runs"):
            self.case_a1.with_user(self.manager_a)._lco_anonymise()
        self.assertEqual(self.case_a1.client_id, self.client_a1)


@tagged("post_install", "-at_install")
class TestRetention(LcoAnonymisationCommon):
    def closed_case(self, months_ago, company=None):
        """A case of ``company`` closed ``months_ago`` months ago."""
        coordinator = self.coordinator_b if company == self.company_b else None
        client = self.env["res.partner"].create(
            {
                "name": f"Closed {months_ago}",
                "company_id": (company or self.company_a).id,
            }
        )
        case = self._create_case(coordinator or self.coordinator_a, client)
        case.sudo().write(
            {
                "state": "closed",
                "close_reason_id": self.close_reason.id,
                "date_closed": self.today - relativedelta(months=months_ago),
            }
        )
        return case

    def decided_request(self, state, months_ago):
        request = self._request()
        request.sudo().write(
            {
                "state": state,
                "date_decided": fields.Datetime.now()
                - relativedelta(months=months_ago),
            }
        )
        return request

    def test_the_daily_cron_anonymises_what_is_due(self):
        self.company_b.lco_retention_months = 0
        due = self.closed_case(61)
        recent = self.closed_case(59)
        kept_forever = self.closed_case(100, company=self.company_b)
        declined = self.decided_request("declined", 13)
        redirected_recently = self.decided_request("redirected", 11)
        accepted = self.decided_request("accepted", 13)
        pending = self._request()

        self.env.ref("lco_module.ir_cron_lco_case_anonymise").method_direct_trigger()
        self.env.ref("lco_module.ir_cron_lco_request_anonymise").method_direct_trigger()

        self.assertTrue(due.anonymised_date)
        self.assertFalse(due.client_id)
        self.assertFalse(recent.anonymised_date)
        self.assertFalse(kept_forever.anonymised_date)
        self.assertTrue(declined.anonymised_date)
        self.assertEqual(declined.client_name, "—")
        self.assertEqual(declined.question, "—")
        self.assertFalse(redirected_recently.anonymised_date)
        self.assertFalse(accepted.anonymised_date)
        self.assertFalse(pending.anonymised_date)
        self.assertEqual(pending.client_name, "Sarah Test")

    def test_only_a_manager_of_its_organisation_anonymises_a_request(self):
        declined = self.decided_request("declined", 1)
        for user in (self.aid_worker_a, self.coordinator_a, self.manager_b):
            with self.assertRaises(AccessError):
                declined.with_user(user).action_open_anonymise_wizard()
            with self.assertRaises(AccessError):
                declined.with_user(user)._lco_anonymise()
        self.assertEqual(declined.client_name, "Sarah Test")
        accepted = self.decided_request("accepted", 1)
        with self.assertRaisesText(UserError, "anonymised with its case"):
            accepted.with_user(self.manager_a)._lco_anonymise()
        self.anonymise_wizard(declined, self.manager_a).action_anonymise()
        self.assertEqual(declined.client_name, "—")
        self.assertTrue(declined.anonymised_date)

    def test_retention_settings(self):
        with self.assertRaises(ValidationError):
            self.company_a.lco_retention_months = -1
        settings = self.env["lco.settings"].with_user(self.manager_a).create({})
        self.assertEqual(settings.retention_months, 60)
        self.assertEqual(settings.request_retention_months, 12)
        settings.write({"retention_months": 24, "request_retention_months": 6})
        settings.execute()
        self.assertEqual(self.company_a.lco_retention_months, 24)
        self.assertEqual(self.company_a.lco_request_retention_months, 6)

    def test_every_text_of_a_case_is_removed_or_kept_on_purpose(self):
        """A new text field on a case record must be added to PERSONAL_FIELDS
        or, when it holds no personal data, to KEPT_TEXT_FIELDS."""
        models = {
            "lco.case",
            "lco.participant",
            "lco.case.life.domain",
            "lco.meeting",
            "lco.meeting.attendee",
            "lco.meeting.checklist.item",
            "lco.agenda.item",
            "lco.agreement",
            "lco.consent",
            "lco.consent.line",
            "lco.request",
        }
        forgotten = [
            (model, name)
            for model in models
            for name, field in self.env[model]._fields.items()
            if field.store
            and not field.related
            and (
                field.type in ("char", "text", "html")
                or field.comodel_name == "res.partner"
            )
            and name not in PERSONAL_FIELDS.get(model, {})
            and (model, name) not in KEPT_TEXT_FIELDS
        ]
        self.assertEqual(forgotten, [])

    def test_anonymising_five_cases_costs_about_what_one_costs(self):
        cases = [self.closed_case(61 + months) for months in range(6)]
        queries = []
        for batch in (cases[0], cases[1].union(*cases[2:])):
            self.env.flush_all()
            self.env.invalidate_all()
            start = self.cr.sql_log_count
            batch._lco_anonymise()
            self.env.flush_all()
            queries.append(self.cr.sql_log_count - start)
        self.assertTrue(all(case.anonymised_date for case in cases))
        self.assertLess(queries[1], queries[0] * 2, queries)
