"""Security of cases: who reads and changes a case and what belongs to it
(participants, life domains, meetings, agenda, agreements), per role and
organisation; the stored membership the record rules read, and what the case
list costs; the rules that keep a case consistent (neutral coordinator, one
pivot figure, one organisation); contacts shared with other organisations;
the chatter, states, hand-over and deletion of a case (issues 7 and 19).

Meetings, attendances and agreements: test_security_meetings.py; the calendar:
test_security_calendar.py; requests and their intake: test_security_requests.py.
"""

from datetime import timedelta

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import CASE_MODELS, LcoCommon

# A harmless change a user could make in each model of a case.
WRITE_VALUES = {
    "lco.case": {"goals": "Live on his own again"},
    "lco.participant": {"function": "Social worker"},
    "lco.meeting": {"location": "Town hall"},
    "lco.meeting.attendee": {"status": "confirmed"},
    "lco.agenda.item": {"summary": "Discussed with the client"},
    "lco.agreement": {"name": "Apply for rent support"},
    "lco.case.life.domain": {"priority": "high"},
}
CONFIGURATION_MODELS = ("lco.life.domain", "lco.close.reason")

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
# Who enters a case, and what belongs to it, through its membership.
MEMBER_MODELS = ("lco.case", "lco.meeting", "lco.agreement", "lco.participant")


class LcoCaseSecurityCommon(LcoCommon):
    """LcoCommon with the participants of case_a1 at hand (its pivot, the
    other aid worker of OCMW A, the aunt and the client), a contact of no
    case (the nosy neighbour), and Kim (the client) and Rita (his aunt) with
    a portal account. Every test acts as the user concerned."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pivot = cls._participant(cls.case_a1, cls.aid_worker_a.partner_id)
        cls.other_worker = cls._participant(cls.case_a1, cls.aid_worker2_a.partner_id)
        cls.aunt = cls._participant(cls.case_a1, cls.aunt_a1)
        cls.client = cls._participant(cls.case_a1, cls.client_a1)
        cls.outsider = cls.env["res.partner"].create(
            {"name": "Nosy Neighbour", "email": "nosy@example.com"}
        )
        cls.portal_client = cls._portal_user(cls.client_a1, cls.company_a)
        cls.portal_aunt = cls._portal_user(cls.aunt_a1, cls.company_a)

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

    def as_user(self, records, user):
        return records.with_user(user).with_company(user.company_id)

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
class TestSecurity(LcoCaseSecurityCommon):
    """Who finds, reads and changes what in every model of a case, per role
    (aid worker, coordinator, manager, employee without LCO group) and
    organisation; only managers configure."""

    def assertSees(self, user, cases):
        """In every model ``user`` finds (and can open) exactly what belongs
        to ``cases``."""
        for model in CASE_MODELS:
            with self.subTest(user=user.login, model=model):
                found = self.env[model].with_user(user).search([])
                self.assertEqual(found, self._records_of(model, cases))
                found.read(["display_name", "company_id"])

    def assertCannotRead(self, user, cases):
        for model in CASE_MODELS:
            records = self._records_of(model, cases)
            self.assertTrue(records, f"no {model} to test with")
            with (
                self.subTest(user=user.login, model=model),
                self.assertRaises(AccessError),
            ):
                records.with_user(user).read(["company_id"])

    def assertCanWrite(self, user, cases):
        for model, values in WRITE_VALUES.items():
            with self.subTest(user=user.login, model=model):
                records = self._records_of(model, cases).with_user(user)
                records.write(values)
                self.assertRecordValues(records, [values] * len(records))

    def assertCannotWrite(self, user, cases):
        for model, values in WRITE_VALUES.items():
            records = self._records_of(model, cases)
            with (
                self.subTest(user=user.login, model=model),
                self.assertRaises(AccessError),
            ):
                records.with_user(user).write(values)

    # Aid worker

    def test_aid_worker_sees_his_cases(self):
        self.assertSees(self.aid_worker_a, self.case_a1)
        self.assertCannotRead(self.aid_worker_a, self.case_a2 | self.case_a3)
        self.assertSees(self.aid_worker_b, self.case_b1)
        self.assertCannotRead(self.aid_worker_b, self.case_a1)

    def test_former_participant_loses_access(self):
        self.assertSees(self.aid_worker2_a, self.case_a1)
        self._participant(self.case_a1, self.aid_worker2_a.partner_id).action_archive()
        self.assertSees(self.aid_worker2_a, self.env["lco.case"])
        self.assertCannotRead(self.aid_worker2_a, self.case_a1)

    def test_aid_worker_cannot_change_case(self):
        self.assertCannotWrite(self.aid_worker_a, self.case_a1)
        with self.assertRaises(AccessError):
            self.env["lco.case"].with_user(self.aid_worker_a).create(
                {
                    "client_id": self.client_a3.id,
                    "coordinator_id": self.coordinator_a.id,
                }
            )
        with self.assertRaises(AccessError):
            self._create_meeting(self.case_a1.with_user(self.aid_worker_a))
        with self.assertRaises(AccessError):
            self._participant(self.case_a1, self.aunt_a1).with_user(
                self.aid_worker_a
            ).unlink()

    # Coordinator

    def test_coordinator_sees_his_cases(self):
        self.assertSees(self.coordinator_a, self.case_a1 | self.case_a2)
        self.assertCannotRead(self.coordinator_a, self.case_a3)
        self.assertSees(self.coordinator2_a, self.case_a2 | self.case_a3)
        self.assertCannotRead(self.coordinator2_a, self.case_a1)
        self.assertSees(self.coordinator_b, self.case_b1)
        self.assertCannotRead(self.coordinator_b, self.case_a1 | self.case_a2)

    def test_coordinator_runs_only_his_cases(self):
        self.assertCanWrite(self.coordinator_a, self.case_a1)
        self.assertCannotWrite(self.coordinator_a, self.case_a2)
        meeting = self._create_meeting(self.case_a1.with_user(self.coordinator_a))
        self.assertEqual(meeting.number, 2)
        with self.assertRaises(AccessError):
            self._create_meeting(self.case_a2.with_user(self.coordinator_a))
        with self.assertRaises(AccessError):
            self.env["lco.participant"].with_user(self.coordinator_a).create(
                {"case_id": self.case_a2.id, "partner_id": self.aunt_a1.id}
            )

    def test_coordinator_cannot_close_case_he_takes_part_in(self):
        self.case_a2.action_activate()
        case = self.case_a2.with_user(self.coordinator_a)
        with self.assertRaises(AccessError):
            case.action_open_close_wizard()
        with self.assertRaises(AccessError):
            self.env["lco.case.close"].with_user(self.coordinator_a).with_context(
                default_case_ids=case.ids
            ).create({"close_reason_id": self.close_reason.id, "close_note": "Done"})
        self.assertEqual(self.case_a2.state, "active")

    def test_coordinator_stays_in_his_company(self):
        with self.assertRaises(AccessError):
            self.env["lco.case"].with_user(self.coordinator_a).create(
                {"company_id": self.company_b.id, "client_id": self.service.id}
            )
        case = (
            self.env["lco.case"]
            .with_user(self.coordinator_a)
            .create({"client_id": self.client_a3.id})
        )
        self.assertEqual(case.company_id, self.company_a)

    # Manager

    def test_manager_sees_his_organisation(self):
        cases_a = self.case_a1 | self.case_a2 | self.case_a3
        self.assertSees(self.manager_a, cases_a)
        self.assertCannotRead(self.manager_a, self.case_b1)
        self.assertCanWrite(self.manager_a, cases_a)
        self.assertSees(self.manager_b, self.case_b1)
        self.assertCannotRead(self.manager_b, cases_a)
        self.assertCannotWrite(self.manager_b, self.case_a1)

    def test_manager_in_two_organisations(self):
        """The company switcher decides what a manager of two organisations sees."""
        self.manager_b.company_ids |= self.company_a
        cases = self.env["lco.case"].with_user(self.manager_b)
        self.assertEqual(
            cases.with_context(allowed_company_ids=self.company_b.ids).search([]),
            self.case_b1,
        )
        self.assertEqual(
            cases.with_context(
                allowed_company_ids=(self.company_b | self.company_a).ids
            ).search([]),
            self.case_a1 | self.case_a2 | self.case_a3 | self.case_b1,
        )

    def test_manager_configures(self):
        for model in CONFIGURATION_MODELS:
            with self.subTest(model=model):
                record = (
                    self.env[model]
                    .with_user(self.manager_a)
                    .create({"name": "Language"})
                )
                record.name = "Language and Integration"
                self.assertEqual(record.name, "Language and Integration")

    def test_only_manager_configures(self):
        for user in self.coordinator_a | self.aid_worker_a:
            for model in CONFIGURATION_MODELS:
                with self.subTest(user=user.login, model=model):
                    configuration = self.env[model].with_user(user)
                    self.assertTrue(configuration.search([]))
                    with self.assertRaises(AccessError):
                        configuration.create({"name": "Language"})
                    with self.assertRaises(AccessError):
                        configuration.search([], limit=1).name = "Language"

    # Other users

    def test_employee_without_lco_group(self):
        for model in (*CASE_MODELS, *CONFIGURATION_MODELS):
            with (
                self.subTest(model=model),
                self.assertRaises(AccessError),
            ):
                self.env[model].with_user(self.employee_a).search([])
        with self.assertRaises(AccessError):
            self.case_a1.with_user(self.employee_a).read(["name"])
        with self.assertRaises(AccessError):
            self.env["lco.case"].with_user(self.employee_a).create(
                {
                    "client_id": self.client_a3.id,
                    "coordinator_id": self.coordinator_a.id,
                }
            )

    def test_participants_see_one_team(self):
        """Someone who takes part sees the whole team of his case, the pivot
        included, but none of the other cases' people."""
        participants = self.env["lco.participant"].with_user(self.aid_worker2_a)
        self.assertEqual(
            participants.search([("is_pivot", "=", True)]).partner_id,
            self.aid_worker_a.partner_id,
        )
        self.assertFalse(participants.search([("partner_id", "=", self.client_a2.id)]))
        self.case_a2.participant_ids = [
            Command.create({"partner_id": self.aid_worker2_a.partner_id.id})
        ]
        self.assertEqual(
            participants.search([("partner_id", "=", self.client_a2.id)]).case_id,
            self.case_a2,
        )


@tagged("post_install", "-at_install")
class TestCaseMembership(LcoCaseSecurityCommon):
    """Who may enter a case is stored on it (lco_member_user_ids,
    lco_portal_partner_ids) and follows every flow that changes it."""

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

    def _member_users(self):
        """The users whose read domains are checked (lco_portal adds the
        portal's, whose rules it holds)."""
        return self.aid_worker_a | self.coordinator_a

    def test_a_read_domain_is_one_condition_without_or(self):
        """No OR between the membership and another condition: PostgreSQL
        reads the index of the relation table (user or partner, case)."""
        for user in self._member_users():
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
class TestCaseListQueries(LcoCaseSecurityCommon):
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

    def _list_users(self):
        """(user with 80 cases, user with 800, what the list reads); lco_portal
        checks the portal's, whose rules it holds."""
        return (
            (self.aid_worker_a, self.aid_worker2_a, LIST_SPECIFICATION),
            (self.coordinator_a, self.coordinator2_a, LIST_SPECIFICATION),
        )

    def test_the_list_costs_the_same_at_80_and_800_rows(self):
        for few, many, specification in self._list_users():
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


@tagged("post_install", "-at_install")
class TestCaseRules(LcoCaseSecurityCommon):
    """What keeps a case consistent whoever writes: a neutral coordinator,
    one pivot figure, one person once, one organisation."""

    # Neutral coordinator

    def test_coordinator_cannot_take_part(self):
        with self.assertRaisesText(ValidationError, "cannot also take part"):
            self.env["lco.participant"].create(
                {
                    "case_id": self.case_a1.id,
                    "partner_id": self.coordinator_a.partner_id.id,
                }
            )

    def test_coordinator_cannot_take_part_when_creating_case(self):
        with self.assertRaises(ValidationError):
            self.env["lco.case"].with_user(self.coordinator_a).create(
                {
                    "client_id": self.client_a3.id,
                    "participant_ids": [
                        Command.create({"partner_id": self.coordinator_a.partner_id.id})
                    ],
                }
            )

    def test_participant_cannot_become_coordinator(self):
        self.aid_worker2_a.groups_id = [
            Command.link(self.env.ref("lco_module.group_lco_coordinator").id)
        ]
        with self.assertRaisesText(ValidationError, "cannot also coordinate"):
            self.case_a1.coordinator_id = self.aid_worker2_a

    def test_archived_participant_cannot_become_coordinator(self):
        self.other_worker.action_archive()
        with self.assertRaises(ValidationError):
            self.case_a1.coordinator_id = self.aid_worker2_a

    def test_other_coordinator_accepted(self):
        self.case_a1.coordinator_id = self.coordinator2_a
        self.assertEqual(self.meeting_a1.chair_id, self.coordinator2_a)

    # Pivot figure

    def test_single_pivot(self):
        self.assertEqual(self.case_a1.pivot_id, self.pivot)
        self.assertEqual(
            self.case_a1.participant_ids.filtered("is_pivot"),
            self.pivot,
        )
        self.case_a1.pivot_id = self.other_worker
        self.assertEqual(
            self.case_a1.participant_ids.filtered("is_pivot"),
            self.other_worker,
        )
        self.assertFalse(self.pivot.is_pivot)

    def test_pivot_roles(self):
        case = self.case_a3
        case.participant_ids = [
            Command.create({"partner_id": self.aunt_a1.id, "role": "trusted_person"}),
            Command.create({"partner_id": self.external_worker.id, "role": "network"}),
            Command.create(
                {"partner_id": self.aid_worker_a.partner_id.id, "role": "interpreter"}
            ),
        ]
        for partner in (
            self.client_a3 | self.external_worker | self.aid_worker_a.partner_id
        ):
            with self.subTest(role=self._participant(case, partner).role):
                with self.assertRaisesText(ValidationError, "cannot be the pivot"):
                    case.pivot_id = self._participant(case, partner)
        case.pivot_id = self._participant(case, self.aunt_a1)
        self.assertTrue(case.pivot_id.is_pivot)

    def test_pivot_of_other_case_refused(self):
        with self.assertRaisesText(ValidationError, "must be one of its participants"):
            self.case_a3.pivot_id = self.pivot

    def test_pivot_role_cannot_change(self):
        with self.assertRaisesText(ValidationError, "choose another pivot figure"):
            self.pivot.role = "network"
        self.pivot.role = "trusted_person"
        self.assertTrue(self.pivot.is_pivot)

    def test_pivot_cannot_be_archived(self):
        with self.assertRaisesText(ValidationError, "choose another pivot figure"):
            self.pivot.action_archive()

    def test_pivot_cannot_be_deleted(self):
        with self.assertRaisesText(UserError, "choose another pivot figure"):
            self.pivot.unlink()

    def test_former_pivot_can_leave(self):
        self.case_a1.pivot_id = self.other_worker
        self.pivot.action_archive()
        self.assertFalse(self.pivot.active)
        self.assertEqual(
            self.case_a1.participant_ids.filtered("is_pivot"), self.other_worker
        )

    def test_active_case_needs_pivot(self):
        with self.assertRaisesText(ValidationError, "needs a pivot figure"):
            self.case_a1.pivot_id = False

    def test_draft_case_without_pivot(self):
        self.case_a3.pivot_id = False
        self.assertEqual(self.case_a3.state, "draft")

    def test_activate_needs_pivot(self):
        with self.assertRaisesText(UserError, "without a pivot figure"):
            self.case_a3.action_activate()
        self.assertEqual(self.case_a3.state, "draft")

    def test_activate_needs_consent(self):
        self.case_a2.consent_id.action_withdraw()
        self.assertFalse(self.case_a2.has_consent)
        with self.assertRaisesText(UserError, "without the client's consent"):
            self.case_a2.action_activate()
        self.assertEqual(self.case_a2.state, "draft")

    # One person once; a case goes with everything in it (the meetings, their
    # attendances and agenda, the agreements: test_security_meetings.py)

    @mute_logger("odoo.sql_db")
    def test_person_takes_part_once(self):
        with self.assertRaises(IntegrityError):
            self.env["lco.participant"].create(
                {"case_id": self.case_a1.id, "partner_id": self.aunt_a1.id}
            )
            self.env.flush_all()

    def test_case_with_held_meeting_not_deleted(self):
        self.meeting_a1.with_context(lco_schedule_confirmed=True).action_schedule()
        self.meeting_a1.attendee_ids.status = "present"
        with freeze_time(self.meeting_a1.start + timedelta(minutes=5)):
            self.meeting_a1.action_hold()
        with self.assertRaisesText(UserError, "close or cancel it"):
            self.case_a1.unlink()
        self.assertTrue(self.case_a1.exists())

    def test_delete_case_in_preparation(self):
        """Deleting a case deletes everything in it, agenda and attendance too."""
        self.assertTrue(self._records_of("lco.agenda.item", self.case_a3))
        self.case_a3.unlink()
        for model in CASE_MODELS:
            with self.subTest(model=model):
                self.assertFalse(self._records_of(model, self.case_a3))

    # Company consistency

    def test_client_of_other_company(self):
        with self.assertRaisesText(UserError, "Incompatible companies"):
            self.env["lco.case"].create(
                {
                    "company_id": self.company_a.id,
                    "coordinator_id": self.coordinator_a.id,
                    "client_id": self.client_b1.id,
                }
            )

    def test_coordinator_of_other_company(self):
        with self.assertRaisesText(UserError, "Incompatible companies"):
            self.case_a3.coordinator_id = self.coordinator_b

    def test_participant_of_other_company(self):
        with self.assertRaisesText(UserError, "Incompatible companies"):
            self.env["lco.participant"].create(
                {"case_id": self.case_a1.id, "partner_id": self.client_b1.id}
            )

    def test_meeting_of_case_of_other_company(self):
        with self.assertRaisesText(UserError, "Incompatible companies"):
            self.env["lco.agreement"].create(
                {
                    "case_id": self.case_a1.id,
                    "name": "Call the landlord",
                    "responsible_id": self.client.id,
                    "meeting_id": self.case_b1.meeting_ids.id,
                }
            )

    def test_global_partner_in_any_company(self):
        participant = self.env["lco.participant"].create(
            {"case_id": self.case_b1.id, "partner_id": self.external_worker.id}
        )
        self.assertEqual(participant.company_id, self.company_b)
        self.assertEqual(participant.organisation_id, self.service)
        self.assertEqual(participant.function, "Housing counsellor")


@tagged("post_install", "-at_install")
class TestCaseSecurity(LcoCaseSecurityCommon):
    """Around the record rules of cases, participants and agreements (issue
    7): shared contacts, chatter, states, pivot, hand-over, deletion, bad
    input and the answers of buttons."""

    # 5. Shared contacts of another organisation's case

    def test_other_organisation_cannot_change_a_participant_contact(self):
        external = self.external_worker.with_user(self.coordinator_b)
        # He may not read case_a1: nothing tells him there is a consultation.
        with self.assertRaisesText(
            AccessError, "ask whoever manages this contact"
        ) as e:
            external.write({"email": "attacker@example.com"})
        self.assertNotIn("consultation", str(e.exception))
        self.assertEqual(self.external_worker.email, "ann@caw.example.com")

    def test_colleague_not_running_the_case_cannot_change_a_participant(self):
        external = self.external_worker.with_user(self.coordinator2_a)
        with self.assertRaises(AccessError):
            external.phone = "+32 470 00 00 00"

    def test_coordinator_and_manager_of_the_case_change_a_participant(self):
        self.external_worker.with_user(self.coordinator_a).email = "ann@caw.example.org"
        self.external_worker.with_user(self.manager_a).phone = "+32 11 00 00 00"
        self.assertEqual(self.external_worker.email, "ann@caw.example.org")

    def test_contacts_outside_any_open_case_stay_editable(self):
        self.outsider.with_user(self.coordinator_b).email = "neighbour@example.com"
        self.case_a1._close(self.close_reason, "Goals reached")
        self.external_worker.with_user(self.coordinator_b).email = "ann@caw.be"
        self.assertEqual(self.external_worker.email, "ann@caw.be")

    def test_merging_a_participant_into_another_contact_is_refused(self):
        wizard = (
            self.env["base.partner.merge.automatic.wizard"]
            .with_user(self.coordinator_b)
            .create({})
        )
        own = self.env["res.partner"].create(
            {"name": "Ann External", "email": "x@y.be"}
        )
        with self.assertRaises(AccessError):
            wizard._merge([self.external_worker.id, own.id], own)
        self.assertTrue(self.external_worker.exists())

    # 6. Notifications and messages

    def test_notifications_of_an_agreement_stay_with_their_recipients(self):
        agreement = self.agreement_a1_external
        message = agreement.with_user(self.coordinator_a).message_post(
            body="Budgetplan opstellen?",
            partner_ids=self.pivot.partner_id.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        domain = [("mail_message_id", "=", message.id)]
        Notification = self.env["mail.notification"]
        self.assertTrue(Notification.with_user(self.aid_worker_a).search(domain))
        for user in (self.employee_a, self.aid_worker_b, self.coordinator_b):
            self.assertFalse(Notification.with_user(user).search(domain), user.login)

    def test_followers_of_a_case_are_listed_only_to_who_reads_the_case(self):
        self.case_a1.message_subscribe(partner_ids=self.aunt_a1.ids)
        domain = [("res_model", "=", "lco.case"), ("res_id", "=", self.case_a1.id)]
        Followers = self.env["mail.followers"]
        self.assertIn(
            self.aunt_a1,
            Followers.with_user(self.coordinator_a).search(domain).partner_id,
        )
        for user in (self.employee_a, self.coordinator2_a, self.coordinator_b):
            self.assertFalse(Followers.with_user(user).search(domain), user.login)
        partner_followers = [("res_model", "=", "res.partner")]
        self.assertEqual(
            Followers.with_user(self.employee_a).search_count(partner_followers),
            Followers.search_count(partner_followers),
        )

    def test_chatter_of_a_case_shows_the_notifications_of_colleagues(self):
        message = self.case_a1.with_user(self.coordinator_a).message_post(
            body="Next meeting moved",
            partner_ids=(self.aid_worker_a | self.aid_worker2_a).partner_id.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        as_colleague = message.with_user(self.aid_worker2_a)
        # The two addressed, and the followers the consent covers (issue 22).
        self.assertEqual(
            as_colleague.notification_ids.res_partner_id,
            message.sudo().notification_ids.res_partner_id,
        )
        self.assertGreaterEqual(len(as_colleague.notification_ids), 2)
        self.assertTrue(as_colleague.notification_ids.mapped("notification_status"))

    def test_participant_cannot_message_outsiders_about_an_agreement(self):
        agreement = self.agreement_a1_aid_worker.with_user(self.aid_worker_a)
        with self.assertRaisesText(UserError, "Only the people taking part"):
            agreement.message_post(body="Look at this", partner_ids=self.outsider.ids)
        with self.assertRaisesText(UserError, "Only the people taking part"):
            agreement.message_subscribe(partner_ids=self.outsider.ids)
        self.assertNotIn(self.outsider, agreement.sudo().message_partner_ids)
        agreement.message_post(body="For you", partner_ids=self.aunt_a1.ids)

    def test_coordinator_cannot_message_outsiders_about_a_case(self):
        case = self.case_a1.with_user(self.coordinator_a)
        with self.assertRaises(UserError):
            case.message_post(body="FYI", partner_ids=self.outsider.ids)
        with self.assertRaises(UserError):
            case.message_subscribe(partner_ids=self.outsider.ids)

    # 7. States move only through their actions and checks

    def test_case_state_cannot_be_forged(self):
        draft = self.as_user(self.case_a2, self.coordinator2_a)
        draft.consent_id.action_withdraw()
        with self.assertRaisesText(UserError, "without the client's consent"):
            draft.write({"state": "active"})
        with self.assertRaisesText(UserError, "Only an active case can be closed"):
            draft.write(
                {
                    "state": "closed",
                    "close_reason_id": self.close_reason.id,
                    "close_note": "x",
                }
            )
        active = self.as_user(self.case_a1, self.coordinator_a)
        with self.assertRaisesText(UserError, "reason for closing"):
            active.write({"state": "closed"})
        for vals in (
            {"name": "LCO/1999/0001"},
            {"date_closed": fields.Date.today()},
            {"close_note": "rewritten"},
            {"close_reason_id": self.close_reason.id},
        ):
            with self.assertRaises(UserError):
                active.write(vals)
        self.assertEqual(self.case_a1.state, "active")

    def test_closed_case_cannot_be_reopened(self):
        case = self.as_user(self.case_a1, self.coordinator_a)
        case._close(self.close_reason, "Goals reached")
        self.assertEqual(case.date_closed, fields.Date.context_today(case))
        for state in ("active", "draft", "cancelled"):
            with self.assertRaises(UserError):
                case.write({"state": state})
        with self.assertRaises(UserError):
            case.write({"close_note": "Something else"})

    def test_case_cannot_be_created_active_or_with_a_number(self):
        Case = self.env["lco.case"].with_user(self.coordinator_a)
        with self.assertRaises(UserError):
            Case.create({"client_id": self.client_a3.id, "state": "active"})
        case = Case.create({"client_id": self.client_a3.id, "name": "LCO/1999/9"})
        self.assertNotEqual(case.name, "LCO/1999/9")

    def test_close_wizard_only_closes_active_cases_the_user_runs(self):
        Wizard = self.env["lco.case.close"].with_user(self.coordinator_a)
        values = {"close_reason_id": self.close_reason.id, "close_note": "x"}
        with self.assertRaises(UserError):
            Wizard.create({**values, "case_ids": [Command.set(self.case_a2.ids)]})
        draft = (
            self.env["lco.case"]
            .with_user(self.coordinator_a)
            .create({"client_id": self.client_a3.id})
        )
        with self.assertRaisesText(UserError, "Only an active case can be closed"):
            Wizard.create({**values, "case_ids": [Command.set(draft.ids)]})
        foreign = self.env["lco.case.close"].with_user(self.coordinator_b)
        with self.assertRaises(UserError):
            foreign.create({**values, "case_ids": [Command.set(self.case_a1.ids)]})
        self.assertEqual(self.case_a1.state, "active")

    # 9. One pivot figure

    def test_pivot_flag_chooses_the_case_pivot(self):
        other = self.other_worker.with_user(self.coordinator_a)
        other.is_pivot = True
        self.assertEqual(self.case_a1.pivot_id, self.other_worker)
        self.assertFalse(self.pivot.is_pivot)
        self.assertEqual(
            self.case_a1.participant_ids.filtered("is_pivot"), self.other_worker
        )

    def test_pivot_flag_cannot_make_two_pivots_or_the_client(self):
        both = (self.pivot | self.other_worker).with_user(self.coordinator_a)
        with self.assertRaisesText(ValidationError, "has one pivot figure"):
            both.write({"is_pivot": True})
        with self.assertRaises(ValidationError):
            self.client.with_user(self.coordinator_a).is_pivot = True
        with self.assertRaisesText(ValidationError, "needs a pivot figure"):
            self.pivot.with_user(self.coordinator_a).is_pivot = False
        self.assertEqual(self.case_a1.pivot_id, self.pivot)

    # 10. Hand-over

    def test_coordinator_hands_a_case_over_to_a_colleague(self):
        case = self.as_user(self.case_a1, self.coordinator_a)
        case.coordinator_id = self.coordinator2_a
        self.flush_tracking()
        self.assertEqual(self.case_a1.coordinator_id, self.coordinator2_a)
        self.assertFalse(case.has_access("read"))
        tracked = self.case_a1.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "coordinator_id"
        )
        self.assertEqual(tracked.new_value_char, self.coordinator2_a.name)

    def test_hand_over_to_a_participant_or_a_plain_user_is_refused(self):
        case = self.as_user(self.case_a2, self.coordinator2_a)
        with self.assertRaisesText(ValidationError, "cannot also coordinate"):
            case.coordinator_id = self.coordinator_a
        manager_view = self.as_user(self.case_a1, self.manager_a)
        with self.assertRaisesText(ValidationError, "only a user of the Coordinator"):
            manager_view.coordinator_id = self.employee_a
        self.assertEqual(self.case_a1.coordinator_id, self.coordinator_a)

    # 11. Deleting a case

    def test_deleting_a_case_removes_the_activities_of_its_agreements(self):
        case = self.case_a3
        agreement = case.agreement_ids
        agreement.responsible_id = self._participant(case, self.client_a3)
        self.env["mail.activity"].create(
            {
                "res_model_id": self.env["ir.model"]._get_id("lco.agreement"),
                "res_id": agreement.id,
                "user_id": self.aid_worker_a.id,
                "activity_type_id": self.env.ref("mail.mail_activity_data_todo").id,
            }
        )
        case.with_user(self.manager_a).unlink()
        self.assertFalse(
            self.env["mail.activity"].search(
                [("res_model", "=", "lco.agreement"), ("res_id", "=", agreement.id)]
            )
        )

    # 13. Bad input gets a clear message

    def test_bad_values_get_clear_messages(self):
        case = self.as_user(self.case_a1, self.coordinator_a)
        for vals, text in (
            ({"state": "bogus"}, "bogus"),
            ({"date_requested": "yesterday"}, "is not a valid value for Requested On"),
            ({"color": "red"}, "is not a valid value for Color"),
            ({"color": 2**40}, "is not a valid value for Color"),
            ({"client_id": "Kim"}, "is not a valid value for Client"),
            ({"client_id": 999999999}, "does not exist or you may not use it"),
            ({"client_id": self.client_b1.id}, "does not exist or you may not use it"),
            ({"no_such_field": 1}, "is not a field of"),
        ):
            with self.subTest(vals=vals), self.assertRaisesText(UserError, text):
                case.write(vals)

    def test_foreign_ids_answer_like_missing_ones(self):
        Agreement = self.env["lco.agreement"].with_user(self.coordinator_b)
        messages = set()
        for case_id in (self.case_a1.id, 999999999):
            with self.assertRaises(ValidationError) as caught:
                Agreement.create(
                    {"case_id": case_id, "name": "x", "responsible_id": 999999999}
                )
            messages.add(str(caught.exception))
        self.assertEqual(len(messages), 1)

    # 14. Buttons answer something XML-RPC can send

    def test_case_buttons_return_a_value(self):
        case = self.as_user(self.case_a3, self.coordinator2_a)
        self.assertIs(case.action_cancel(), True)
        self.assertIs(case.action_reset_draft(), True)
        case.pivot_id = False
        self.env["lco.participant"].with_user(self.coordinator2_a).create(
            {
                "case_id": case.id,
                "partner_id": self.external_worker.id,
                "is_pivot": True,
            }
        )
        self.assertIs(case.action_activate(), True)
        self.assertTrue(case.action_open_close_wizard())

    def test_participants_and_agreements_stay_in_their_case(self):
        coordinator = self.coordinator2_a
        participant = self._participant(self.case_a3, self.client_a3)
        with self.assertRaisesText(UserError, "never changes"):
            participant.with_user(coordinator).case_id = self.case_a2
        agreement = self.case_a3.agreement_ids.with_user(coordinator)
        with self.assertRaisesText(UserError, "never changes"):
            agreement.case_id = self.case_a2
        agreement.case_id = self.case_a3
        self.assertEqual(participant.case_id, self.case_a3)


@tagged("post_install", "-at_install")
class TestContactOracle(LcoCaseSecurityCommon):
    """Changing a contact tells nobody about consultations he may not read."""

    def test_another_organisation_learns_of_no_consultation(self):
        # Ann External, a contact of no organisation, takes part in case_a1;
        # Kim Client is a contact of OCMW A. An aid worker of OCMW B changes
        # no contact (Odoo's access rights), a coordinator of OCMW B only
        # those of his organisation and of none (Odoo's rules).
        for user in (self.aid_worker_b, self.coordinator_b):
            for partner in (self.external_worker, self.client_a1):
                with self.subTest(user=user.login, partner=partner.name):
                    with self.assertRaises(AccessError) as caught:
                        partner.with_user(user).write({"active": False})
                    self.assertNotIn("consultation", str(caught.exception))
                    self.assertTrue(partner.active)
        with self.assertRaisesText(AccessError, "reached: ask whoever manages"):
            self.external_worker.with_user(self.coordinator_b).write(
                {"email": "ann@elsewhere.example.com"}
            )
        # Changing what says nothing of how he is reached stays open.
        self.external_worker.with_user(self.coordinator_b).write(
            {"function": "Counsellor"}
        )

    def test_who_reads_the_case_is_told_who_runs_it(self):
        # coordinator_a takes part in case_a2 (Jonas Client) but does not run
        # it; he runs case_a1, with Ann External.
        with self.assertRaisesText(AccessError, "consultation you do not run"):
            self.client_a2.with_user(self.coordinator_a).write({"active": False})
        self.external_worker.with_user(self.coordinator_a).write(
            {"email": "ann.external@caw.example.com"}
        )
