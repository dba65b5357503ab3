from contextlib import contextmanager
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import Form, TransactionCase, new_test_user

# Every model that holds data of a case, with the field that links it to its case.
CASE_MODELS = {
    "lco.case": "id",
    "lco.participant": "case_id",
    "lco.meeting": "case_id",
    "lco.meeting.attendee": "case_id",
    "lco.agenda.item": "case_id",
    "lco.agreement": "case_id",
    "lco.case.life.domain": "case_id",
}


def skip_without_demo(case, module="lco_module"):
    """Skip ``case`` where ``module`` was installed without its demo data: a
    real configuration (a production database) whose demo the test cannot
    check. Where the demo was installed, the test runs, and a missing demo
    record fails it (``env.ref`` raises) instead of skipping."""
    installed = case.env["ir.module.module"].search([("name", "=", module)])
    if not installed.demo:
        case.skipTest(f"{module} was installed without its demo data")


class LcoCommon(TransactionCase):
    """Two organisations with users of every LCO group and a few cases.

    OCMW A
      case_a1: coordinated by coordinator_a, active; aid_worker_a (pivot),
               aid_worker2_a, an external aid worker and the client's aunt
               take part; one meeting, one agenda item, an agreement for
               aid_worker_a and one for the external aid worker.
      case_a2: coordinated by coordinator2_a, coordinator_a takes part in it
               as an aid worker (pivot).
      case_a3: coordinated by coordinator2_a, only the client takes part.
    OCMW B
      case_b1: coordinated by coordinator_b, aid_worker_b is the pivot.
    Every case has a life domain line, a meeting, an agenda item and an
    agreement.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # One time zone for "today" everywhere, also between 23:00 and 24:00 UTC.
        cls.env = cls.env(context=dict(cls.env.context, tz="Europe/Brussels"))
        cls.today = fields.Date.context_today(cls.env["lco.case"])
        cls.company_a = cls.env["res.company"].create({"name": "OCMW A"})
        cls.company_b = cls.env["res.company"].create({"name": "OCMW B"})

        cls.aid_worker_a = cls._new_user("aid_worker_a", "user", cls.company_a)
        cls.aid_worker2_a = cls._new_user("aid_worker2_a", "user", cls.company_a)
        cls.coordinator_a = cls._new_user("coordinator_a", "coordinator", cls.company_a)
        cls.coordinator2_a = cls._new_user(
            "coordinator2_a", "coordinator", cls.company_a
        )
        cls.manager_a = cls._new_user("manager_a", "manager", cls.company_a)
        cls.aid_worker_b = cls._new_user("aid_worker_b", "user", cls.company_b)
        cls.coordinator_b = cls._new_user("coordinator_b", "coordinator", cls.company_b)
        cls.manager_b = cls._new_user("manager_b", "manager", cls.company_b)
        cls.employee_a = new_test_user(
            cls.env,
            login="employee_a",
            groups="base.group_user",
            name="Employee A",
            company_id=cls.company_a.id,
        )

        Partner = cls.env["res.partner"]
        cls.client_a1, cls.client_a2, cls.client_a3, cls.aunt_a1 = Partner.create(
            [
                {"name": name, "company_id": cls.company_a.id}
                for name in ("Kim Client", "Jonas Client", "Sofie Client", "Rita Aunt")
            ]
        )
        cls.client_b1 = Partner.create(
            {"name": "Bart Client", "company_id": cls.company_b.id}
        )
        cls.service = Partner.create({"name": "CAW Centre", "is_company": True})
        cls.external_worker = Partner.create(
            {
                "name": "Ann External",
                "parent_id": cls.service.id,
                "function": "Housing counsellor",
                "email": "ann@caw.example.com",
            }
        )
        cls.life_domain_housing = cls.env.ref("lco_module.life_domain_housing")
        cls.close_reason = cls.env.ref("lco_module.close_reason_goals_reached")

        cls.case_a1 = cls._create_case(
            cls.coordinator_a,
            cls.client_a1,
            [
                (cls.aid_worker_a.partner_id, "professional"),
                (cls.aid_worker2_a.partner_id, "professional"),
                (cls.external_worker, "professional"),
                (cls.aunt_a1, "network"),
            ],
            pivot=cls.aid_worker_a.partner_id,
        )
        cls.case_a2 = cls._create_case(
            cls.coordinator2_a,
            cls.client_a2,
            [(cls.coordinator_a.partner_id, "professional")],
            pivot=cls.coordinator_a.partner_id,
        )
        cls.case_a3 = cls._create_case(cls.coordinator2_a, cls.client_a3)
        cls.case_b1 = cls._create_case(
            cls.coordinator_b,
            cls.client_b1,
            [(cls.aid_worker_b.partner_id, "professional")],
            pivot=cls.aid_worker_b.partner_id,
        )
        cls.case_a1.action_activate()

        cls.meeting_a1 = cls.case_a1.meeting_ids
        cls.agreement_a1_aid_worker = cls.case_a1.agreement_ids
        cls.agreement_a1_external = cls.env["lco.agreement"].create(
            {
                "case_id": cls.case_a1.id,
                "meeting_id": cls.meeting_a1.id,
                "name": "Visit the housing company together",
                "responsible_id": cls._participant(cls.case_a1, cls.external_worker).id,
                "deadline": cls.today + timedelta(days=7),
            }
        )
        # End the set-up as a request ends: changes made in the tests are tracked.
        cls.flush_tracking()

    @classmethod
    def _new_user(cls, login, group, company):
        return new_test_user(
            cls.env,
            login=login,
            groups=f"lco_module.group_lco_{group}",
            name=login.replace("_", " ").title(),
            company_id=company.id,
        )

    @classmethod
    def _create_case(cls, coordinator, client, team=(), pivot=None):
        """A case with consent, a meeting, an agenda item and an agreement.

        The agreement is for the pivot, or for the client without a pivot.
        """
        case = cls.env["lco.case"].create(
            {
                "company_id": coordinator.company_id.id,
                "coordinator_id": coordinator.id,
                "client_id": client.id,
                "question": "Find a home",
                "participant_ids": [
                    Command.create({"partner_id": partner.id, "role": role})
                    for partner, role in team
                ],
                "life_domain_line_ids": [
                    Command.create({"life_domain_id": cls.life_domain_housing.id})
                ],
            }
        )
        if pivot:
            case.pivot_id = cls._participant(case, pivot)
        cls._give_consent(case)
        meeting = cls._create_meeting(case)
        client_participant = cls._participant(case, client)
        cls.env["lco.agenda.item"].create(
            {
                "meeting_id": meeting.id,
                "name": "Housing",
                "proposed_by_id": client_participant.id,
            }
        )
        cls.env["lco.agreement"].create(
            {
                "case_id": case.id,
                "meeting_id": meeting.id,
                "name": "Apply for social housing",
                "responsible_id": (case.pivot_id or client_participant).id,
                "deadline": cls.today + timedelta(days=14),
            }
        )
        return case

    @classmethod
    def _give_consent(cls, case, scopes=None):
        """The client consents to share with every participant of ``case``
        (the full report, unless ``scopes`` says otherwise per partner); its
        professionals acknowledged the shared-secrecy rules."""
        scopes = scopes or {}
        others = case.participant_ids.filtered(lambda p: p.role != "client")
        others.filtered(
            lambda p: p.role == "professional"
        ).confidentiality_ack_date = cls.today
        consent = case.env["lco.consent"].create(
            {
                "case_id": case.id,
                "date_given": cls.today,
                "line_ids": [
                    Command.create(
                        {
                            "participant_id": participant.id,
                            "scope": scopes.get(participant.partner_id, "full"),
                        }
                    )
                    for participant in others
                ],
            }
        )
        consent.action_give()
        return consent

    @staticmethod
    def _create_meeting(case, **values):
        """A meeting in a week, created by the user of ``case``'s environment."""
        return case.env["lco.meeting"].create(
            {
                "case_id": case.id,
                "start": fields.Datetime.now() + timedelta(days=7),
                **values,
            }
        )

    @staticmethod
    def _participant(case, partner):
        return case.with_context(active_test=False).participant_ids.filtered(
            lambda participant: participant.partner_id == partner
        )

    def _close_with_wizard(
        self, case, user, note="The family has a home and feels supported."
    ):
        action = case.with_user(user).action_open_close_wizard()
        wizard_model = self.env[action["res_model"]].with_user(user)
        with Form(wizard_model.with_context(**action["context"])) as wizard:
            wizard.close_reason_id = self.close_reason
            wizard.close_note = note
        wizard.record.action_close()

    def _records_of(self, model, cases):
        """The records of ``model`` that belong to ``cases``, seen by the superuser."""
        return self.env[model].search([(CASE_MODELS[model], "in", cases.ids)])

    @contextmanager
    def assertRaisesText(self, exception, text):
        """``assertRaises`` (which rolls back to a savepoint) that also checks
        that the message tells the user ``text``."""
        with self.assertRaises(exception) as caught:
            yield caught
        self.assertIn(text, str(caught.exception))

    @classmethod
    def flush_tracking(cls):
        """Write the pending tracking values, as at the end of a request."""
        cls.env.cr.flush()
