from datetime import timedelta

from freezegun import freeze_time

from odoo import Command, fields

from odoo.addons.mail.tests.common import MockEmail

from .common import LcoCommon


class LcoMeetingCommon(LcoCommon, MockEmail):
    """The world of LcoCommon with what letters and invitations need: OCMW A
    has an address, Kim (the client of case_a1) a postal address and no
    e-mail, and Kim and Ann (the external aid worker) read Dutch. Olga is an
    aid worker of OCMW A outside case_a1."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("nl_BE")
        cls.env["ir.module.module"].search(
            [("name", "=", "lco_module")]
        )._update_translations(["nl_BE"])
        cls.company_a.write(
            {
                "street": "Markt 1",
                "zip": "3990",
                "city": "Adorp",
                "email": "lco@adorp.example",
                "phone": "+32 11 99 99 99",
                "country_id": cls.env.ref("base.be").id,
            }
        )
        cls.client_a1.write(
            {
                "street": "Heidestraat 14",
                "zip": "3990",
                "city": "Adorp",
                "lang": "nl_BE",
            }
        )
        cls.external_worker.lang = "nl_BE"
        cls.outsider = cls._new_user("outsider_a", "user", cls.company_a)

    def create_meeting(self, days=7, **values):
        start = fields.Datetime.now().replace(microsecond=0) + timedelta(days=days)
        return (
            self.env["lco.meeting"]
            .with_user(self.coordinator_a)
            .create({"case_id": self.case_a1.id, "start": start, **values})
        )

    def participant(self, partner):
        return self._participant(self.case_a1, partner)

    def prepare(self, meeting):
        """Check the whole checklist and let the client propose a topic."""
        meeting.checklist_item_ids.is_done = True
        meeting.agenda_item_ids = [Command.create({"name": "Can we stay?"})]

    def hold(self, meeting, status="present"):
        meeting.attendee_ids.status = status
        # A meeting is held once it has started.
        with freeze_time(meeting.start + timedelta(minutes=5)):
            meeting.action_hold()

    def mails_to(self, partner):
        """The e-mails to ``partner`` created inside ``mock_mail_gateway()``."""
        return self._new_mails.filtered(lambda mail: partner in mail.recipient_ids)
