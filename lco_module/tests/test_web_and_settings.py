from lxml import etree

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, HttpCase, new_test_user, tagged

from ..models.lco_access_log import RETENTION_PARAM
from ..models.lco_postcode_route import DEFAULT_COMPANY_PARAM
from .common_request import LcoRequestCommon


@tagged("post_install", "-at_install")
class TestLcoSettings(LcoRequestCommon):
    """The LCO manager configures the application himself (issue 8, item 9)."""

    def test_manager_saves_the_settings(self):
        self.assertFalse(self.manager_a.has_group("base.group_system"))
        settings_menu = self.env.ref("lco_module.menu_lco_settings")
        Menu = self.env["ir.ui.menu"]
        self.assertIn(
            settings_menu.id, Menu.with_user(self.manager_a)._visible_menu_ids()
        )
        self.assertNotIn(
            settings_menu.id, Menu.with_user(self.coordinator_a)._visible_menu_ids()
        )
        self.company_a.lco_agreement_reminder_days = 3
        form = Form(self.env["lco.settings"].with_user(self.manager_a))
        self.assertEqual(form.agreement_reminder_days, 3)
        self.assertEqual(form.request_default_company_id, self.company_a)
        form.block_unprepared_meetings = True
        form.agreement_reminder_days = 5
        form.access_log_retention_months = 30
        settings = form.save()
        self.assertEqual(settings.company_id, self.company_a)
        settings.execute()
        self.assertTrue(self.company_a.lco_block_unprepared_meetings)
        self.assertEqual(self.company_a.lco_agreement_reminder_days, 5)
        self.assertFalse(self.company_b.lco_block_unprepared_meetings)
        params = self.env["ir.config_parameter"]
        self.assertEqual(params.get_param(RETENTION_PARAM), "30")
        self.assertEqual(
            params.get_param(DEFAULT_COMPANY_PARAM), str(self.company_a.id)
        )
        # Opened again, the window shows what was saved.
        again = Form(self.env["lco.settings"].with_user(self.manager_a))
        self.assertEqual(again.agreement_reminder_days, 5)
        self.assertEqual(again.access_log_retention_months, 30)
        self.assertTrue(again.block_unprepared_meetings)

    def test_settings_are_checked(self):
        Settings = self.env["lco.settings"].with_user(self.manager_a)
        with self.assertRaises(ValidationError):
            Settings.create({"access_log_retention_months": 0}).execute()
        with self.assertRaises(ValidationError):
            Settings.create({"agreement_reminder_days": -1}).execute()
        # Unrouted requests go to one of his own organisations only.
        with self.assertRaises(AccessError):
            Settings.create({"request_default_company_id": self.company_b.id}).execute()
        # Nor does he change the settings of another organisation.
        with self.assertRaises(AccessError):
            Settings.create({"company_id": self.company_b.id}).execute()
        self.assertEqual(
            self.env["ir.config_parameter"].get_param(DEFAULT_COMPANY_PARAM),
            str(self.company_a.id),
        )

    def test_coordinator_cannot_change_the_settings(self):
        for user in (self.coordinator_a, self.aid_worker_a):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["lco.settings"].with_user(user).create(
                    {"block_unprepared_meetings": True}
                )
            # Nor read them over RPC, which default_get (as superuser) would.
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["lco.settings"].with_user(user).default_get(
                    ["request_default_company_id", "access_log_retention_months"]
                )
        self.assertFalse(self.company_a.lco_block_unprepared_meetings)

    def _administrator(self):
        return new_test_user(
            self.env,
            login="system_a",
            groups="base.group_user,base.group_system",
            company_id=self.company_a.id,
        )

    def test_one_settings_screen(self):
        """Settings > Client Consultation holds no second copy of the settings:
        only the way to the one screen, lco.settings."""
        self.assertFalse(
            [name for name in self.env["res.config.settings"]._fields if "lco" in name]
        )
        arch = etree.fromstring(
            self.env["res.config.settings"].get_view(
                self.env.ref("base.res_config_settings_view_form").id
            )["arch"]
        )
        [app] = arch.xpath("//app[@name='lco_module']")
        self.assertFalse(app.xpath(".//field"))
        action = self.env.ref("lco_module.action_lco_settings")
        self.assertEqual(
            [button.get("name") for button in app.xpath(".//button")],
            [str(action.id)],
        )

    def test_administrator_saves_the_settings(self):
        """What the administrator set in Settings he sets in the one screen,
        with the same checks; the language of the organisation is his only."""
        admin = self._administrator()
        self.assertFalse(admin.has_group("lco_module.group_lco_manager"))
        self.company_a.partner_id.lang = "en_US"
        params = self.env["ir.config_parameter"]
        form = Form(self.env["lco.settings"].with_user(admin))
        self.assertEqual(form.access_log_retention_months, 24)
        self.assertEqual(form.company_lang, "en_US")
        form.access_log_retention_months = 36
        form.code = "OCA"
        form.save().execute()
        self.assertEqual(params.get_param(RETENTION_PARAM), "36")
        self.assertEqual(self.company_a.lco_code, "OCA")
        Settings = self.env["lco.settings"].with_user(admin)
        for values in (
            {"access_log_retention_months": 0},
            {"consent_validity_months": -1},
            {"agreement_reminder_days": -1},
            {"code": "no code!"},
        ):
            with self.subTest(values=values), self.assertRaises(ValidationError):
                Settings.create(values).execute()
        self.assertEqual(params.get_param(RETENTION_PARAM), "36")
        self.assertEqual(self.company_a.lco_code, "OCA")

    def test_manager_changes_only_the_addons_settings(self):
        """The manager saves the addon's settings of his organisation, not the
        language of its contact (the administrator's) nor anything else."""
        Settings = self.env["lco.settings"].with_user(self.manager_a)
        self.assertNotIn("company_lang", Settings.fields_get())
        self.company_a.partner_id.lang = "en_US"
        [other_lang, *_others] = [
            code
            for code, _name in self.env["res.lang"].get_installed()
            if code != "en_US"
        ]
        name = self.company_a.name
        # Over RPC he may put the language in; it is not his to save.
        settings = Settings.create({"code": "OCA", "company_lang": other_lang})
        settings.execute()
        self.assertEqual(self.company_a.lco_code, "OCA")
        self.assertEqual(self.company_a.name, name)
        self.assertEqual(self.company_a.partner_id.lang, "en_US")
        # The consent's validity is checked whichever screen sets it.
        with self.assertRaises(ValidationError):
            self.company_a.lco_consent_validity_months = -1


@tagged("post_install", "-at_install")
class TestRequestDecisionWizard(LcoRequestCommon):
    """Decline and redirect ask no second choice; a redirect records where to."""

    def _wizard(self, request, method):
        action = getattr(request, method)()
        return Form(
            self.env[action["res_model"]]
            .with_user(request.env.user)
            .with_context(**action["context"])
        )

    def test_the_button_chooses_the_decision(self):
        arch = etree.fromstring(self.env["lco.request.decision"].get_view()["arch"])
        [decision] = arch.xpath("//field[@name='decision']")
        self.assertEqual(decision.get("invisible"), "1")
        request = self._taken(self._request())
        for method, decision in (
            ("action_decline", "declined"),
            ("action_redirect", "redirected"),
        ):
            with self.subTest(method=method):
                self.assertEqual(self._wizard(request, method).decision, decision)

    def test_redirect_records_where_to(self):
        request = self._request()
        self.flush_tracking()
        request = self._taken(request)
        wizard = self._wizard(request, "action_redirect")
        wizard.reason = "First a talk with his budget counsellor."
        wizard.send_mail = False
        # The form asks for it: left empty, it cannot be saved.
        with self.assertRaises(AssertionError):
            wizard.save()
        wizard.redirected_to = "  CAW budget counselling  "
        wizard.save().action_confirm()
        self.assertEqual(request.state, "redirected")
        self.assertEqual(request.redirected_to, "CAW budget counselling")
        self.flush_tracking()
        tracked = request.sudo().message_ids.tracking_value_ids.filtered(
            lambda value: value.field_id.name == "redirected_to"
        )
        self.assertEqual(tracked.new_value_char, "CAW budget counselling")

    def test_redirect_needs_where_to(self):
        request = self._taken(self._request())
        wizard = self.env["lco.request.decision"].with_user(self.coordinator_a)
        wizard = wizard.create(
            {
                "request_ids": [request.id],
                "decision": "redirected",
                "reason": "Elsewhere first.",
                "send_mail": False,
            }
        )
        with self.assertRaises(UserError):
            wizard.action_confirm()
        self.assertEqual(request.state, "in_review")

    def test_where_to_is_recorded_with_a_redirect_only(self):
        request = self._taken(self._request())
        with self.assertRaises(UserError):
            request.write({"redirected_to": "Somewhere"})
        request._decide("declined", "Not now.", "Somewhere")
        self.assertFalse(request.redirected_to)


@tagged("post_install", "-at_install")
class TestLcoHome(LcoRequestCommon):
    """The app opens on the user's work, meetings on the upcoming ones; lists and
    labels read well (issue 8, items 10, 11 and low)."""

    def _run_home(self, user):
        root = self.env.ref("lco_module.menu_lco_root")
        action = root.action.with_user(user).run()
        return action

    def test_the_app_opens_on_my_work(self):
        root = self.env.ref("lco_module.menu_lco_root")
        self.assertEqual(root.action, self.env.ref("lco_module.action_lco_my_work"))
        coordinator = self._run_home(self.coordinator_a)
        self.assertEqual(coordinator["res_model"], "lco.case")
        self.assertEqual(coordinator["context"]["search_default_filter_my_cases"], 1)
        aid_worker = self._run_home(self.aid_worker_a)
        self.assertEqual(aid_worker["res_model"], "lco.agreement")
        self.assertEqual(aid_worker["context"]["search_default_filter_mine"], 1)
        self.assertEqual(aid_worker["context"]["search_default_filter_open"], 1)
        # The aid worker finds his open agreements in it.
        agreements = (
            self.env["lco.agreement"]
            .with_user(self.aid_worker_a)
            .search(
                [
                    ("responsible_partner_id.user_ids", "in", self.aid_worker_a.id),
                    ("state", "=", "open"),
                ]
            )
        )
        self.assertIn(self.agreement_a1_aid_worker, agreements)

    def test_meetings_open_on_the_upcoming_ones_as_a_list(self):
        action = self.env.ref("lco_module.menu_lco_meeting").action
        self.assertEqual(action.view_mode.split(",")[0], "list")
        self.assertIn("search_default_filter_upcoming", action.context)

    def test_labels_and_lists(self):
        View = self.env["lco.request"]
        kanban = etree.fromstring(View.get_view(view_type="kanban")["arch"])
        form = etree.fromstring(View.get_view(view_type="form")["arch"])
        for arch in (kanban, form):
            [take] = arch.xpath("//button[@name='action_take']")
            self.assertEqual(take.get("string"), "Take In")
        agreement_form = etree.fromstring(
            self.env["lco.agreement"].get_view(view_type="form")["arch"]
        )
        [status] = agreement_form.xpath("//field[@name='state']")
        self.assertEqual(status.get("statusbar_visible"), "open,done")
        self.assertTrue(agreement_form.xpath("//label[@for='outcome_note']"))
        request_list = etree.fromstring(View.get_view(view_type="list")["arch"])
        [received] = request_list.xpath("//field[@name='date_received']")
        self.assertIn("'show_seconds': false", received.get("options"))


@tagged("post_install", "-at_install")
class TestLcoHomeAction(LcoRequestCommon, HttpCase):
    """Issue 8, item 11: LCO users open Odoo on their work; administrators
    keep Odoo's first app (Discuss), as Odoo's own tours expect."""

    def home_action(self, user):
        self.authenticate(user.login, user.login)
        return self.make_jsonrpc_request("/web/session/get_session_info")[
            "home_action_id"
        ]

    def test_lco_users_land_in_the_app_after_login(self):
        my_work = self.env.ref("lco_module.action_lco_my_work").id
        for user in (self.coordinator_a, self.aid_worker_a, self.manager_a):
            self.assertEqual(self.home_action(user), my_work, user.login)
        self.assertFalse(self.home_action(self.env.ref("base.user_admin")))
        chosen = self.env.ref("base.action_res_users")
        self.aid_worker_a.action_id = chosen.id
        self.assertEqual(self.home_action(self.aid_worker_a), chosen.id)
