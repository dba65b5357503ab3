"""The people of a case on the portal, and the meeting they evaluate: the
set-ups the portal's tests (lco_portal) and the base's tests of the same
records share. They need only Odoo's portal accounts, not lco_portal."""

from datetime import timedelta

from freezegun import freeze_time

from odoo import Command

from .common import LcoCommon


class LcoPortalCommon(LcoCommon):
    """LcoCommon with portal users, given access by the coordinators through
    Odoo's portal wizard: Kim (the client of case_a1), Rita (his aunt, network)
    and Ann (the external aid worker of case_a1, who also takes part in case_b1
    of OCMW B, with the work plan only and without acknowledging the
    shared-secrecy rules there)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.client_a1.email = "kim@example.com"
        cls.aunt_a1.email = "rita@example.com"
        cls.case_a1.coordinator_id.partner_id.phone = "+32 11 11 11 11"
        # Ann joins case_b1; a new consent there covers her, work plan only.
        cls.case_b1.participant_ids = [
            Command.create(
                {"partner_id": cls.external_worker.id, "role": "professional"}
            )
        ]
        cls.ann_b1 = cls._participant(cls.case_b1, cls.external_worker)
        cls._give_consent(cls.case_b1, {cls.external_worker: "work_plan"})
        cls.ann_b1.confidentiality_ack_date = False
        cls.case_b1.question = "Keep his job"

        cls.portal_client = cls._grant(cls.coordinator_a, cls.case_a1, cls.client_a1)
        cls.portal_aunt = cls._grant(cls.coordinator_a, cls.case_a1, cls.aunt_a1)
        cls.portal_external = cls._grant(
            cls.coordinator_a, cls.case_a1, cls.external_worker
        )
        cls.client_b1.email = "bart@example.com"
        cls.portal_client_b = cls._grant(cls.coordinator_b, cls.case_b1, cls.client_b1)
        # In OCMW B, Ann already uses the portal: the coordinator lets her in.
        cls.ann_b1.with_user(cls.coordinator_b).with_company(
            cls.company_b
        ).action_grant_portal_access()

        cls.meeting_a1.with_user(cls.coordinator_a).with_context(
            lco_schedule_confirmed=True
        ).action_schedule()
        cls.agreement_a1_aunt = cls.env["lco.agreement"].create(
            {
                "case_id": cls.case_a1.id,
                "meeting_id": cls.meeting_a1.id,
                "name": "Babysit on meeting days",
                "responsible_id": cls._participant(cls.case_a1, cls.aunt_a1).id,
                "deadline": cls.today - timedelta(days=2),
            }
        )
        cls.flush_tracking()

    @classmethod
    def _grant(cls, coordinator, case, partner):
        """The coordinator grants ``partner`` access through the portal wizard."""
        participant = cls._participant(case, partner).with_user(coordinator)
        action = participant.action_grant_portal_access()
        wizard = (
            cls.env["portal.wizard"].with_user(coordinator).browse(action["res_id"])
        )
        wizard.user_ids.action_grant_access()
        user = partner.user_ids
        # A password, as the user would choose when accepting the invitation.
        user.password = user.login
        return user

    def attendee(self, meeting, partner):
        return meeting.attendee_ids.filtered(lambda a: a.partner_id == partner)


MINUTES = "Kim spoke about her debts with the bank"


class LcoPortalProposalCommon(LcoPortalCommon):
    def propose(self, user, name, meeting=None, **extra):
        return (
            self.env["lco.agenda.item"]
            .with_user(user)
            .create(
                {"meeting_id": (meeting or self.meeting_a1).id, "name": name, **extra}
            )
        )

    @classmethod
    def _report_meeting(cls, meeting, coordinator):
        """Hold ``meeting`` with everyone present and send (mark) its report."""
        meeting = meeting.with_user(coordinator).with_company(meeting.company_id)
        meeting.attendee_ids.status = "present"
        with freeze_time(meeting.start + timedelta(minutes=5)):
            meeting.action_hold()
        meeting.minutes = f"<p>{MINUTES}</p>"
        meeting.action_report()

    @classmethod
    def _report_meeting_b1(cls):
        """Case b1's meeting, with Ann, held and its report sent."""
        cls.meeting_b1 = cls.case_b1.meeting_ids
        cls.meeting_b1.with_user(cls.coordinator_b).with_context(
            lco_schedule_confirmed=True
        ).action_schedule()
        if not cls.meeting_b1.attendee_ids.filtered(
            lambda a: a.partner_id == cls.external_worker
        ):
            cls.meeting_b1.attendee_ids = [
                Command.create({"participant_id": cls.ann_b1.id})
            ]
        cls._report_meeting(cls.meeting_b1, cls.coordinator_b)


SCORES = (
    "score_listened",
    "score_spoken_with",
    "score_view_valued",
    "score_supported",
    "score_understanding",
    "score_decided",
)


class LcoEvaluationCommon(LcoPortalCommon):
    """LcoPortalCommon with meeting_a1 held: Kim (the client), Rita, Ann and
    aid_worker_a were present, aid_worker2_a was absent. Olga is an aid worker
    of OCMW A outside case_a1."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.outsider = cls._new_user("outsider_a", "user", cls.company_a)
        meeting = cls.meeting_a1
        meeting.attendee_ids.status = "present"
        meeting.attendee_ids.filtered(
            lambda a: a.partner_id == cls.aid_worker2_a.partner_id
        ).status = "absent"
        with freeze_time(meeting.start + timedelta(minutes=5)):
            meeting.with_user(cls.coordinator_a).action_hold()
        cls.evaluations = cls.env["lco.meeting.evaluation"].search(
            [("meeting_id", "=", meeting.id)]
        )
        cls.eval_client = cls.evaluation_of(cls.client_a1)
        cls.eval_aunt = cls.evaluation_of(cls.aunt_a1)
        cls.eval_ann = cls.evaluation_of(cls.external_worker)
        cls.eval_aid_worker = cls.evaluation_of(cls.aid_worker_a.partner_id)
        cls.flush_tracking()

    @classmethod
    def evaluation_of(cls, partner):
        return cls.evaluations.filtered(lambda e: e.partner_id == partner)

    def mail_of(self, evaluation):
        """The mail asking ``evaluation``, found by its link."""
        return self.env["mail.mail"].search(
            [("body_html", "ilike", f"/lco/evaluation/{evaluation.id}?access_token=")]
        )

    @staticmethod
    def answer(evaluation, *scores, comment=False):
        """Answer as the evaluation form does."""
        evaluation._lco_answer(
            {**dict(zip(SCORES, scores, strict=True)), "comment": comment}
        )
