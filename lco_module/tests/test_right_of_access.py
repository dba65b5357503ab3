import json

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, JsonRpcException, new_test_user, tagged

from .common import LcoCommon
from .common_request import LcoRequestCommon
from .test_access_log import form_specification

EXPORT_ACTION = "lco_module.action_lco_client_data_export"
CASE_FORM = {
    "name": {},
    "question": {},
    "client_id": {"fields": {"display_name": {}}},
}


class RightOfAccessCommon(LcoCommon):
    """Kim (client_a1) as in LcoCommon; Eva, a contact shared by both
    organisations, is a client of OCMW A and of OCMW B."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.shared_client = cls.env["res.partner"].create({"name": "Eva Shared"})
        cls.eva_case_a = cls._create_case(cls.coordinator_a, cls.shared_client)
        cls.eva_case_b = cls._create_case(cls.coordinator_b, cls.shared_client)
        cls.eva_case_b.question = "Debts with OCMW B"
        cls.flush_tracking()

    def export(self, user, partner, companies=None):
        Report = self.env["report.lco_module.report_lco_client_data"].with_user(user)
        if companies:
            Report = Report.with_context(allowed_company_ids=companies.ids)
        filename, content = Report._export_json(partner.with_env(Report.env))
        return filename, json.loads(content)

    def exports_logged(self, partner):
        return self.env["lco.access.log"].search(
            [
                ("action", "=", "export"),
                "|",
                "&",
                ("res_model", "=", "res.partner"),
                ("res_id", "=", partner.id),
                ("case_id.client_id", "=", partner.id),
            ]
        )


@tagged("post_install", "-at_install")
class TestRightOfAccessExport(RightOfAccessCommon):
    """Issue 10: a manager exports everything held about one client, as a
    file, with the content of the PDF."""

    def test_manager_exports_what_is_held_about_a_client(self):
        self.case_a1.with_user(self.aid_worker_a).web_read(CASE_FORM)
        filename, data = self.export(self.manager_a, self.client_a1)
        self.assertEqual(filename, "Client consultation data - Kim Client.json")
        self.assertEqual(data["format"], "lco_module.client_data")
        self.assertEqual(data["person"]["name"], "Kim Client")
        self.assertEqual(data["exported_by"], self.manager_a.name)
        [case] = data["cases"]
        self.assertEqual(
            (case["reference"], case["state"], case["question"]),
            (self.case_a1.name, "active", "Find a home"),
        )
        self.assertEqual(case["requested_on"], self.case_a1.date_requested.isoformat())
        [consent] = data["consents"]
        self.assertEqual(consent["state"], "given")
        self.assertIn("Ann External", consent["shared_with"])
        self.assertEqual(
            {agreement["what"] for agreement in data["agreements"]},
            {"Apply for social housing", "Visit the housing company together"},
        )
        self.assertEqual(
            [meeting["case"] for meeting in data["meetings"]], [self.case_a1.name]
        )
        [opened] = data["access_log"]
        self.assertEqual((opened["who"], opened["action"]), ("Aid Worker A", "open"))
        self.assertEqual(data["requests"], [])
        self.assertEqual(data["reports_sent"], [])
        text = json.dumps(data)
        self.assertNotIn(self.client_b1.name, text, "another organisation's case")
        self.assertNotIn("Jonas Client", text, "another client's case")

    def test_his_evaluations_are_part_of_what_is_held(self):
        participant = self.case_a1.participant_ids.filtered(
            lambda p: p.partner_id == self.client_a1
        )
        # Evaluations are made by the system when a meeting is held.
        self.env["lco.meeting.evaluation"].create(
            {
                "meeting_id": self.case_a1.meeting_ids[:1].id,
                "participant_id": participant.id,
                "partner_id": self.client_a1.id,
                "is_client": True,
                "state": "answered",
                "score_listened": 4,
                "score_decided": 2,
                "comment": "Too many people at once",
            }
        )
        _filename, data = self.export(self.manager_a, self.client_a1)
        [evaluation] = data["evaluations"]
        self.assertEqual(
            (evaluation["state"], evaluation["score_listened"]), ("answered", 4)
        )
        self.assertEqual(evaluation["score_decided"], 2)
        self.assertEqual(evaluation["comment"], "Too many people at once")
        report = self.env.ref("lco_module.action_report_lco_client_data")
        html = str(
            report.with_user(self.manager_a)._render_qweb_html(
                report, self.client_a1.ids
            )[0]
        )
        self.assertIn("Too many people at once", html)

    def test_labels_are_in_the_clients_language(self):
        self.env["res.lang"]._activate_lang("nl_BE")
        self.env["ir.module.module"].search(
            [("name", "=", "lco_module")]
        )._update_translations(["nl_BE"])
        self.client_a1.lang = "nl_BE"
        _filename, data = self.export(self.manager_a, self.client_a1)
        [case] = data["cases"]
        self.assertEqual(case["state"], "active", "codes stay the same")
        self.assertEqual(case["state_label"], "Actief")

    def test_the_export_is_logged(self):
        self.export(self.manager_a, self.client_a1)
        logged = self.exports_logged(self.client_a1)
        self.assertEqual(
            {(line.res_model, line.case_id) for line in logged},
            {("res.partner", self.env["lco.case"]), ("lco.case", self.case_a1)},
        )
        self.assertEqual(logged.user_id, self.manager_a)
        self.assertEqual(
            set(logged.mapped("detail")), {"Client consultation data (JSON)"}
        )
        action = self.case_a1.with_user(self.manager_a).action_view_access_log()
        shown = (
            self.env["lco.access.log"]
            .with_user(self.manager_a)
            .search(action["domain"])
        )
        self.assertIn("export", shown.mapped("action"), "the case's log shows it")

    def test_only_what_the_managers_organisations_hold(self):
        _name, data = self.export(self.manager_a, self.shared_client)
        self.assertEqual(
            [case["reference"] for case in data["cases"]], [self.eva_case_a.name]
        )
        self.assertEqual(data["organisations"], ["OCMW A"])
        text = json.dumps(data)
        self.assertNotIn(self.eva_case_b.name, text)
        self.assertNotIn("Debts with OCMW B", text)
        self.assertEqual(
            self.exports_logged(self.shared_client).case_id, self.eva_case_a
        )
        # A manager of both organisations, working in OCMW B only.
        self.manager_b.company_ids += self.company_a
        _name, data = self.export(self.manager_b, self.shared_client, self.company_b)
        self.assertEqual(
            [case["reference"] for case in data["cases"]], [self.eva_case_b.name]
        )

    def test_only_a_manager_exports(self):
        portal = new_test_user(self.env, login="portal_kim", groups="base.group_portal")
        for user in (self.coordinator_a, self.aid_worker_a, self.employee_a, portal):
            with self.assertRaises(AccessError):
                self.export(user, self.client_a1)
            with self.assertRaises(AccessError):
                self.env.ref(EXPORT_ACTION).with_user(user).with_context(
                    active_model="res.partner",
                    active_id=self.client_a1.id,
                    active_ids=self.client_a1.ids,
                ).run()
        with self.assertRaises(AccessError):
            self.export(self.manager_b, self.client_a1)
        self.assertFalse(self.exports_logged(self.client_a1))


@tagged("post_install", "-at_install")
class TestRightOfAccessExportOverHttp(RightOfAccessCommon, HttpCase):
    """The manager downloads the file from the contact's form; nobody else
    gets it, over HTTP or RPC."""

    def run_export_action(self, user):
        self.authenticate(user.login, user.login)
        return self.make_jsonrpc_request(
            "/web/action/run",
            {
                "action_id": self.env.ref(EXPORT_ACTION).id,
                "context": {
                    "active_model": "res.partner",
                    "active_id": self.shared_client.id,
                    "active_ids": self.shared_client.ids,
                    "allowed_company_ids": user.company_id.ids,
                },
            },
        )

    def test_manager_downloads_the_file(self):
        # A manager of both organisations who works in OCMW A only now.
        self.manager_a.company_ids += self.company_b
        action = self.run_export_action(self.manager_a)
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertEqual(
            action["url"],
            f"/lco/client_data/{self.shared_client.id}/json"
            f"?company_ids={self.company_a.id}",
        )
        response = self.url_open(action["url"])
        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment", response.headers["Content-Disposition"])
        self.assertIn(".json", response.headers["Content-Disposition"])
        data = response.json()
        self.assertEqual(
            [case["reference"] for case in data["cases"]], [self.eva_case_a.name]
        )
        self.assertEqual(
            self.exports_logged(self.shared_client).user_id, self.manager_a
        )
        # Companies he does not work in are refused.
        self.manager_a.company_ids -= self.company_b
        response = self.url_open(
            f"/lco/client_data/{self.shared_client.id}/json"
            f"?company_ids={self.company_b.id}"
        )
        self.assertEqual(response.status_code, 403)

    def test_others_are_refused(self):
        portal = new_test_user(self.env, login="portal_eva", groups="base.group_portal")
        url = f"/lco/client_data/{self.shared_client.id}/json"
        for user in (self.coordinator_a, self.aid_worker_a, portal):
            with self.subTest(user=user.login):
                with self.assertRaisesRegex(JsonRpcException, "AccessError"):
                    self.run_export_action(user)
                response = self.url_open(url)
                self.assertEqual(response.status_code, 403)
                self.assertNotIn("Debts", response.text)
        self.assertFalse(self.exports_logged(self.shared_client))

    def test_the_button_is_on_the_contact_for_managers(self):
        action = self.env.ref(EXPORT_ACTION)
        button = f'name="{action.id}"'
        Partner = self.env["res.partner"]
        for user, shown in ((self.manager_a, True), (self.coordinator_a, False)):
            views = Partner.with_user(user).get_views([(False, "form")])
            self.assertEqual(button in views["views"]["form"]["arch"], shown)
            bindings = (
                self.env["ir.actions.actions"]
                .with_user(user)
                .get_bindings("res.partner")
                .get("action", ())
            )
            self.assertEqual(action.id in [b["id"] for b in bindings], shown)


@tagged("post_install", "-at_install")
class TestRightOfAccessTypedRequests(RightOfAccessCommon, LcoRequestCommon):
    """Issue 18, finding 9 and 6: the export lists the requests that name
    the person only as typed in, within the manager's organisations, and
    each opening of his case once."""

    def test_requests_that_name_him_as_typed_text(self):
        self.client_a1.write({"email": "Kim@Example.com", "phone": "0470 12 34 56"})
        by_name = self._request(client_name="kim client")
        by_email = self._request(client_name="K. C.", client_email="KIM@example.com")
        by_phone = self._request(client_name="K.", client_phone="+32 470 123 456")
        # Kim asks for his mother, on the public form.
        as_requester = self._request(
            client_name="Sofie Other",
            requester_type="network",
            requester_partner_id=False,
            requester_name="Kim Client",
        )
        # Another Kim Client, whose contact the request is linked to.
        other_kim = self.env["res.partner"].create({"name": "Kim Client"})
        self._request(client_name="Kim Client").sudo().client_id = other_kim
        # Somebody else's number that only ends alike.
        self._request(client_name="Jan", client_phone="0470 12 34 5")
        # A request of the other organisation naming her.
        of_b = self._request(user=self.aid_worker_b, client_zip="9903")
        of_b.sudo().client_name = "Kim Client"
        self.assertEqual(of_b.company_id, self.company_b)
        _filename, data = self.export(self.manager_a, self.client_a1)
        self.assertEqual(
            sorted(request["reference"] for request in data["requests"]),
            sorted((by_name | by_email | by_phone | as_requester).mapped("name")),
        )
        self.assertNotIn(of_b.name, json.dumps(data))

    def test_one_line_per_opening(self):
        spec = form_specification(self.env(user=self.aid_worker_a), "lco.case")
        self.case_a1.with_user(self.aid_worker_a).web_read(spec)
        self.case_a1.meeting_ids.with_user(self.coordinator_a).web_read(
            form_specification(self.env, "lco.meeting")
        )
        _filename, data = self.export(self.manager_a, self.client_a1)
        self.assertEqual(
            [(line["who"], line["action"]) for line in data["access_log"]],
            [("Coordinator A", "open"), ("Aid Worker A", "open")],
        )
