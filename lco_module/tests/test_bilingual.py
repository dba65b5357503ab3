from datetime import timedelta
from decimal import Decimal

from freezegun import freeze_time

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged

from .common import skip_without_demo
from .common_meeting import LcoMeetingCommon
from .test_meeting_reports import pdf_text

MEETING_REPORT = "lco_module.action_report_lco_meeting"
INVITATION = "lco_module.action_report_lco_invitation"


def load_languages(env, langs=("nl_BE", "fr_BE")):
    """Install the languages with the addon's translations and calendar's
    (the invitations Odoo sends), as Settings > Languages does."""
    for lang in langs:
        env["res.lang"]._activate_lang(lang)
    env["ir.module.module"]._load_module_terms(
        ["calendar", "lco_module"], list(langs), overwrite=True
    )


@tagged("post_install", "-at_install")
class TestBilingualConsultation(HttpCase, LcoMeetingCommon):
    """One meeting, a Dutch client and a French-speaking aid worker: each
    reads his letters, reports and mails in his own language, with the
    dates as both write them (HttpCase: wkhtmltopdf fetches the styles)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_languages(cls.env)
        cls.coordinator_a.lang = "nl_BE"
        cls.client_a1.lang = "nl_BE"
        cls.aid_worker_a.partner_id.lang = "nl_BE"
        # Ann, the external aid worker, works for a CPAS.
        cls.external_worker.lang = "fr_BE"

    def test_invitations_in_dutch_and_in_french(self):
        meeting = self.create_meeting(days=20, location="Sociaal Huis")
        self.prepare(meeting)
        with self.mock_mail_gateway():
            meeting.action_schedule()
        # Odoo's calendar invitation, in each invitee's language.
        self.assertIn("Invitation à", self.mails_to(self.external_worker).subject)
        self.assertIn(
            "Uitnodiging voor", self.mails_to(self.aid_worker_a.partner_id).subject
        )
        letters = meeting.attendee_ids.filtered(
            lambda a: a.partner_id in (self.client_a1 | self.external_worker)
        )
        text = self.pdf(INVITATION, letters)
        self.assertIn("Betreft: Uitnodiging voor een", text)
        self.assertIn("Beste Kim Client", text)
        self.assertIn("Objet : Invitation à une concertation", text)
        self.assertIn("Bonjour Ann External", text)

    def test_the_same_report_in_dutch_and_in_french(self):
        meeting = self.create_meeting(days=-1)
        self.prepare(meeting)
        meeting.action_schedule()
        meeting.attendee_ids.status = "present"
        with (
            self.mock_mail_gateway(),
            freeze_time(meeting.start + timedelta(minutes=5)),
        ):
            meeting.action_hold()
        deadline = fields.Date.today() + timedelta(days=20)
        self.env["lco.agreement"].with_user(self.coordinator_a).create(
            {
                "case_id": self.case_a1.id,
                "meeting_id": meeting.id,
                "name": "Afbetalingsplan vragen",
                "deadline": deadline,
                "responsible_id": self.participant(self.external_worker).id,
            }
        )
        action = meeting.with_user(self.coordinator_a).action_send_report()
        composer = (
            self.env["mail.compose.message"]
            .with_user(self.coordinator_a)
            .with_context(**action["context"], force_report_rendering=True)
            .create({})
        )
        composer.action_send_mail()
        sent = meeting.message_ids.filtered(lambda m: m.message_type == "comment")
        to_french = sent.filtered(lambda m: self.external_worker in m.partner_ids)
        # The full reports; the work plan alone goes apart to whom the
        # consent gives only that.
        to_dutch = sent.filtered(
            lambda m: self.aid_worker_a.partner_id in m.partner_ids
        )
        self.assertEqual(len(to_french), 1)
        self.assertEqual(len(to_dutch), 1)
        self.assertEqual(to_french.partner_ids, self.external_worker)
        self.assertTrue(to_french.subject.startswith("Compte rendu de la concertation"))
        self.assertTrue(to_dutch.subject.startswith("Verslag van het cliëntoverleg"))
        french, dutch = (self.attachment_text(m) for m in (to_french, to_dutch))
        for text, words, other in (
            (
                french,
                ("Compte rendu de la concertation locale", "Plan de travail"),
                "Werkplan",
            ),
            (
                dutch,
                ("Verslag van het lokaal cliëntoverleg", "Werkplan"),
                "Plan de travail",
            ),
        ):
            for word in words:
                self.assertIn(word, text)
            self.assertNotIn(other, text)
            # 12/03/2026 in both languages, never a two-digit year.
            self.assertIn(deadline.strftime("%d/%m/%Y"), text)

    def attachment_text(self, message):
        [attachment] = message.attachment_ids
        self.assertTrue(attachment.raw.startswith(b"%PDF"), "a PDF, not HTML")
        return pdf_text(attachment.raw)

    def pdf(self, report, records):
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_user(self.coordinator_a)
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(report, records.ids)
        )
        self.assertEqual(kind, "pdf")
        return pdf_text(pdf)


@tagged("post_install", "-at_install")
class TestOrganisationLanguage(LcoMeetingCommon):
    """What the system writes for nobody in particular speaks the
    organisation's language, not the user's who set it off."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_languages(cls.env)
        cls.company_a.partner_id.lang = "fr_BE"
        cls.coordinator_a.lang = "nl_BE"
        cls.manager_a.lang = "nl_BE"

    def test_settings_show_the_language_of_the_organisation(self):
        admin = new_test_user(
            self.env,
            login="system_a",
            groups="base.group_user,base.group_system",
            company_id=self.company_a.id,
        )
        settings = self.env["lco.settings"].with_user(admin).create({})
        self.assertEqual(settings.company_lang, "fr_BE")
        settings.company_lang = "nl_BE"
        settings.execute()
        self.assertEqual(self.company_a.partner_id.lang, "nl_BE")

    def test_consent_withdrawn_notice_in_the_organisations_language(self):
        consent = self.case_a1.consent_id
        consent.with_user(self.manager_a).action_withdraw()
        notice = self.case_a1.message_ids.filtered(
            lambda m: "consentement" in str(m.body)
        )
        self.assertEqual(len(notice), 1, self.case_a1.message_ids.mapped("body"))
        self.assertIn(fields.Date.today().strftime("%d/%m/%Y"), str(notice.body))
        told = self.case_a1.activity_ids.filtered(
            lambda a: a.user_id == self.coordinator_a
        )
        self.assertNotIn("withdrew", told.summary)
        self.assertNotIn("ingetrokken", told.summary)

    def test_consent_expiry_todo_in_the_organisations_language(self):
        consent = self.case_a1.consent_id
        consent.valid_until = fields.Date.today() + timedelta(days=5)
        self.env["lco.consent"]._cron_expire()
        [todo] = consent.activity_ids
        self.assertNotIn("Consent ends", todo.summary)
        self.assertIn("consentement", todo.summary)

    def test_yearly_figures_in_the_organisations_language_with_its_decimals(self):
        Report = self.env["report.lco_module.report_lco_yearly_figures"]
        wizard = (
            self.env["lco.yearly.figures.wizard"]
            .with_user(self.manager_a)
            .create({"year": fields.Date.today().year})
        )
        values = Report.with_user(self.manager_a)._get_report_values(wizard.ids)
        self.assertEqual(values["report_lang"], "fr_BE")
        labels = [row[0] for _, rows in values["scopes"][0][1] for row in rows]
        self.assertNotIn("Requests received", labels)
        for lang in ("fr_BE", "nl_BE"):
            self.assertEqual(
                Report.with_context(lang=lang)._average(Decimal("2.5")), "2,5"
            )
        # The year as a year, never 2.026.
        html = (
            self.env["ir.actions.report"]
            .with_user(self.manager_a)
            ._render_qweb_html(
                "lco_module.action_report_lco_yearly_figures", wizard.ids
            )[0]
            .decode()
        )
        year = fields.Date.today().year
        self.assertIn(str(year), html)
        self.assertNotIn(f"{year // 1000}.{year % 1000:03d}", html)

    def test_bottleneck_report_in_the_organisations_language(self):
        Report = self.env["report.lco_module.report_lco_bottleneck"]
        values = Report.with_user(self.coordinator_a)._get_report_values(
            [], {"company_ids": self.company_a.ids}
        )
        self.assertEqual(values["report_lang"], "fr_BE")


@tagged("post_install", "-at_install")
class TestDemoFrench(LcoMeetingCommon):
    """The demo has a French-speaking CPAS and a French participant in a
    Flemish case. Its subject is the demo: skipped only where the addon was
    installed without demo data (a production database), failing where the
    demo was installed and a demo record is missing."""

    def setUp(self):
        super().setUp()
        skip_without_demo(self)
        self.case = self.env.ref("lco_module.case_namur")

    def test_the_cpas_works_in_french(self):
        company = self.env.ref("lco_module.company_namur")
        self.assertEqual(company._lco_lang(), "fr_BE")
        coordinateur = self.env.ref("lco_module.user_coordinateur")
        self.assertEqual(
            (coordinateur.login, coordinateur.lang), ("coordinateur", "fr_BE")
        )
        self.assertEqual(self.case.company_id, company)
        meeting = self.env.ref("lco_module.meeting_namur_1")
        html = (
            self.env["ir.actions.report"]
            .with_user(coordinateur)
            ._render_qweb_html(MEETING_REPORT, meeting.ids)[0]
            .decode()
        )
        self.assertIn("Compte rendu de la concertation locale", html)
        self.assertIn("Dresser la liste de tous les créanciers", html)
        self.assertNotIn("Verslag", html)

    def test_a_french_participant_in_a_flemish_case(self):
        julie = self.env.ref("lco_module.partner_mental_health_worker")
        self.assertEqual(julie.lang, "fr_BE")
        self.assertIn(
            julie, self.env.ref("lco_module.case_family").participant_ids.partner_id
        )
