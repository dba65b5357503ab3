from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import LcoCommon

# What the case list view loads for each row (views/lco_case_views.xml, with
# the fields the list_activity widget needs).
LIST_SPECIFICATION = {
    "name": {},
    "client_id": {"fields": {"display_name": {}}},
    "coordinator_id": {"fields": {"display_name": {}}},
    "pivot_id": {"fields": {"display_name": {}}},
    "life_domain_ids": {"fields": {"display_name": {}, "color": {}}},
    "date_requested": {},
    "date_first_meeting": {},
    "company_id": {"fields": {"display_name": {}}},
    "activity_ids": {"fields": {}},
    "activity_exception_decoration": {},
    "activity_exception_icon": {},
    "activity_state": {},
    "activity_summary": {},
    "activity_type_icon": {},
    "activity_type_id": {"fields": {"display_name": {}}},
    "state": {},
}
# What a portal user reads of his cases (he has no list view).
PORTAL_SPECIFICATION = {
    "name": {},
    "state": {},
    "date_requested": {},
    "client_name": {},
    "company_id": {"fields": {"display_name": {}}},
}
# Who enters a case, and what belongs to it, through its membership.
MEMBER_MODELS = ("lco.case", "lco.meeting", "lco.agreement", "lco.participant")


class LcoMembershipCommon(LcoCommon):
    @classmethod
    def _portal_user(cls, partner, company):
        return cls.env["res.users"].create(
            {
                "login": f"portal_{partner.id}",
                "partner_id": partner.id,
                "company_id": company.id,
                "company_ids": [Command.set(company.ids)],
                "groups_id": [Command.set(cls.env.ref("base.group_portal").ids)],
            }
        )

    def _sees(self, user, case):
        """Whether ``user`` reads ``case``, asked both ways Odoo asks: the
        rule in SQL (search) and in Python (the check of fetched rows). Both
        must agree."""
        Case = self.env["lco.case"].with_user(user)
        in_sql = bool(Case.search_count([("id", "=", case.id)]))
        in_python = case.with_user(user).has_access("read")
        self.assertEqual(in_sql, in_python, "the rule says the same in SQL and Python")
        return in_sql


@tagged("post_install", "-at_install")
class TestCaseMembership(LcoMembershipCommon):
    """Who may enter a case is stored on it (lco_member_user_ids,
    lco_portal_partner_ids) and follows every flow that changes it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_client = cls._portal_user(cls.client_a1, cls.company_a)
        cls.portal_aunt = cls._portal_user(cls.aunt_a1, cls.company_a)

    def test_an_archived_participant_loses_the_case_at_once(self):
        participant = self._participant(self.case_a1, self.aid_worker2_a.partner_id)
        self.assertTrue(self._sees(self.aid_worker2_a, self.case_a1))
        participant.with_user(self.coordinator_a).active = False
        self.assertFalse(self._sees(self.aid_worker2_a, self.case_a1))
        for model in MEMBER_MODELS[1:]:
            with self.subTest(model=model):
                self.assertFalse(
                    self.env[model]
                    .with_user(self.aid_worker2_a)
                    .search_count([("case_id", "=", self.case_a1.id)])
                )
        participant.with_user(self.coordinator_a).active = True
        self.assertTrue(self._sees(self.aid_worker2_a, self.case_a1))

    def test_a_new_participant_enters_the_case_at_once(self):
        self.assertFalse(self._sees(self.aid_worker_a, self.case_a3))
        self.case_a3.with_user(self.coordinator2_a).participant_ids = [
            Command.create(
                {"partner_id": self.aid_worker_a.partner_id.id, "role": "professional"}
            )
        ]
        self.assertTrue(self._sees(self.aid_worker_a, self.case_a3))
        self.assertTrue(
            self.env["lco.meeting"]
            .with_user(self.aid_worker_a)
            .search_count([("case_id", "=", self.case_a3.id)])
        )

    def test_a_contact_who_gets_a_user_enters_his_cases(self):
        """The external aid worker takes part in case_a1 as a contact; the
        day he gets an account, he reads the case."""
        user = new_test_user(
            self.env,
            login="ann_internal",
            groups="lco_module.group_lco_user",
            company_id=self.company_a.id,
            partner_id=self.external_worker.id,
            name=self.external_worker.name,
        )
        self.assertEqual(user.partner_id, self.external_worker)
        self.assertTrue(self._sees(user, self.case_a1))
        self.assertFalse(self._sees(user, self.case_a2))

    def test_a_new_coordinator_gets_the_case_the_old_one_loses_it(self):
        self.assertTrue(self._sees(self.coordinator_a, self.case_a1))
        self.assertFalse(self._sees(self.coordinator2_a, self.case_a1))
        self.case_a1.with_user(self.manager_a).coordinator_id = self.coordinator2_a
        self.assertFalse(self._sees(self.coordinator_a, self.case_a1))
        self.assertTrue(self._sees(self.coordinator2_a, self.case_a1))
        self.assertTrue(self.case_a1.with_user(self.coordinator2_a).has_access("write"))
        with self.assertRaises(AccessError):
            self.case_a1.with_user(self.coordinator_a).write({"goals": "Mine again"})

    def test_a_withdrawn_consent_takes_the_portal_access_away(self):
        self.assertTrue(self._sees(self.portal_aunt, self.case_a1))
        self.assertTrue(self._sees(self.portal_client, self.case_a1))
        self.case_a1.consent_id.with_user(self.coordinator_a).action_withdraw()
        self.assertFalse(self._sees(self.portal_aunt, self.case_a1))
        self.assertFalse(
            self.env["lco.agreement"]
            .with_user(self.portal_aunt)
            .search_count([("case_id", "=", self.case_a1.id)])
        )
        # The client keeps his own case.
        self.assertTrue(self._sees(self.portal_client, self.case_a1))

    def test_a_new_consent_covers_whom_its_lines_name(self):
        case = self.case_a1.with_user(self.coordinator_a)
        aunt = self._participant(self.case_a1, self.aunt_a1)
        consent = (
            self.env["lco.consent"]
            .with_user(self.coordinator_a)
            .create(
                {
                    "case_id": case.id,
                    "date_given": self.today,
                    "line_ids": [
                        Command.create(
                            {"participant_id": participant.id, "scope": "full"}
                        )
                        for participant in case.participant_ids
                        if participant.role != "client" and participant != aunt
                    ],
                }
            )
        )
        self.assertTrue(self._sees(self.portal_aunt, self.case_a1))
        consent.action_give()
        self.assertFalse(self._sees(self.portal_aunt, self.case_a1))
        self.assertTrue(self._sees(self.portal_client, self.case_a1))

    def test_an_anonymised_case_keeps_only_its_coordinator(self):
        case = self.case_a2
        self.assertTrue(self._sees(self.coordinator_a, case))
        case.with_user(self.coordinator2_a).action_cancel()
        case.with_user(self.manager_a)._lco_anonymise()
        self.assertEqual(case.lco_member_user_ids, self.coordinator2_a)
        self.assertFalse(case.lco_portal_partner_ids)
        self.assertFalse(self._sees(self.coordinator_a, case))
        self.assertTrue(self._sees(self.coordinator2_a, case))

    def test_the_membership_is_technical(self):
        """Who takes part is for who may read the participants: the stored
        membership is read by the administrators only."""
        for user in (self.coordinator_a, self.aid_worker_a, self.portal_client):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.case_a1.with_user(user).read(["lco_member_user_ids"])
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.case_a1.with_user(user).read(["lco_portal_partner_ids"])

    def test_a_manager_reads_every_case_of_his_organisation(self):
        Case = self.env["lco.case"].with_user(self.manager_a)
        self.assertEqual(
            Case.search([]),
            self.env["lco.case"].search([("company_id", "=", self.company_a.id)]),
        )

    def test_a_read_domain_is_one_condition_without_or(self):
        """No OR between the membership and another condition: PostgreSQL
        reads the index of the relation table (user or partner, case)."""
        for user in (self.aid_worker_a, self.coordinator_a, self.portal_client):
            for model in MEMBER_MODELS:
                if user.share and model == "lco.agreement":
                    # The portal reads the work plan as the consent allows.
                    continue
                with self.subTest(user=user.login, model=model):
                    query = self.env[model].with_user(user)._search([])
                    code = query.select().code
                    self.assertNotIn(" OR ", code.upper())
                    self.assertIn(
                        "lco_case_portal_partner_rel"
                        if user.share
                        else "lco_case_member_user_rel",
                        code,
                    )


@tagged("post_install", "-at_install", "is_query_count")
class TestCaseListQueries(LcoMembershipCommon):
    """The case list of an aid worker, a coordinator and a portal user costs
    the same number of queries at 80 and at 800 rows: Odoo's check of the
    fetched rows reads the stored membership, not each case's participants."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_few = cls._portal_user(
            cls.env["res.partner"].create({"name": "Few Cases"}), cls.company_a
        )
        cls.portal_many = cls._portal_user(
            cls.env["res.partner"].create({"name": "Many Cases"}), cls.company_a
        )
        Case = cls.env["lco.case"].with_context(tracking_disable=True)
        for count, coordinator, aid_worker, client in (
            (80, cls.coordinator_a, cls.aid_worker_a, cls.portal_few),
            (800, cls.coordinator2_a, cls.aid_worker2_a, cls.portal_many),
        ):
            Case.create(
                [
                    {
                        "company_id": cls.company_a.id,
                        "coordinator_id": coordinator.id,
                        "client_id": client.partner_id.id,
                        "date_requested": fields.Date.today(),
                        "participant_ids": [
                            Command.create(
                                {
                                    "partner_id": aid_worker.partner_id.id,
                                    "role": "professional",
                                }
                            )
                        ],
                    }
                    for _number in range(count)
                ]
            )

    def _load_list(self, user, specification):
        """One page of the user's case list as the list view loads it (rows
        and count), on an empty cache; returns the number of rows."""
        self.env.flush_all()
        self.env.invalidate_all()
        return (
            self.env["lco.case"]
            .with_user(user)
            .web_search_read([], specification, limit=1000, count_limit=10001)["length"]
        )

    def test_the_list_costs_the_same_at_80_and_800_rows(self):
        for few, many, specification in (
            (self.aid_worker_a, self.aid_worker2_a, LIST_SPECIFICATION),
            (self.coordinator_a, self.coordinator2_a, LIST_SPECIFICATION),
            (self.portal_few, self.portal_many, PORTAL_SPECIFICATION),
        ):
            with self.subTest(user=few.login):
                # Fill the ormcaches (groups, rules, access) first.
                self._load_list(few, specification)
                self._load_list(many, specification)
                before = self.cr.sql_log_count
                self.assertGreaterEqual(self._load_list(few, specification), 80)
                queries = self.cr.sql_log_count - before
                with self.assertQueryCount(queries):
                    rows = self._load_list(many, specification)
                self.assertGreaterEqual(rows, 800)
