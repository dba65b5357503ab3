from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

# The method's six criteria of client participation, in the order of the form.
SCORE_FIELDS = (
    "score_listened",
    "score_spoken_with",
    "score_view_valued",
    "score_supported",
    "score_understanding",
    "score_decided",
)
SCORE_RANGE = range(1, 6)
MAX_COMMENT_LENGTH = 2000
# All an answer writes: nothing else of an evaluation is changed through the form.
ANSWER_FIELDS = {*SCORE_FIELDS, "comment", "state", "answered_date", "answer_channel"}
# How an answer came in: the figures tell them apart.
ANSWER_CHANNELS = [
    ("link", "By Link (E-mail or Portal)"),
    ("paper", "On Paper"),
    ("tablet", "On the Coordinator's Tablet"),
]


class LcoMeetingEvaluation(models.Model):
    """How the client and each participant experienced a meeting that was held.

    Every person present gets one evaluation (``_lco_create_for``), e-mail or
    not, and answers it once: on the portal or through the tokenised link of
    his mail (/lco/evaluation/<id>, controllers/evaluation.py), on the printed
    form whose answers the coordinator types in (``action_lco_enter_paper``),
    or on the coordinator's tablet at the end of the meeting
    (/lco/evaluation/<id>/tablet). Six statements of the method on a scale of
    1 to 5, and a comment; ``answer_channel`` says how the answer came in. The
    coordinator reads them on the meeting, the answers of the client apart
    from those of the others.

    A small model rather than Odoo's survey app: ``survey`` would be a hard
    dependency that brings its own access model (survey users read every
    user_input, across organisations, which the multi-company and need-to-know
    rules of a case forbid); its statistics cannot keep the client's answers
    apart from the others' without custom code; and six fixed questions need
    no survey builder. The tokenised link of the mail (``portal.mixin``) and
    the answer on the portal are lco_portal's: without it, the person answers
    on paper or on the tablet.

    Nobody writes an evaluation over RPC: no group has write access. The
    controller saves an answer after checking the token or the user, through
    ``_lco_answer``, which writes only the scores, the comment and the state.
    """

    _name = "lco.meeting.evaluation"
    _description = "Meeting Evaluation"
    # What the access log records a read of (lco.access.logged).
    _lco_logged_fields = ("comment",)
    _inherit = [
        "lco.checked.input",
        "lco.action.fields",
        "lco.access.logged",
    ]
    # An evaluation is answered once, through _lco_answer.
    _lco_action_fields = ("state", "answered_date", "answer_channel")
    _order = "meeting_id desc, is_client desc, id"
    _check_company_auto = True

    meeting_id = fields.Many2one(
        "lco.meeting",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
        check_company=True,
    )
    case_id = fields.Many2one(
        related="meeting_id.case_id", store=True, index=True, precompute=True
    )
    company_id = fields.Many2one(
        related="meeting_id.company_id", store=True, index=True, precompute=True
    )
    meeting_date = fields.Datetime(related="meeting_id.start", string="Meeting Date")
    participant_id = fields.Many2one(
        "lco.participant",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
        check_company=True,
    )
    partner_id = fields.Many2one(
        "res.partner", "Person", index=True, readonly=True, ondelete="set null"
    )
    is_client = fields.Boolean(
        "By the Client",
        readonly=True,
        help="Given by the client: his answers are kept apart from the others'.",
    )
    score_listened = fields.Integer(
        "I was listened to", aggregator="avg", readonly=True
    )
    score_spoken_with = fields.Integer(
        "People spoke with me, not about me", aggregator="avg", readonly=True
    )
    score_view_valued = fields.Integer(
        "My view had a place next to the professionals'",
        aggregator="avg",
        readonly=True,
    )
    score_supported = fields.Integer(
        "I felt supported", aggregator="avg", readonly=True
    )
    score_understanding = fields.Integer(
        "I understand my situation better", aggregator="avg", readonly=True
    )
    score_decided = fields.Integer("I decided along", aggregator="avg", readonly=True)
    score_average = fields.Float(
        "Average Score",
        compute="_compute_score_average",
        store=True,
        aggregator="avg",
    )
    comment = fields.Text(readonly=True)
    state = fields.Selection(
        [("pending", "Waiting for an Answer"), ("answered", "Answered")],
        "Status",
        required=True,
        default="pending",
        readonly=True,
        index=True,
    )
    answered_date = fields.Datetime("Answered On", readonly=True)
    answer_channel = fields.Selection(
        ANSWER_CHANNELS,
        "Answered Through",
        readonly=True,
        index=True,
        help="How the answer came in: through the link of the mail or the "
        "portal, on the printed form (typed in by the coordinator), or on the "
        "coordinator's tablet at the end of the meeting.",
    )
    # The mail asking it, while it waits to be sent (or failed): it holds the
    # person's name and the link, and goes when the case is anonymised.
    mail_id = fields.Many2one(
        "mail.mail", readonly=True, ondelete="set null", groups="base.group_system"
    )

    _sql_constraints = [
        (
            "meeting_participant_uniq",
            "unique(meeting_id, participant_id)",
            "A participant evaluates a meeting once.",
        ),
    ]

    def init(self):
        # The answers given before the channel was recorded came by link (the
        # only way then); idempotent, at each update.
        self.env.cr.execute(
            SQL(
                "UPDATE %s SET answer_channel = 'link' "
                "WHERE state = 'answered' AND answer_channel IS NULL",
                SQL.identifier(self._table),
            )
        )

    @api.constrains(*SCORE_FIELDS)
    def _check_scores(self):
        for evaluation in self:
            if any(
                evaluation[name] and evaluation[name] not in SCORE_RANGE
                for name in SCORE_FIELDS
            ):
                raise ValidationError(
                    self.env._("Each answer is a number from 1 to 5.")
                )

    @api.depends(*SCORE_FIELDS)
    def _compute_score_average(self):
        for evaluation in self:
            scores = [evaluation[name] for name in SCORE_FIELDS if evaluation[name]]
            evaluation.score_average = sum(scores) / len(scores) if scores else 0.0

    @api.depends("meeting_id.start", "partner_id")
    def _compute_display_name(self):
        for evaluation in self:
            evaluation.display_name = self.env._(
                "Evaluation of the meeting of %s",
                fields.Date.to_string(evaluation.meeting_id.start) or "",
            )

    # The answer -----------------------------------------------------------

    @api.model
    def _lco_parse_answer(self, post):
        """The values of an answer posted by the form, or a UserError saying
        what to correct. ``post`` holds strings; only the six scores and the
        comment are taken."""
        vals = {}
        for name in SCORE_FIELDS:
            value = post.get(name)
            if not isinstance(value, str) or not value.strip():
                raise UserError(
                    self.env._("Answer every statement: choose a number from 1 to 5.")
                )
            try:
                score = int(value.strip())
            except ValueError:
                score = None
            if score not in SCORE_RANGE:
                raise UserError(
                    self.env._(
                        "Choose a number from 1 (not at all) to 5 (completely) "
                        "for every statement."
                    )
                )
            vals[name] = score
        comment = post.get("comment") or ""
        if not isinstance(comment, str):
            raise UserError(self.env._("The comment must be text."))
        comment = comment.replace("\x00", "").strip()
        if len(comment) > MAX_COMMENT_LENGTH:
            raise UserError(
                self.env._(
                    "Your comment is too long: keep it under %s characters.",
                    MAX_COMMENT_LENGTH,
                )
            )
        vals["comment"] = comment or False
        return vals

    def _lco_answer(self, vals, channel="link"):
        """Save the answer ``vals`` (from ``_lco_parse_answer``) on this one
        evaluation, once, as come in through ``channel`` (ANSWER_CHANNELS)."""
        self.ensure_one()
        if channel not in dict(ANSWER_CHANNELS):
            raise UserError(self.env._("Unknown way of answering: %s", channel))
        # Two sends at once (a double click) save one answer: the second waits
        # for the first, then finds it answered.
        self.env.cr.execute(
            SQL(
                "SELECT state FROM %s WHERE id = %s FOR UPDATE",
                SQL.identifier(self._table),
                self.id,
            )
        )
        if self.env.cr.fetchone()[0] == "answered" or self.state == "answered":
            raise UserError(self._lco_already_answered_message())
        if set(vals) - ANSWER_FIELDS:
            raise UserError(
                self.env._("Only the six answers and a comment can be given.")
            )
        self._lco_action_write(
            {
                **vals,
                "state": "answered",
                "answered_date": fields.Datetime.now(),
                "answer_channel": channel,
            }
        )

    def _lco_already_answered_message(self):
        return self.env._(
            "You already gave your evaluation of this meeting. Thank you! "
            "It can no longer be changed."
        )

    # Answers given for a person: on paper, or on the coordinator's tablet ---

    def _lco_check_answer_for_person(self):
        """Only the coordinator of the case, or a manager of its organisation,
        enters a person's answer from paper or hands him the tablet; once, and
        while the consent covers him. Raises AccessError or UserError."""
        self.ensure_one()
        user = self.env.user
        # The record rules: the organisation, and the coordinator of the case,
        # a manager, or the person himself (whom the group check turns away).
        self.check_access("read")
        evaluation = self.sudo()
        if user._is_public() or not (
            user.has_group("lco_module.group_lco_manager")
            or evaluation.case_id.coordinator_id == user
        ):
            raise AccessError(
                self.env._(
                    "Only the coordinator of the consultation or a manager enters "
                    "an evaluation for the person who gave it."
                )
            )
        if evaluation.state == "answered":
            raise UserError(
                self.env._(
                    "%s already gave this evaluation: it can no longer be changed.",
                    evaluation.partner_id.name or self.env._("This person"),
                )
            )
        if not evaluation._lco_covered():
            raise UserError(
                self.env._(
                    "The client's consent no longer covers this person: "
                    "his evaluation can no longer be given."
                )
            )

    def _lco_answer_for_person(self, vals, channel):
        """Save the answer a person gave on paper or on the tablet, after
        ``_lco_check_answer_for_person``."""
        self._lco_check_answer_for_person()
        # sudo: nobody writes an evaluation over RPC; the user was checked
        # right above (coordinator of the case or manager, not yet answered),
        # and _lco_answer writes only the scores, the comment and the state.
        self.sudo()._lco_answer(vals, channel=channel)

    def action_lco_enter_paper(self):
        """The window where the coordinator types in the answers of the
        printed form."""
        self._lco_check_answer_for_person()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Answers from the Paper Form"),
            "res_model": "lco.meeting.evaluation.paper",
            "view_mode": "form",
            "target": "new",
            "context": {"default_evaluation_id": self.id},
        }

    def action_lco_answer_on_tablet(self):
        """Open the evaluation form on this device, in a new tab, in a layout
        for the person holding it: nothing of the back office around it."""
        self._lco_check_answer_for_person()
        return {
            "type": "ir.actions.act_url",
            "url": f"/lco/evaluation/{self.id}/tablet",
            "target": "new",
        }

    @api.model
    def _lco_create_for(self, meetings):
        """Ask everyone who was present at the held ``meetings``, and whom the
        client's consent covers, how it went: one evaluation each, e-mail or
        not. It is mailed to those with an e-mail address; the others find it
        on the portal, or answer on the printed form or the coordinator's
        tablet.

        Called once the meetings are held (lco.meeting's write). Runs as
        superuser: nobody creates evaluations by hand (no group may), and the
        user who held the meeting could write it; only the people present
        at it are asked.
        """
        Evaluation = self.sudo()
        asked = {
            (evaluation.meeting_id.id, evaluation.participant_id.id)
            for evaluation in Evaluation.search([("meeting_id", "in", meetings.ids)])
        }
        vals_list = []
        for meeting in meetings.sudo():
            present = meeting.attendee_ids.filtered(
                lambda a: a.status == "present" and a.participant_id.active
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

    def _lco_send_request(self):
        """Ask each person: the meeting chatter says whom it was asked of.
        Mailing each his link is ``_lco_mail_links``, a hook: the base mails
        nothing (the person answers on paper or on the tablet); lco_portal
        mails the tokenised link."""
        self._lco_mail_links()
        self.meeting_id._message_log_batch(
            {
                meeting.id: self.env._(
                    "Evaluation asked of %s.",
                    ", ".join(
                        self.filtered(
                            lambda e, m=meeting: e.meeting_id == m
                        ).partner_id.mapped("name")
                    ),
                )
                for meeting in self.meeting_id
            }
        )

    def _lco_covered(self):
        """Whether the client's consent still covers the person asked: once
        withdrawn (or no longer covering him), his link no longer opens."""
        self.ensure_one()
        partner = self.partner_id
        # sudo: the consent decides (case._report_scopes), whoever opens the link.
        return bool(self.sudo().case_id._report_scope(partner))

    def _lco_mail_links(self):
        """Hook: mail each person of ``self`` a link to answer without an
        account. The base has no such link (lco_portal has)."""
        return self.browse()

    def _lco_forget_who(self):
        """Anonymising a case: the answers go with its people and texts (and an
        unsent or failed mail with them); the scores stay for the figures."""
        self.mail_id.unlink()
        self.write({"comment": False, "partner_id": False})
