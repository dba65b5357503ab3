from datetime import timedelta

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_datetime
from odoo.tools.sql import create_index

from ..tools.constants import (
    COORDINATOR_GROUP,
    DEFAULT_TZ,
    INTERNAL,
    MANAGER_GROUP,
)

# Where the meeting is told to the calendar event that mirrors it.
CALENDAR_FIELDS = {"start", "stop", "location", "video_url", "chair_id"}
# What is the case's is changed on the case. (The number, kind and calendar
# event are the addon's: see _lco_action_fields.)
PROTECTED_FIELDS = {"company_id", "client_id"}
# What may still be written on a reported meeting: the record itself is locked.
REPORTED_WRITABLE_FIELDS = {"message_main_attachment_id", "activity_ids"}


class LcoMeeting(models.Model):
    _name = "lco.meeting"
    _description = "Consultation Meeting"
    # What the access log records a read of (lco.access.logged).
    _lco_logged_fields = ("client_perspective", "went_well", "strengths", "minutes")
    _inherit = [
        # First: the move of the state is checked before anything else.
        "lco.state.flow",
        "lco.checked.input",
        "lco.action.fields",
        "lco.case.thread",
        "mail.activity.mixin",
        "lco.access.logged",
    ]
    # The moves of its state (lco.state.flow): its buttons, and any other
    # write, go only these ways, also as superuser. Back from reported only by
    # reopening it with a reason (see _reopen).
    _lco_transitions = {
        "draft": ("scheduled", "cancelled"),
        "scheduled": ("held", "cancelled"),
        "held": ("reported",),
        "reported": ("held",),
        "cancelled": ("draft",),
    }
    _lco_transitions_superuser = True
    # Set by the addon, never written by a user: the number and kind follow
    # the order of the meetings in their case, the calendar event is the
    # meeting's own mirror.
    _lco_action_fields = ("number", "kind", "calendar_event_id")
    _order = "start desc, id desc"
    _rec_names_search = ["case_id.name", "case_id.client_id.name"]
    _check_company_auto = True
    # Whoever reads the meeting (its participants) may post in its chatter.
    _mail_post_access = "read"

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
    calendar_event_id = fields.Many2one(
        "calendar.event",
        copy=False,
        readonly=True,
        index="btree_not_null",
        groups=INTERNAL,
    )
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
    checklist_item_ids = fields.One2many(
        "lco.meeting.checklist.item",
        "meeting_id",
        "Preparation Checklist",
        groups=INTERNAL,
    )
    checklist_progress = fields.Float(
        "Preparation",
        groups=INTERNAL,
        compute="_compute_checklist_progress",
        store=True,
        aggregator="avg",
        help="Share of the preparation checklist that has been checked.",
    )
    preparation_issues = fields.Text(compute="_compute_preparation_issues")
    unpostable_letters = fields.Text(
        "Letters That Cannot Be Posted",
        compute="_compute_unpostable_letters",
        groups="lco_module.group_lco_coordinator",
    )
    double_booking = fields.Text(
        compute="_compute_double_booking",
        help="Other meetings or calendar events of the chair or the pivot figure "
        "at the same time.",
    )
    attendee_ids = fields.One2many("lco.meeting.attendee", "meeting_id", "Attendance")
    # The agenda holds the topics the coordinator accepted: they alone go on the
    # invitation, the report and the portal. Topics proposed on the portal wait
    # apart, the client's first.
    agenda_item_ids = fields.One2many(
        "lco.agenda.item", "meeting_id", "Agenda", domain=[("state", "=", "accepted")]
    )
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
    agreement_ids = fields.One2many("lco.agreement", "meeting_id", "Agreements Made")
    evaluated_agreement_ids = fields.One2many(
        "lco.agreement", "evaluation_meeting_id", "Agreements Evaluated"
    )
    client_perspective = fields.Text(
        "Client's Story and Perspective",
        help="How the client sees his situation, in his own words.",
        groups=INTERNAL,
    )
    went_well = fields.Text("What Goes Well", groups=INTERNAL)
    strengths = fields.Text(groups=INTERNAL)
    minutes = fields.Html(groups=INTERNAL)
    next_meeting_id = fields.Many2one("lco.meeting", compute="_compute_next_meeting_id")
    paper_attendee_ids = fields.Many2many(
        "lco.meeting.attendee",
        string="Needs a Printed Copy",
        compute="_compute_paper_attendee_ids",
        help="Participants without an e-mail address: they get the report on paper.",
        groups=INTERNAL,
    )
    # The evaluation of held meetings (lco.meeting.evaluation).
    evaluation_ids = fields.One2many(
        "lco.meeting.evaluation",
        "meeting_id",
        "Evaluations by the Participants",
        groups=COORDINATOR_GROUP,
    )
    evaluation_client_score = fields.Float(
        "Client's Evaluation",
        compute="_compute_evaluation_scores",
        store=True,
        aggregator="avg",
        groups=COORDINATOR_GROUP,
        help="The average of the client's answers (1 = not at all, 5 = completely).",
    )
    evaluation_others_score = fields.Float(
        "Others' Evaluation",
        compute="_compute_evaluation_scores",
        store=True,
        aggregator="avg",
        groups=COORDINATOR_GROUP,
        help="The average of the answers of everyone else who was there "
        "(1 = not at all, 5 = completely).",
    )
    evaluation_others_count = fields.Integer(
        "Others' Answers",
        compute="_compute_evaluation_scores",
        store=True,
        aggregator="sum",
        groups=COORDINATOR_GROUP,
    )
    has_network_present = fields.Boolean(
        "Network Present",
        compute="_compute_has_network_present",
        store=True,
        help="At least one person of the client's own network was present.",
    )
    # The same as a number, averaged in the figures: the share of meetings.
    network_present_share = fields.Integer(
        "Share with Network Present (%)",
        compute="_compute_has_network_present",
        store=True,
        aggregator="avg",
    )

    _sql_constraints = [
        (
            "case_number_uniq",
            "unique(case_id, number)",
            "Each meeting of a case has its own number.",
        ),
    ]

    def init(self):
        # The meeting figures (month x kind, kind x state) read this index
        # only, per organisation, not the meetings' rows.
        create_index(
            self.env.cr,
            "lco_meeting_company_figures_index",
            self._table,
            ["company_id", "kind", "state", "start"],
        )

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

    @api.depends("checklist_item_ids.is_done")
    def _compute_checklist_progress(self):
        for meeting in self:
            items = meeting.checklist_item_ids
            done = len(items.filtered("is_done"))
            meeting.checklist_progress = 100.0 * done / len(items) if items else 100.0

    @api.depends(
        "case_id.has_consent",
        "case_id.pivot_id",
        "checklist_item_ids.is_done",
        "agenda_item_ids.proposed_by_id",
    )
    def _compute_preparation_issues(self):
        if self.env.user.share:
            # The preparation is for who runs the meeting.
            self.preparation_issues = False
            return
        for meeting in self:
            meeting.preparation_issues = "\n".join(meeting._get_preparation_issues())

    @api.depends(
        "state",
        "attendee_ids.status",
        "attendee_ids.partner_id.street",
        "attendee_ids.partner_id.city",
    )
    def _compute_unpostable_letters(self):
        """Before the invitations are printed: whose letter has no street or
        city to be posted to (e.g. a client from the public form)."""
        for meeting in self:
            invited = meeting.attendee_ids.filtered(
                lambda a: a.participant_id.active and a.status != "excused"
            )
            names = invited.partner_id.filtered(
                lambda p: not (p.street and p.city)
            ).mapped("name")
            meeting.unpostable_letters = (
                self.env._(
                    "No street or city for %s: the invitation letter cannot be "
                    "posted. Complete the address first, or hand the letter over.",
                    ", ".join(names),
                )
                if names and meeting.state in ("draft", "scheduled")
                else False
            )

    @api.depends("start", "stop", "chair_id", "case_id.pivot_id", "state")
    def _compute_double_booking(self):
        if self.env.user.share:
            # Other people's agendas are not for portal users.
            self.double_booking = False
            return
        for meeting in self:
            meeting.double_booking = "\n".join(meeting._get_double_bookings())

    def _get_double_bookings(self):
        """Who of the chair and the pivot figure is expected elsewhere at the
        time of this meeting: a warning, never a block."""
        self.ensure_one()
        if self.state not in ("draft", "scheduled") or not self.start:
            return []
        stop = self.stop or self.start + timedelta(hours=2)
        people = self.chair_id.partner_id | self.case_id.pivot_id.partner_id
        warnings = []
        for partner in people:
            # sudo: only whether the person is busy, never what the other
            # meeting or event is about, is shown.
            domain = [
                ("partner_ids", "in", partner.id),
                ("start", "<", stop),
                ("stop", ">", self.start),
            ]
            if self._origin.id:
                domain.append(("lco_meeting_id", "!=", self._origin.id))
            events = self.env["calendar.event"].sudo().search_count(domain)
            meetings = self.sudo().search_count(
                [
                    ("id", "!=", self._origin.id or False),
                    ("state", "=", "draft"),
                    ("start", "<", stop),
                    ("stop", ">", self.start),
                    "|",
                    ("chair_id.partner_id", "=", partner.id),
                    ("case_id.pivot_id.partner_id", "=", partner.id),
                ]
            )
            if events or meetings:
                warnings.append(
                    self.env._(
                        "%s has another meeting or appointment at this time.",
                        partner.name,
                    )
                )
        return warnings

    @api.depends("agenda_proposal_ids")
    def _compute_agenda_proposal_count(self):
        for meeting in self:
            meeting.agenda_proposal_count = len(meeting.agenda_proposal_ids)

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

    @api.depends("number", "case_id.meeting_ids.number", "case_id.meeting_ids.state")
    def _compute_next_meeting_id(self):
        for meeting in self:
            meeting.next_meeting_id = meeting.case_id.meeting_ids.filtered(
                lambda m, meeting=meeting: (
                    m.number > meeting.number and m.state != "cancelled"
                )
            ).sorted("number")[:1]

    @api.depends(
        "attendee_ids.partner_id.email",
        "attendee_ids.participant_id.active",
        "case_id.consent_id",
    )
    def _compute_paper_attendee_ids(self):
        for meeting in self:
            on_paper = meeting.attendee_ids.filtered(
                lambda a: a.participant_id.active and not a.partner_id.email
            )
            covered = meeting._covered(on_paper)
            meeting.paper_attendee_ids = on_paper.filtered(
                lambda a, covered=covered: a.partner_id in covered
            )

    @api.constrains("start", "stop")
    def _check_dates(self):
        for meeting in self:
            if meeting.start and meeting.stop and meeting.stop < meeting.start:
                raise ValidationError(
                    self.env._("A meeting cannot end before it starts.")
                )

    @api.constrains("start", "state")
    def _check_start(self):
        for meeting in self:
            if meeting.state in ("scheduled", "held", "reported") and not meeting.start:
                raise ValidationError(
                    self.env._(
                        "%s is scheduled or took place: it keeps its date and time.",
                        meeting.display_name,
                    )
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
        # Data files (the demo) load meetings as they stand; a user starts a
        # meeting in preparation, and the addon numbers it.
        if not self.env.su:
            for vals in vals_list:
                self._lco_check_action_fields(vals)
                self._check_protected_fields(vals)
                if vals.get("state", "draft") != "draft":
                    raise UserError(
                        self.env._(
                            "A new meeting starts in preparation: schedule it with "
                            "its Schedule button once it is prepared."
                        )
                    )
        next_numbers = self._next_numbers(
            {vals["case_id"] for vals in vals_list if vals.get("case_id")}
        )
        for vals in vals_list:
            case_id = vals.get("case_id")
            if case_id:
                vals["number"] = next_numbers[case_id]
                next_numbers[case_id] += 1
        # The numbers are the addon's: the user gave none (checked above),
        # nor through the context's defaults.
        records = self if self.env.su else self._lco_without_action_defaults()
        with self._lco_action():
            meetings = super(LcoMeeting, records).create(vals_list)
        meetings._invite_all_participants()
        meetings._create_checklist()
        meetings._carry_over_open_agreements()
        meetings._sync_calendar_event()
        # The people around the table follow a coming meeting as the case.
        meetings.case_id._lco_sync_followers()
        return meetings

    def write(self, vals):
        if not self.env.su:
            self.case_id._check_not_closed()
            self._check_protected_fields(vals)
            # Reopening (state held, see _reopen) is the one way out.
            allowed = REPORTED_WRITABLE_FIELDS | (
                {"state"} if vals.get("state") == "held" else set()
            )
            if set(vals) - allowed:
                self._check_not_reported()
        if "case_id" in vals and any(m.case_id.id != vals["case_id"] for m in self):
            raise UserError(
                self.env._(
                    "A meeting stays in its case, with that case's participants: "
                    "cancel it and plan a new meeting in the other case."
                )
            )
        moved = self.browse()
        if "state" in vals:
            # Checked by lco.state.flow (_lco_check_state_write) in super.
            moved = self.filtered(lambda m: m.state != vals["state"])
        reopened = moved.filtered(lambda m: m.state == "reported")
        res = super().write(vals)
        for meeting in reopened:
            meeting.message_post(
                body=Markup("<p>%s</p>")
                % self.env._(
                    "Meeting reopened to correct the report. Reason: %s",
                    self.env.context.get("lco_reopen_reason"),
                ),
                subtype_xmlid="mail.mt_note",
            )
        if vals.get("state") == "scheduled":
            moved._carry_over_open_agreements()
        if vals.get("state") == "held":
            # Who was there evaluates the meeting.
            self.env["lco.meeting.evaluation"]._lco_create_for(moved - reopened)
        if vals.get("state") == "cancelled":
            moved._cancel_calendar_event()
        elif CALENDAR_FIELDS & set(vals) or vals.get("state") == "scheduled":
            self._sync_calendar_event()
        if {"start", "stop"} & set(vals) and not self.env.su:
            # Moved (also by a drag in the calendar, where the form's warning
            # is not shown): the double booking said in the chatter and to
            # the user, never refused.
            self._warn_double_booking()
        return res

    def _warn_double_booking(self):
        for meeting in self:
            warnings = meeting._get_double_bookings()
            if not warnings:
                continue
            text = self.env._("Double booking? %s", " ".join(warnings))
            meeting.message_post(body=text, subtype_xmlid="mail.mt_note")
            self.env.user._bus_send(
                "simple_notification",
                {"type": "warning", "message": text, "sticky": True},
            )

    def _check_not_reported(self):
        """A reported meeting is a record, like a posted invoice: it changes
        only after its coordinator reopened it, with a reason."""
        reported = self.filtered(lambda m: m.state == "reported")
        if reported:
            raise UserError(
                self.env._(
                    "The report of %s was sent: the meeting is locked. To correct "
                    "it, the coordinator reopens it (Reopen button) and gives the "
                    "reason, then sends the corrected report again.",
                    reported[0].display_name,
                )
            )

    def _check_may_reopen(self):
        if self.env.su or self.env.user.has_group(MANAGER_GROUP):
            return
        if any(m.case_id.coordinator_id != self.env.user for m in self):
            raise AccessError(
                self.env._(
                    "Only the coordinator of the case or a manager can reopen a "
                    "reported meeting."
                )
            )

    def _reopen(self, reason):
        """Back to held, to correct the report and send it again; the reason
        stays in the chatter."""
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Give the reason for reopening the meeting."))
        self._check_state(
            ("reported",), self.env._("Only a reported meeting can be reopened.")
        )
        self._check_may_reopen()
        self.with_context(lco_reopen_reason=reason).write({"state": "held"})
        return True

    @api.ondelete(at_uninstall=False)
    def _unlink_except_closed_case(self):
        self.case_id._check_not_closed()

    @api.ondelete(at_uninstall=False)
    def _unlink_except_held(self):
        if any(meeting.state in ("held", "reported") for meeting in self):
            raise UserError(
                self.env._(
                    "A meeting that took place is part of the case's record: it "
                    "cannot be deleted."
                )
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_withdraw_invitations(self):
        """A deleted meeting leaves nobody's calendar without a word."""
        self.filtered(lambda m: m.state == "scheduled")._cancel_calendar_event()

    def _check_protected_fields(self, vals):
        protected = PROTECTED_FIELDS & set(vals)
        if protected:
            raise UserError(
                self.env._(
                    "%(fields)s of a meeting cannot be changed: the number follows "
                    "the order of the meetings in the case, the calendar event "
                    "follows the meeting, and the client and organisation are "
                    "those of the case.",
                    fields=", ".join(
                        self._fields[name]._description_string(self.env)
                        for name in sorted(protected)
                    ),
                )
            )

    def _next_numbers(self, case_ids):
        """The next free meeting number of each case, safe from concurrent
        requests.

        Odoo runs its transactions in REPEATABLE READ: a request that numbers a
        meeting while another one does the same on the same case would not see
        the other's meeting. Updating the case row serializes them: the second
        request waits for the first, then fails with a serialization error
        and Odoo retries it, now seeing the first meeting. The unique
        constraint on (case_id, number) guards the rest.
        """
        if not case_ids:
            return {}
        cases = tuple(sorted(case_ids))
        self.env.cr.execute(
            "UPDATE lco_case SET write_date = write_date WHERE id IN %s", [cases]
        )
        self.flush_model(["case_id", "number"])
        # SQL: the numbers of meetings the user may not read are taken as well.
        self.env.cr.execute(
            """SELECT case_id, MAX(number) FROM lco_meeting
               WHERE case_id IN %s GROUP BY case_id""",
            [cases],
        )
        last = dict(self.env.cr.fetchall())
        return {case_id: (last.get(case_id) or 0) + 1 for case_id in cases}

    def _invite_all_participants(self):
        """A new meeting invites the whole team unless attendees were given."""
        self.env["lco.meeting.attendee"].create(
            [
                {"meeting_id": meeting.id, "participant_id": participant.id}
                for meeting in self.filtered(lambda m: not m.attendee_ids)
                for participant in meeting.case_id.participant_ids
            ]
        )

    def _create_checklist(self):
        """Every meeting is prepared along the checklist of its organisation."""
        questions = self.env["lco.checklist.question"]
        per_company = {
            company: questions._for_company(company) for company in self.company_id
        }
        self.env["lco.meeting.checklist.item"].create(
            [
                {
                    "meeting_id": meeting.id,
                    "question_id": question.id,
                    "sequence": question.sequence,
                }
                for meeting in self
                for question in per_company[meeting.company_id]
            ]
        )

    def _carry_over_open_agreements(self):
        """Agreements still open after earlier meetings come back for evaluation.

        Only what was agreed in a meeting that took place (or outside any
        meeting) counts. An agreement moves on once the meeting that evaluated
        it is over; it is never taken from a meeting still to take place.
        """
        upcoming = self.filtered(lambda m: m.state in ("draft", "scheduled"))
        if not upcoming:
            return
        open_agreements = self.env["lco.agreement"].search(
            [
                ("case_id", "in", upcoming.case_id.ids),
                ("state", "=", "open"),
                "|",
                ("meeting_id", "=", False),
                ("meeting_id.state", "in", ("held", "reported")),
                "|",
                ("evaluation_meeting_id", "=", False),
                (
                    "evaluation_meeting_id.state",
                    "in",
                    ("held", "reported", "cancelled"),
                ),
            ]
        )
        # The first of several upcoming meetings of a case evaluates them.
        for meeting in upcoming.sorted("number", reverse=True):
            open_agreements.filtered(
                lambda a, meeting=meeting: (
                    a.case_id == meeting.case_id
                    and a.meeting_id.number < meeting.number
                )
            ).evaluation_meeting_id = meeting

    def _get_preparation_issues(self):
        """What is still missing before the meeting can be held well."""
        self.ensure_one()
        issues = []
        if not self.case_id.has_consent:
            issues.append(
                self.env._("The client's consent is not recorded, or it was revoked.")
            )
        if not self.case_id.pivot_id:
            issues.append(
                self.env._(
                    "There is no pivot figure to support the client before, during "
                    "and after the meeting."
                )
            )
        issues += [
            self.env._("Not checked yet: %s", item.question_id.name)
            for item in self.checklist_item_ids
            # What the case answers is said above, once.
            if not item.is_done and not item.case_check
        ]
        if not any(
            item.proposed_by_id.role == "client" for item in self.agenda_item_ids
        ):
            issues.append(
                self.env._("The client has not put any topic on the agenda yet.")
            )
        return issues

    def _get_report_tz(self):
        """The time zone in which the meeting's hours are printed."""
        self.ensure_one()
        return self.chair_id.tz or self.env.user.tz or DEFAULT_TZ

    def _lco_work_plan_mail(self):
        """(body, subject) of the mail that sends the work plan alone, to whom
        the client's consent gives no more: it says work plan, not report (the
        template's text is about the full report)."""
        self.ensure_one()
        when = format_datetime(
            self.env,
            self.start,
            tz=self._get_report_tz(),
            dt_format="EEEE d MMMM y",
            lang_code=self.env.lang,
        )
        client = self.client_id.name or ""
        paragraphs = [
            self.env._("Dear participants of this consultation,"),
            self.env._(
                "Attached is the work plan of the client consultation of %(date)s "
                "with %(client)s: who does what by when. The client's consent gives "
                "you the work plan, not the full report.",
                date=when,
                client=client,
            ),
            self.env._(
                "The work plan is confidential: it falls under shared professional "
                "secrecy. Please do not pass it on to anyone outside this "
                "consultation."
            ),
        ]
        body = Markup("").join(Markup("<p>%s</p>") % text for text in paragraphs)
        body += Markup("<p>%s<br/>%s<br/>%s</p>") % (
            self.env._("With kind regards,"),
            self.chair_id.name or "",
            self.company_id.name or "",
        )
        subject = self.env._(
            "Work plan of the client consultation of %(date)s (%(client)s)",
            date=format_datetime(
                self.env,
                self.start,
                tz=self._get_report_tz(),
                dt_format="d MMMM y",
                lang_code=self.env.lang,
            ),
            client=client,
        )
        return body, subject

    def _get_report_recipients(self):
        """The partners (as ``partner_to`` of a mail template) who get the report
        by e-mail: everyone invited to this meeting who has an address."""
        self.ensure_one()
        attendees = self.attendee_ids.filtered(
            lambda a: a.participant_id.active and a.partner_id.email
        )
        return ",".join(str(partner.id) for partner in self._covered(attendees))

    def _covered(self, attendees):
        """The people among ``attendees`` the client's consent lets us invite
        and inform."""
        self.ensure_one()
        scopes = self.case_id._report_scopes(attendees.partner_id)
        return attendees.partner_id.filtered(lambda p: scopes[p])

    # Calendar -------------------------------------------------------------

    def _calendar_event_values(self):
        self.ensure_one()
        # Worded in the language of the chair, who organises the event.
        meeting = self.with_context(lang=self.chair_id.lang or self.env.lang)
        # Who left the case, or whom the consent does not cover, is not invited.
        invited = self._covered(self.attendee_ids.filtered("participant_id.active"))
        return {
            "name": meeting.env._("Client consultation: %s", self.client_id.name),
            "start": self.start,
            "stop": self.stop,
            "location": self.location or False,
            "videocall_location": self.video_url or False,
            "description": meeting._calendar_event_description(),
            "user_id": self.chair_id.id,
            "partner_ids": invited | self.chair_id.partner_id,
        }

    def _calendar_event_description(self):
        self.ensure_one()
        description = Markup("<p>%s</p>") % self.env._(
            "Local client consultation, case %(case)s, chaired by %(chair)s.",
            case=self.case_id.name,
            chair=self.chair_id.name,
        )
        # The event is one for all its invitees: the topics everyone may read.
        agenda = self.case_id._lco_shown(self.agenda_item_ids, "work_plan").sorted(
            lambda item: (item.sequence, item.id)
        )
        if agenda:
            description += Markup("<p><strong>%s</strong></p><ol>%s</ol>") % (
                self.env._("Agenda"),
                Markup().join(Markup("<li>%s</li>") % item.name for item in agenda),
            )
        return description

    def _sync_calendar_event(self):
        """Mirror each scheduled meeting in Odoo's calendar.

        The attendees' contacts become the event's attendees, so Odoo sends them
        its invitation with an .ics file, and a new date or time with its own
        mail. Only what changed is written, so nobody is mailed for nothing.
        """
        if self.env.context.get("lco_agenda_proposal"):
            # A proposed topic is not on the agenda yet: the invitation stays.
            return
        # sudo: the event belongs to the meeting, which the user may edit (he
        # changed it, which called this). Nobody changes a meeting's event but
        # the meeting (calendar.event refuses other changes), and the privacy
        # rule (only organiser and attendees edit a private event) would stop a
        # manager from moving a meeting another coordinator chairs.
        # No follower either (see calendar.attendee's _subscribe_partner).
        events = (
            self.env["calendar.event"].sudo().with_context(mail_create_nosubscribe=True)
        )
        for meeting in self.filtered(lambda m: m.state == "scheduled"):
            values = meeting._calendar_event_values()
            event = meeting.calendar_event_id.sudo()
            if not event:
                # sudo: calendar_event_id is not written by users (see write).
                meeting.sudo().calendar_event_id = events.create(
                    {
                        **values,
                        "partner_ids": [Command.set(values["partner_ids"].ids)],
                        "privacy": "private",
                        "res_model_id": self.env["ir.model"]._get_id(self._name),
                        "res_id": meeting.id,
                        "lco_meeting_id": meeting.id,
                    }
                )
                continue
            changes = {
                name: value
                for name, value in values.items()
                if name not in ("partner_ids", "user_id", "description")
                and event[name] != value
            }
            if event.user_id.id != values["user_id"]:
                changes["user_id"] = values["user_id"]
            if str(event.description or "") != str(values["description"]):
                changes["description"] = values["description"]
            if event.partner_ids != values["partner_ids"]:
                changes["partner_ids"] = [Command.set(values["partner_ids"].ids)]
            if changes:
                event.write(changes)

    def _cancel_calendar_event(self):
        """Tell the invitees the meeting is off and take it out of the calendar."""
        template = self.env.ref("lco_module.mail_template_lco_meeting_cancelled")
        upcoming = self.filtered(
            lambda m: m.calendar_event_id and m.start > fields.Datetime.now()
        )
        invitees = upcoming.attendee_ids.filtered(
            lambda a: a.partner_id.email and a.partner_id != self.env.user.partner_id
        )
        if invitees:
            template.send_mail_batch(
                invitees.ids, email_layout_xmlid="mail.mail_notification_light"
            )
        notified = upcoming.filtered(lambda m: m.attendee_ids & invitees)
        notified._message_log_batch(
            {
                meeting.id: self.env._(
                    "Cancellation sent to %s.",
                    ", ".join(
                        (meeting.attendee_ids & invitees).partner_id.mapped("name")
                    ),
                )
                for meeting in notified
            }
        )
        # sudo: see _sync_calendar_event.
        self.calendar_event_id.sudo().unlink()

    # Report ---------------------------------------------------------------

    def _log_report_sent(self, message):
        """The report went out in ``message``, posted on this meeting: the
        meeting is reported, and the case keeps a copy of what was sent
        together with who still needs one on paper.

        Called by the composer of the report (mail.compose.message) with the
        message it posted, never on the word of the caller.
        """
        self.ensure_one()
        self.check_access("write")
        if (message.model, message.res_id) != (self._name, self.id):
            return
        if self.state == "held":
            self.action_report()
        # Only what the message carries on this very meeting goes to the case.
        attachments = message.attachment_ids.filtered(
            lambda a: (a.res_model, a.res_id) == (self._name, self.id)
        ).copy({"res_model": "lco.case", "res_id": self.case_id.id})
        body = Markup("<p>%s</p>") % self.env._(
            "Report of %(meeting)s sent to %(recipients)s.",
            meeting=self._get_html_link(),
            recipients=", ".join(message.partner_ids.mapped("name"))
            or self.env._("nobody by e-mail"),
        )
        if self.paper_attendee_ids:
            body += Markup("<p>%s</p>") % self.env._(
                "Print and post a copy for %s.",
                ", ".join(self.paper_attendee_ids.partner_id.mapped("name")),
            )
        self.case_id.message_post(
            body=body, attachment_ids=attachments.ids, subtype_xmlid="mail.mt_note"
        )

    # States ---------------------------------------------------------------

    def _check_state(self, allowed, message):
        if any(meeting.state not in allowed for meeting in self):
            raise UserError(message)

    def _lco_transition_hint(self, state):
        return {
            "scheduled": self.env._("Only a meeting in preparation can be scheduled."),
            "held": self.env._("Only a scheduled meeting can be held."),
            "reported": self.env._("Only a held meeting can be reported."),
            "cancelled": self.env._(
                "Only a meeting that has not taken place yet can be cancelled."
            ),
            "draft": self.env._("Only a cancelled meeting can be prepared again."),
        }.get(state, "")

    def _lco_check_state_write(self, state, vals):
        self.filtered(lambda m: m.state != state)._check_state_needs(state)

    def _check_state_transition(self, state):
        """Whether the meetings may move to ``state`` now (their buttons ask)."""
        self._lco_check_transition(state)
        self._check_state_needs(state)

    def _check_state_needs(self, state):
        """What the new ``state`` needs of the meetings that move to it."""
        if state == "scheduled":
            self._check_can_be_scheduled()
        elif state == "held":
            reopened = self.filtered(lambda m: m.state == "reported")
            if reopened:
                # Only through _reopen, which gives and logs the reason.
                if not self.env.context.get("lco_reopen_reason"):
                    raise UserError(
                        self.env._(
                            "A reported meeting is reopened with its Reopen button, "
                            "giving the reason."
                        )
                    )
                reopened._check_may_reopen()
            self._check_attendance_recorded()
            (self - reopened)._check_started()

    def _check_can_be_scheduled(self):
        for meeting in self:
            if meeting.case_id.state in ("closed", "cancelled"):
                raise UserError(
                    self.env._(
                        "Case %s is no longer open: its meetings can no longer be "
                        "scheduled.",
                        meeting.case_id.name,
                    )
                )
            if not meeting.start:
                raise UserError(
                    self.env._(
                        "Set the date and time of the meeting before scheduling it."
                    )
                )
        unconsented = self.filtered(
            lambda m: (
                not m.case_id.has_consent and not m.company_id.lco_consent_warn_only
            )
        )
        if unconsented:
            raise UserError(
                self.env._(
                    "%s cannot be scheduled without the client's consent: record "
                    "the consent he gave in the case first.",
                    unconsented[0].display_name,
                )
            )
        blocked = self.filtered(
            lambda m: (
                m.company_id.lco_block_unprepared_meetings and m.preparation_issues
            )
        )
        if blocked:
            raise UserError(
                self.env._(
                    "%(meeting)s cannot be scheduled yet:\n%(issues)s",
                    meeting=blocked[0].display_name,
                    issues=blocked[0].preparation_issues,
                )
            )

    def _check_started(self):
        now = fields.Datetime.now()
        for meeting in self:
            if meeting.start and meeting.start > now:
                raise UserError(
                    self.env._(
                        "%s has not started yet: mark it as held once it has begun.",
                        meeting.display_name,
                    )
                )

    def _check_attendance_recorded(self):
        for meeting in self:
            unknown = meeting.attendee_ids.filtered(
                lambda a: a.status in ("invited", "confirmed")
            )
            if unknown:
                raise UserError(
                    self.env._(
                        "Record who was present, excused or absent first. Not yet "
                        "recorded: %s.",
                        ", ".join(unknown.partner_id.mapped("name")),
                    )
                )

    # Actions --------------------------------------------------------------

    def action_schedule(self):
        self._check_state_transition("scheduled")
        if self.filtered("preparation_issues") and not self.env.context.get(
            "lco_schedule_confirmed"
        ):
            return {
                "type": "ir.actions.act_window",
                "name": self.env._("Schedule Anyway?"),
                "res_model": "lco.meeting.schedule",
                "view_mode": "form",
                "target": "new",
                "context": {"default_meeting_ids": self.ids},
            }
        self.state = "scheduled"
        return True

    def action_hold(self):
        self._check_state_transition("held")
        self.state = "held"
        return True

    def action_report(self):
        self._check_state_transition("reported")
        self.state = "reported"
        return True

    def action_cancel(self):
        self._check_state_transition("cancelled")
        self.state = "cancelled"
        return True

    def action_reset_draft(self):
        self._check_state_transition("draft")
        self.state = "draft"
        return True

    def action_open_reopen_wizard(self):
        self._check_state(
            ("reported",), self.env._("Only a reported meeting can be reopened.")
        )
        self._check_may_reopen()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reopen Meeting"),
            "res_model": "lco.meeting.reopen",
            "view_mode": "form",
            "target": "new",
            "context": {"default_meeting_ids": self.ids},
        }

    def action_load_open_agreements(self):
        self._check_state(
            ("draft", "scheduled"),
            self.env._("Open agreements are evaluated in a meeting still to come."),
        )
        self._carry_over_open_agreements()
        return True

    def action_send_report(self):
        self.ensure_one()
        self._check_state(
            ("held", "reported"),
            self.env._("The report is sent once the meeting has been held."),
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Send Report"),
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_model": self._name,
                "default_res_ids": self.ids,
                "default_template_id": self.env.ref(
                    "lco_module.mail_template_lco_meeting_report"
                ).id,
                "default_composition_mode": "comment",
                "default_email_layout_xmlid": "mail.mail_notification_light",
                "force_email": True,
                "mail_post_autofollow": False,
            },
        }

    def action_plan_follow_up(self):
        self.ensure_one()
        self._check_state(
            ("held", "reported"),
            self.env._("A follow-up meeting is planned once this one has been held."),
        )
        follow_up = self.next_meeting_id or self.create(
            {
                "case_id": self.case_id.id,
                "chair_id": self.chair_id.id,
                "location": self.location,
                "video_url": self.video_url,
                "attendee_ids": [
                    Command.create(
                        {
                            "participant_id": attendee.participant_id.id,
                            "practical_needs": attendee.practical_needs,
                        }
                    )
                    for attendee in self.attendee_ids
                    if attendee.participant_id.active
                ],
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": follow_up.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def action_print_invitations(self):
        attendees = self.env["lco.meeting.attendee"]
        for meeting in self:
            invited = meeting.attendee_ids.filtered(
                lambda a: a.participant_id.active and a.status != "excused"
            )
            covered = meeting._covered(invited)
            attendees |= invited.filtered(lambda a, c=covered: a.partner_id in c)
        if not attendees:
            raise UserError(self.env._("Nobody is invited to this meeting yet."))
        # data={}: the printed letters need no options, and XML-RPC cannot
        # send the None that report_action puts by default.
        return self.env.ref("lco_module.action_report_lco_invitation").report_action(
            attendees, data={}
        )

    def action_print_paper_copies(self):
        if not self.paper_attendee_ids:
            raise UserError(
                self.env._("Every participant of this meeting has an e-mail address.")
            )
        return self.env.ref("lco_module.action_report_lco_meeting_copy").report_action(
            self.paper_attendee_ids, data={}
        )

    @api.depends(
        "attendee_ids.status",
        "attendee_ids.participant_id.network_member_ids.kind",
    )
    def _compute_has_network_present(self):
        for meeting in self:
            meeting.has_network_present = any(
                attendee.status == "present"
                and "network"
                in attendee.participant_id.network_member_ids.mapped("kind")
                for attendee in meeting.attendee_ids
            )
            meeting.network_present_share = 100 if meeting.has_network_present else 0
