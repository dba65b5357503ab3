import os
import uuid
from unittest.mock import patch

from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression
from odoo.tests import HttpCase, tagged
from odoo.tools import SQL

from ..tools.anonymisation import PERSONAL_FIELDS
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
# Computed by the ORM from personal fields that are emptied, and emptied with
# them (test_security_cases: an anonymised case keeps only its coordinator).
EMPTIED_WITH_THEIR_SOURCE = {("lco.case", "lco_portal_partner_ids")}


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

    def live_a_case(self, flush=True):
        """Case a1 as it is lived: a request accepted into it, a meeting
        scheduled, held and reported, chatter, files, to-dos, then closed
        (and the tracking written, as at the end of a request, if ``flush``)."""
        coordinator = self.coordinator_a
        request = self._taken(
            self._request(
                client_name="Kim Client",
                client_phone="+32 470 55 66 77",
                client_email="kim@zonnig.example",
                question="Kim Client asks for help with her rent.",
            ),
            intake_note="Kim Client doubts the team will listen.",
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
        if flush:
            self.flush_tracking()
        return request

    def commit_hooks(self):
        """What a commit writes: the pending tracking values and bus rows."""
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.env.flush_all()

    def messages_on(self, recordsets):
        return self.env["mail.message"].search(
            expression.OR(
                [
                    [("model", "=", records._name), ("res_id", "in", records.ids)]
                    for records in recordsets
                ]
            )
        )

    def test_nothing_tracked_comes_back_at_commit(self):
        """Tracking that mail.thread captured earlier in the same transaction
        (the case's question, the request's decision) is not written when
        the transaction commits, nor anything anonymising writes."""
        request = self.live_a_case(flush=False)
        request.with_user(self.coordinator_a).message_post(
            body="Kim Client phoned about the decision."
        )
        recordsets = [
            *self.case_a1._lco_records(),
            self.case_a1.meeting_ids.calendar_event_id,
        ]
        self.anonymise_wizard(self.case_a1, self.manager_a).action_anonymise()
        self.commit_hooks()

        needles = (
            *self.needles,
            "stay in her flat",
            "needs the whole team",
            "help with her rent",
        )
        self.assertEqual(self.tables_holding(*needles), [])
        self.assertFalse(self.messages_on(recordsets))
        self.assertFalse(
            self.env["mail.tracking.value"]
            .search([("mail_message_id.model", "in", [r._name for r in recordsets])])
            .filtered(
                lambda t: (
                    t.mail_message_id.res_id in {i for r in recordsets for i in r.ids}
                )
            )
        )
        # Nor is it on the case for who reads its chatter.
        thread = self.case_a1.with_user(self.manager_a)
        self.assertFalse(
            thread.env["mail.message"].search(
                [("model", "=", "lco.case"), ("res_id", "=", thread.id)]
            )
        )

    def test_no_bus_row_quotes_the_client(self):
        self.live_a_case()
        self.env["bus.bus"]._sendone(
            self.coordinator_a.partner_id,
            "mail.record/insert",
            {"body": "<p>Kim Client called from +32 470 55 66 77, Cliënt</p>"},
        )
        self.commit_hooks()
        quoting = [
            ("message", "ilike", "Kim Client"),
        ]
        self.assertTrue(self.env["bus.bus"].search(quoting), "the test can fail")
        self.case_a1.with_user(self.manager_a)._lco_anonymise()
        self.commit_hooks()
        self.assertFalse(self.env["bus.bus"].search(quoting))
        self.assertFalse(
            self.env["bus.bus"].search([("message", "ilike", "470 55 66 77")])
        )

    def test_a_consent_given_by_a_representative_is_anonymised(self):
        consent = self.case_a1.consent_id
        rita = self.env["res.partner"].create(
            {"name": "Rita Representative", "company_id": self.company_a.id}
        )
        consent.sudo().write(
            {
                "given_by": "representative",
                "representative_id": rita.id,
                "representative_capacity": "guardian",
            }
        )
        self._close_with_wizard(self.case_a1, self.coordinator_a)
        self.case_a1.with_user(self.manager_a)._lco_anonymise()
        self.env.flush_all()
        self.assertTrue(self.case_a1.anonymised_date)
        self.assertFalse(consent.representative_id)
        self.assertEqual(consent.given_by, "representative", "kept for the figures")
        # A consent of a running case still names its representative.
        with self.assertRaisesText(ValidationError, "capacity"):
            self.case_a2.consent_id.sudo().write(
                {"given_by": "representative", "representative_id": False}
            )

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

    def test_the_cron_goes_past_a_case_that_fails(self):
        """One case fails (a constraint of its erasure): it is rolled back and
        logged, the managers of its organisation are told, and the cases
        after it are anonymised; the run ends without trying it again."""
        first, failing, last = (self.closed_case(61 + months) for months in range(3))
        failing.message_post(body="Kept until it is anonymised.")
        Participant = type(self.env["lco.participant"])
        write = Participant.write

        def refusing_write(participants, vals):
            if participants.case_id == failing and "partner_id" in vals:
                # A stand-in for any refusal: nobody reads it.
                raise ValidationError("A contact of this case is locked.")  # pylint: disable=translation-required
            return write(participants, vals)

        cron = self.env.ref("lco_module.ir_cron_lco_case_anonymise")
        with (
            patch.object(Participant, "write", refusing_write),
            patch.object(type(self.env["ir.cron"]), "_notify_progress") as notify,
            self.assertLogs(
                "odoo.addons.lco_module.models.lco_anonymisable", "ERROR"
            ) as logs,
        ):
            cron.method_direct_trigger()
        self.assertIn(failing.name, failing.display_name)
        self.assertIn(f"id {failing.id}", logs.output[0])
        self.assertTrue(first.anonymised_date)
        self.assertTrue(last.anonymised_date)
        self.assertFalse(first.client_id)
        # The failing case is whole again.
        self.assertFalse(failing.anonymised_date)
        self.assertTrue(failing.client_id)
        self.assertTrue(failing.participant_ids.partner_id)
        self.assertTrue(failing.message_ids.filtered(lambda m: "Kept" in str(m.body)))
        self.assertTrue(failing.anonymise_failed_date)
        # The run ends: nothing it can still do remains.
        self.assertEqual(notify.call_args.kwargs["remaining"], 0)
        # The managers of OCMW A are told, once, with the reason.
        todo = self.env["mail.activity"].search(
            [("res_model", "=", "lco.case"), ("res_id", "=", failing.id)]
        )
        self.assertIn(self.manager_a, todo.user_id)
        self.assertNotIn(self.manager_b, todo.user_id)
        self.assertIn(
            "locked", str(todo.filtered(lambda a: a.user_id == self.manager_a).note)
        )
        self.assertTrue(
            todo.with_user(self.manager_a).filtered(
                lambda a: a.user_id == self.manager_a
            )
        )
        # Tomorrow it is tried again, and succeeds.
        failing.sudo().anonymise_failed_date = fields.Datetime.now() - relativedelta(
            days=1
        )
        cron.method_direct_trigger()
        self.assertTrue(failing.anonymised_date)
        self.assertFalse(
            self.env["mail.activity"].search(
                [("res_model", "=", "lco.case"), ("res_id", "=", failing.id)]
            )
        )

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
            and name
            not in (
                self.env[model]._lco_personal_values()
                if hasattr(self.env[model], "_lco_personal_values")
                else PERSONAL_FIELDS.get(model, {})
            )
            and (model, name) not in KEPT_TEXT_FIELDS
            and (model, name) not in EMPTIED_WITH_THEIR_SOURCE
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


@tagged("post_install", "-at_install")
class TestAnonymisedFiles(LcoAnonymisationCommon, HttpCase):
    def test_the_files_leave_the_filestore_at_commit(self):
        """Not at Odoo's daily file GC: right after the commit."""
        self._close_with_wizard(self.case_a1, self.coordinator_a)
        content = f"Scan of Kim Client {uuid.uuid4()}".encode()
        attachment = self.env["ir.attachment"].create(
            {
                "name": "scan.pdf",
                "raw": content,
                "res_model": "lco.case",
                "res_id": self.case_a1.id,
            }
        )
        # A file the case shares with a document elsewhere stays for it.
        common = f"Template {uuid.uuid4()}".encode()
        on_case = self.env["ir.attachment"].create(
            {
                "name": "template.pdf",
                "raw": common,
                "res_model": "lco.case",
                "res_id": self.case_a1.id,
            }
        )
        shared = self.env["ir.attachment"].create(
            {"name": "template.pdf", "raw": common}
        )
        self.assertEqual(on_case.store_fname, shared.store_fname)
        path = attachment._full_path(attachment.store_fname)
        kept = shared._full_path(shared.store_fname)
        self.assertTrue(os.path.exists(path))
        self.case_a1.with_user(self.manager_a)._lco_anonymise()
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.assertTrue(os.path.exists(path), "until the commit")
        self.env.cr.postcommit.run()
        self.assertFalse(os.path.exists(path))
        self.assertTrue(os.path.exists(kept))
