"""The client and the people around his table on Odoo's portal (/my/lco).

Who reads what is decided by the record rules of base.group_portal (see
security/lco_security.xml): a portal user reads the cases he takes part in as
the client, or as a participant the current consent covers. What was said
about the client (his question, goals, strengths, the minutes) is for internal
users only over RPC; the portal case page shows it to whom the consent gives
the full report (controllers/portal.py).
"""

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError

INTERNAL = "base.group_user"
# What a portal user answers on his own invitation.
PORTAL_REPLY_STATUSES = ("confirmed", "excused")
PORTAL_ATTENDEE_FIELDS = {"status", "practical_needs"}
# What a portal user reports on his own agreement.
PORTAL_AGREEMENT_STATES = ("done", "not_done")
PORTAL_AGREEMENT_FIELDS = {"state", "outcome_note"}
# The meetings a portal user sees: fixed ones, not those in preparation.
PORTAL_MEETING_STATES = ("scheduled", "held", "reported")
MAX_NOTE_LENGTH = 2000


class LcoCase(models.Model):
    _inherit = "lco.case"

    # What was said about the client and the consent behind it: internal users
    # read it; the portal shows it on the case page to whom may see it.
    question = fields.Text(groups=INTERNAL)
    goals = fields.Text(groups=INTERNAL)
    strengths = fields.Text(groups=INTERNAL)
    close_note = fields.Text(groups=INTERNAL)
    consent_ids = fields.One2many(groups=INTERNAL)
    consent_id = fields.Many2one(groups=INTERNAL)
    consent_valid_until = fields.Date(groups=INTERNAL)

    def _compute_uncovered_participant_ids(self):
        if self.env.user.share:
            # Whom the consent covers is for who runs the case.
            self.uncovered_participant_ids = False
            return
        super()._compute_uncovered_participant_ids()

    def _lco_portal_participant(self, partner=None):
        """The active participation of ``partner`` (the user's) in this case."""
        self.ensure_one()
        partner = partner or self.env.user.partner_id
        return self.participant_ids.filtered(
            lambda p: p.partner_id == partner and p.active
        )[:1]

    def _lco_portal_scope(self):
        """What the current user may see of this case: "full", "work_plan" or
        False, as his consent scope (``_report_scopes``) says."""
        self.ensure_one()
        self.check_access("read")
        partner = self.env.user.partner_id
        # sudo: the consent lines are not for portal users to read; only the
        # user's own scope in a case he may read (checked above) is computed.
        return self.sudo()._report_scopes(partner)[partner]


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


class LcoAgendaItem(models.Model):
    _inherit = "lco.agenda.item"

    summary = fields.Text(groups=INTERNAL)


class LcoMeetingAttendee(models.Model):
    _inherit = "lco.meeting.attendee"

    def write(self, vals):
        if self.env.user.share and not self.env.su:
            self.check_access("write")
            self._check_portal_reply(vals)
        return super().write(vals)

    def _check_portal_reply(self, vals):
        """A portal user answers his own invitation to a coming meeting."""
        if (
            set(vals) - PORTAL_ATTENDEE_FIELDS
            or vals.get("status", PORTAL_REPLY_STATUSES[0]) not in PORTAL_REPLY_STATUSES
        ):
            raise AccessError(
                self.env._(
                    "You can only say whether you come and what you need to take part."
                )
            )
        partner = self.env.user.partner_id
        if any(
            a.partner_id != partner or a.meeting_id.state != "scheduled" for a in self
        ):
            raise UserError(
                self.env._(
                    "You can answer only your own invitation, before the meeting."
                )
            )

    def _lco_portal_reply(self, status, practical_needs):
        """The portal user comes (or not) and says what he needs; his answer
        goes to the meeting's calendar invitation too."""
        self.ensure_one()
        if status not in PORTAL_REPLY_STATUSES:
            raise UserError(self.env._("Choose whether you come or not."))
        practical_needs = (practical_needs or "").strip()[:MAX_NOTE_LENGTH]
        self.write({"status": status, "practical_needs": practical_needs or False})
        # sudo: the user answers his own invitation (checked by the write
        # above), as the link of his invitation mail does.
        event = self.sudo().meeting_id.calendar_event_id
        invitation = event.attendee_ids.filtered(
            lambda a: a.partner_id == self.env.user.partner_id
        )
        if invitation:
            invitation.write(
                {"state": "accepted" if status == "confirmed" else "declined"}
            )


class LcoAgreement(models.Model):
    _inherit = "lco.agreement"

    def write(self, vals):
        if self.env.user.share and not self.env.su:
            if (
                set(vals) - PORTAL_AGREEMENT_FIELDS
                or vals.get("state", PORTAL_AGREEMENT_STATES[0])
                not in PORTAL_AGREEMENT_STATES
            ):
                raise AccessError(
                    self.env._(
                        "You can only say whether your agreement is done, with a "
                        "short note."
                    )
                )
        return super().write(vals)

    def _sync_responsible_activity(self):
        if self.env.user.share and not self.env.su:
            # sudo: a portal user reported on his own agreement (the write rule
            # let him); its to-do belongs to the agreement, not to him.
            return super(LcoAgreement, self.sudo())._sync_responsible_activity()
        return super()._sync_responsible_activity()

    def _lco_portal_report(self, state, note):
        """The portal user says his agreement is done or not done; the
        coordinator of the case hears of it."""
        self.ensure_one()
        if state not in PORTAL_AGREEMENT_STATES:
            raise UserError(self.env._("Choose done or not done."))
        if self.state != "open":
            raise UserError(
                self.env._("This agreement is no longer open: ask the coordinator.")
            )
        note = (note or "").strip()[:MAX_NOTE_LENGTH]
        self.write({"state": state, "outcome_note": note or False})
        states = dict(self._fields["state"]._description_selection(self.env))
        # sudo: portal users do not read users; the coordinator of the case
        # he may read is told, nobody else.
        coordinator = self.case_id.sudo().coordinator_id
        body = self.env._(
            "%(person)s reports on the agreement: %(state)s.",
            person=self.env.user.partner_id.name,
            state=states[state],
        )
        if note:
            body = Markup("%s<br/>%s") % (body, note)
        # sudo: portal users do not read followers (lco.case.thread checks the
        # recipients with them); he reported on his own agreement (the write
        # above passed the rules) and only the case's coordinator is told, in
        # his name.
        self.sudo().message_post(
            body=body,
            author_id=self.env.user.partner_id.id,
            partner_ids=coordinator.partner_id.ids,
            subtype_xmlid="mail.mt_note",
        )


class LcoParticipant(models.Model):
    _inherit = "lco.participant"

    has_portal_access = fields.Boolean(
        "Portal Access",
        compute="_compute_has_portal_access",
        groups=INTERNAL,
        help="This person opens his consultations in the portal.",
    )

    @api.depends("partner_id.user_ids")
    def _compute_has_portal_access(self):
        for participant in self:
            participant.has_portal_access = any(
                user._is_portal() and participant.company_id in user.company_ids
                for user in participant.partner_id.sudo().user_ids
            )

    def _lco_portal_covered(self):
        """Whether the consent of the case lets this participant in."""
        self.ensure_one()
        case = self.case_id
        return (
            self.active
            and case.has_consent
            and (
                self.role == "client" or self in case.consent_id.line_ids.participant_id
            )
        )

    def action_grant_portal_access(self):
        """Odoo's portal wizard for this person, once the consent covers him."""
        self.ensure_one()
        self.case_id.check_access("write")
        if self.case_id.state not in ("draft", "active"):
            raise UserError(self.env._("Case %s is no longer open.", self.case_id.name))
        if not self._lco_portal_covered():
            raise UserError(
                self.env._(
                    "%s is not covered by the client's consent: record a consent "
                    "that covers him before giving him access to the portal.",
                    self.partner_id.name,
                )
            )
        users = self.partner_id.sudo().with_context(active_test=False).user_ids
        if users.filtered(lambda u: not u.share):
            raise UserError(
                self.env._(
                    "%s works in Odoo: he opens the case there, not in the portal.",
                    self.partner_id.name,
                )
            )
        portal_user = users.filtered(lambda u: u.active and u._is_portal())[:1]
        if portal_user:
            if self.company_id not in portal_user.company_ids:
                # sudo: a coordinator does not manage users; the portal user is
                # let into this case's organisation only, for a participant the
                # consent covers in a case the coordinator runs (checked above).
                portal_user.sudo().company_ids = [Command.link(self.company_id.id)]
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "success",
                    "message": self.env._(
                        "%s already uses the portal: he now finds this case there.",
                        self.partner_id.name,
                    ),
                },
            }
        wizard = (
            self.env["portal.wizard"]
            .with_company(self.company_id)
            .create({"partner_ids": [Command.set(self.partner_id.ids)]})
        )
        return wizard._action_open_modal()

    def _lco_portal_acknowledge(self):
        """The portal user acknowledges the shared-secrecy rules of this case."""
        self.ensure_one()
        self.case_id.check_access("read")
        if self.partner_id != self.env.user.partner_id or not self.active:
            raise AccessError(
                self.env._("You can acknowledge the rules for yourself only.")
            )
        if self.confidentiality_ack_date:
            return
        # sudo: participants are not written by portal users; he records his
        # own acknowledgement in a case he may read (checked above), nothing
        # else.
        self.sudo().write(
            {
                "confidentiality_ack_date": fields.Date.context_today(self),
                "confidentiality_ack_method": "portal",
            }
        )
