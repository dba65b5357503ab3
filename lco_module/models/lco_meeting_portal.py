from odoo import api, fields, models

from .portal_rules import COORDINATOR, INTERNAL


class LcoMeeting(models.Model):
    _inherit = "lco.meeting"

    client_perspective = fields.Text(groups=INTERNAL)
    went_well = fields.Text(groups=INTERNAL)
    strengths = fields.Text(groups=INTERNAL)
    minutes = fields.Html(groups=INTERNAL)
    checklist_item_ids = fields.One2many(groups=INTERNAL)
    checklist_progress = fields.Float(groups=INTERNAL)
    paper_attendee_ids = fields.Many2many(groups=INTERNAL)
    calendar_event_id = fields.Many2one(groups=INTERNAL)
    # The agenda holds the topics the coordinator accepted: they alone go on the
    # invitation, the report and the portal. Topics proposed on the portal wait
    # apart, the client's first.
    agenda_item_ids = fields.One2many(domain=[("state", "=", "accepted")])
    agenda_proposal_ids = fields.One2many(
        "lco.agenda.item",
        "meeting_id",
        "Proposed Topics",
        domain=[("state", "=", "proposed")],
        help="Topics proposed on the portal, waiting to be accepted onto the agenda.",
    )
    agenda_proposal_count = fields.Integer(
        "Proposals", compute="_compute_agenda_proposal_count"
    )

    @api.depends("agenda_proposal_ids")
    def _compute_agenda_proposal_count(self):
        for meeting in self:
            meeting.agenda_proposal_count = len(meeting.agenda_proposal_ids)

    def _sync_calendar_event(self):
        if self.env.context.get("lco_agenda_proposal"):
            # A proposed topic is not on the agenda yet: the invitation stays.
            return
        return super()._sync_calendar_event()

    def _compute_preparation_issues(self):
        if self.env.user.share:
            # The preparation is for who runs the meeting.
            self.preparation_issues = False
            return
        super()._compute_preparation_issues()

    def _compute_double_booking(self):
        if self.env.user.share:
            # Other people's agendas are not for portal users.
            self.double_booking = False
            return
        super()._compute_double_booking()

    # The evaluation of held meetings (lco.meeting.evaluation) ---------------

    evaluation_ids = fields.One2many(
        "lco.meeting.evaluation",
        "meeting_id",
        "Evaluations by the Participants",
        groups=COORDINATOR,
    )
    evaluation_client_score = fields.Float(
        "Client's Evaluation",
        compute="_compute_evaluation_scores",
        store=True,
        aggregator="avg",
        groups=COORDINATOR,
        help="The average of the client's answers (1 = not at all, 5 = completely).",
    )
    evaluation_others_score = fields.Float(
        "Others' Evaluation",
        compute="_compute_evaluation_scores",
        store=True,
        aggregator="avg",
        groups=COORDINATOR,
        help="The average of the answers of everyone else who was there "
        "(1 = not at all, 5 = completely).",
    )
    evaluation_others_count = fields.Integer(
        "Others' Answers",
        compute="_compute_evaluation_scores",
        store=True,
        aggregator="sum",
        groups=COORDINATOR,
    )

    @api.depends(
        "evaluation_ids.state",
        "evaluation_ids.is_client",
        "evaluation_ids.score_average",
    )
    def _compute_evaluation_scores(self):
        # Stored fields compute as superuser: every answer counts.
        groups = self.env["lco.meeting.evaluation"]._read_group(
            [("meeting_id", "in", self._origin.ids), ("state", "=", "answered")],
            ["meeting_id", "is_client"],
            ["score_average:avg", "__count"],
        )
        scores = {
            (meeting.id, is_client): (average, count)
            for meeting, is_client, average, count in groups
        }
        for meeting in self:
            client = scores.get((meeting._origin.id, True), (0.0, 0))
            others = scores.get((meeting._origin.id, False), (0.0, 0))
            meeting.evaluation_client_score = client[0]
            meeting.evaluation_others_score = others[0]
            meeting.evaluation_others_count = others[1]

    def _lco_create_evaluations(self):
        """Ask everyone who was present at these held meetings, and whom the
        client's consent covers, how it went: one evaluation each, mailed to
        those with an e-mail address (the others find it on the portal).

        Called once the meetings are held (lco.meeting's write). Runs as
        superuser: nobody creates evaluations by hand (no group may), and the
        user who held the meeting could write it; only the people present
        at it are asked.
        """
        Evaluation = self.env["lco.meeting.evaluation"].sudo()
        asked = {
            (evaluation.meeting_id.id, evaluation.participant_id.id)
            for evaluation in Evaluation.search([("meeting_id", "in", self.ids)])
        }
        vals_list = []
        for meeting in self.sudo():
            present = meeting.attendee_ids.filtered(
                lambda a: (
                    a.status == "present"
                    and a.participant_id.active
                    and (a.partner_id.email or a.partner_id.user_ids)
                )
            )
            covered = meeting._covered(present)
            vals_list += [
                {
                    "meeting_id": meeting.id,
                    "participant_id": attendee.participant_id.id,
                    "partner_id": attendee.partner_id.id,
                    "is_client": attendee.participant_id.role == "client"
                    or attendee.partner_id == meeting.case_id.client_id,
                }
                for attendee in present
                if attendee.partner_id in covered
                and (meeting.id, attendee.participant_id.id) not in asked
            ]
        evaluations = Evaluation.create(vals_list)
        evaluations._lco_send_request()
        return evaluations
