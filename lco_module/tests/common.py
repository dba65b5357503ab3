from datetime import timedelta

from odoo import Command, fields
from odoo.tests import TransactionCase, new_test_user

from odoo.addons.mail.tests.common import MockEmail


class LcoMeetingCommon(TransactionCase, MockEmail):
    """A small world for the meeting flow: an OCMW with a coordinator, two
    aid workers and a manager, another OCMW with its own coordinator, and an
    active case whose client has no e-mail address."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("nl_BE")
        cls.company = cls.env["res.company"].create(
            {
                "name": "OCMW Testdorp",
                "street": "Markt 1",
                "zip": "3990",
                "city": "Testdorp",
                "email": "lco@testdorp.example",
                "phone": "+32 11 99 99 99",
                "country_id": cls.env.ref("base.be").id,
            }
        )
        cls.other_company = cls.env["res.company"].create({"name": "OCMW Elders"})
        cls.coordinator = cls._user(
            "coordinator",
            "Lien Coördinator",
            email="lien@testdorp.example",
            tz="Europe/Brussels",
        )
        cls.aid_worker = cls._user(
            "aid_worker", "Pieter Hulpverlener", "user", email="pieter@testdorp.example"
        )
        cls.outsider = cls._user("outsider", "Olga Buitenstaander", "user")
        cls.manager = cls._user("manager", "Marc Diensthoofd", "manager")
        cls.other_coordinator = cls._user(
            "other_coordinator", "Yves Elders", company=cls.other_company
        )
        Partner = cls.env["res.partner"]
        cls.client = Partner.create(
            {
                "name": "Kim Testers",
                "street": "Heidestraat 14",
                "zip": "3990",
                "city": "Testdorp",
                "lang": "nl_BE",
                "company_id": cls.company.id,
            }
        )
        cls.aunt = Partner.create({"name": "Rita Testers", "lang": "nl_BE"})
        cls.counsellor = Partner.create(
            {
                "name": "Ann Woonbegeleider",
                "email": "ann@caw.example",
                "lang": "nl_BE",
                "function": "Woonbegeleider",
            }
        )
        cls.housing = cls.env["lco.life.domain"].search([], limit=1)
        cls.case = (
            cls.env["lco.case"]
            .with_user(cls.coordinator)
            .create(
                {
                    "company_id": cls.company.id,
                    "client_id": cls.client.id,
                    "question": "We want to keep our house.",
                    "strengths": "Kim never gives up.",
                    "consent_date": fields.Date.today(),
                    "consent_given_by": "Kim Testers",
                    "participant_ids": [
                        Command.create({"partner_id": cls.aunt.id, "role": "network"}),
                        Command.create(
                            {
                                "partner_id": cls.aid_worker.partner_id.id,
                                "role": "professional",
                            }
                        ),
                        Command.create(
                            {"partner_id": cls.counsellor.id, "role": "professional"}
                        ),
                    ],
                }
            )
        )
        cls.participant = {p.partner_id: p for p in cls.case.participant_ids}
        cls.case.pivot_id = cls.participant[cls.aid_worker.partner_id]
        cls.case.action_activate()

    @classmethod
    def _user(cls, login, name, group="coordinator", company=None, **values):
        company = company or cls.company
        return new_test_user(
            cls.env,
            f"lco_test_{login}",
            groups=f"lco_module.group_lco_{group}",
            name=name,
            company_id=company.id,
            company_ids=company.ids,
            **values,
        )

    def create_meeting(self, days=7, **values):
        start = fields.Datetime.now().replace(microsecond=0) + timedelta(days=days)
        return (
            self.env["lco.meeting"]
            .with_user(self.coordinator)
            .create({"case_id": self.case.id, "start": start, **values})
        )

    def prepare(self, meeting):
        """Check the whole checklist and let the client propose a topic."""
        meeting.checklist_item_ids.is_done = True
        meeting.agenda_item_ids = [Command.create({"name": "Can we stay?"})]

    def hold(self, meeting, status="present"):
        meeting.attendee_ids.status = status
        meeting.action_hold()

    def mails_to(self, partner):
        """The e-mails to ``partner`` created inside ``mock_mail_gateway()``."""
        return self._new_mails.filtered(lambda mail: partner in mail.recipient_ids)
