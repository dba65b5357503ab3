from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class LcoMeeting(models.Model):
    _name = "lco.meeting"
    _description = "Consultation Meeting"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "start desc, id desc"
    _rec_names_search = ["case_id.name", "case_id.client_id.name"]
    _check_company_auto = True

    case_id = fields.Many2one(
        "lco.case",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        tracking=True,
    )
    company_id = fields.Many2one(
        related="case_id.company_id", store=True, index=True, precompute=True
    )
    client_id = fields.Many2one(related="case_id.client_id")
    number = fields.Integer(
        "Number in Case", readonly=True, copy=False, aggregator=False
    )
    kind = fields.Selection(
        [("first", "First Meeting"), ("follow_up", "Follow-up Meeting")],
        compute="_compute_kind",
        store=True,
    )
    start = fields.Datetime(tracking=True, index=True)
    stop = fields.Datetime(
        "End", compute="_compute_stop", store=True, readonly=False, tracking=True
    )
    location = fields.Char(tracking=True)
    video_url = fields.Char("Video Link")
    calendar_event_id = fields.Many2one("calendar.event", copy=False, readonly=True)
    chair_id = fields.Many2one(
        "res.users",
        compute="_compute_chair_id",
        store=True,
        readonly=False,
        check_company=True,
    )
    state = fields.Selection(
        [
            ("draft", "In Preparation"),
            ("scheduled", "Scheduled"),
            ("held", "Held"),
            ("reported", "Reported"),
            ("cancelled", "Cancelled"),
        ],
        "Status",
        required=True,
        default="draft",
        index=True,
        copy=False,
        tracking=True,
    )
    attendee_ids = fields.One2many("lco.meeting.attendee", "meeting_id", "Attendance")
    agenda_item_ids = fields.One2many("lco.agenda.item", "meeting_id", "Agenda")
    agreement_ids = fields.One2many("lco.agreement", "meeting_id", "Agreements Made")
    evaluated_agreement_ids = fields.One2many(
        "lco.agreement", "evaluation_meeting_id", "Agreements Evaluated"
    )
    client_perspective = fields.Text(
        "Client's Story and Perspective",
        help="How the client sees his situation, in his own words.",
    )
    went_well = fields.Text("What Goes Well")
    strengths = fields.Text()
    minutes = fields.Html()

    @api.depends("case_id.name", "number")
    def _compute_display_name(self):
        for meeting in self:
            meeting.display_name = self.env._(
                "%(case)s - meeting %(number)s",
                case=meeting.case_id.name,
                number=meeting.number,
            )

    @api.depends("number")
    def _compute_kind(self):
        for meeting in self:
            meeting.kind = "first" if meeting.number <= 1 else "follow_up"

    @api.depends("start")
    def _compute_stop(self):
        for meeting in self:
            if meeting.start and (not meeting.stop or meeting.stop <= meeting.start):
                meeting.stop = meeting.start + timedelta(hours=2)

    @api.depends("case_id.coordinator_id")
    def _compute_chair_id(self):
        for meeting in self:
            meeting.chair_id = meeting.case_id.coordinator_id

    @api.constrains("start", "stop")
    def _check_dates(self):
        for meeting in self:
            if meeting.start and meeting.stop and meeting.stop < meeting.start:
                raise ValidationError(
                    self.env._("A meeting cannot end before it starts.")
                )

    @api.constrains("case_id")
    def _check_case_open(self):
        for meeting in self:
            if meeting.case_id.state in ("closed", "cancelled"):
                raise ValidationError(
                    self.env._(
                        "Case %s is no longer open: no new meetings can be added to it.",
                        meeting.case_id.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        next_numbers = {}
        for vals in vals_list:
            case_id = vals.get("case_id")
            if case_id not in next_numbers:
                next_numbers[case_id] = self._next_number(case_id)
            vals["number"] = next_numbers[case_id]
            next_numbers[case_id] += 1
        meetings = super().create(vals_list)
        meetings._invite_all_participants()
        return meetings

    def _next_number(self, case_id):
        last = self.with_context(active_test=False).search(
            [("case_id", "=", case_id)], order="number desc", limit=1
        )
        return last.number + 1

    def _invite_all_participants(self):
        """A new meeting invites the whole team unless attendees were given."""
        self.env["lco.meeting.attendee"].create(
            [
                {"meeting_id": meeting.id, "participant_id": participant.id}
                for meeting in self.filtered(lambda m: not m.attendee_ids)
                for participant in meeting.case_id.participant_ids
            ]
        )

    def _check_state(self, allowed, message):
        if any(meeting.state not in allowed for meeting in self):
            raise UserError(message)

    def action_schedule(self):
        self._check_state(
            ("draft",), self.env._("Only a meeting in preparation can be scheduled.")
        )
        if any(not meeting.start for meeting in self):
            raise UserError(
                self.env._("Set the date and time of the meeting before scheduling it.")
            )
        self.state = "scheduled"

    def action_hold(self):
        self._check_state(
            ("scheduled",), self.env._("Only a scheduled meeting can be held.")
        )
        self.state = "held"

    def action_report(self):
        self._check_state(("held",), self.env._("Only a held meeting can be reported."))
        self.state = "reported"

    def action_cancel(self):
        self._check_state(
            ("draft", "scheduled"),
            self.env._("Only a meeting that has not taken place yet can be cancelled."),
        )
        self.state = "cancelled"

    def action_reset_draft(self):
        self._check_state(
            ("cancelled",),
            self.env._("Only a cancelled meeting can be prepared again."),
        )
        self.state = "draft"
