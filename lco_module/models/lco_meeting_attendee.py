from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.safe_eval import safe_eval, time
from odoo.tools.sql import create_index

from ..tools.constants import (
    MAX_NOTE_LENGTH,
    MEETING_COPY_REPORT,
    PORTAL_ATTENDEE_FIELDS,
    PORTAL_REPLY_STATUSES,
    REPORT_SENT_STATES,
)
from ..tools.stored_copy import add_stored_copies


class LcoMeetingAttendee(models.Model):
    _name = "lco.meeting.attendee"
    _description = "Meeting Attendance"
    # What the access log records a read of (lco.access.logged).
    _lco_logged_fields = ("practical_needs",)
    _inherit = ["lco.meeting.line.mixin", "lco.access.logged"]
    _order = "meeting_id, id"
    _calendar_fields = ("participant_id",)

    participant_id = fields.Many2one(
        "lco.participant",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        domain="[('case_id', '=', case_id)]",
    )
    partner_id = fields.Many2one(related="participant_id.partner_id")
    role = fields.Selection(related="participant_id.role", store=True, index=True)
    status = fields.Selection(
        [
            ("invited", "Invited"),
            ("confirmed", "Confirmed"),
            ("excused", "Excused"),
            ("present", "Present"),
            ("absent", "Absent"),
        ],
        required=True,
        default="invited",
    )
    # Stored for the attendance figures: "meetings held" filters the
    # attendance table itself, not a join on every meeting.
    meeting_state = fields.Selection(
        related="meeting_id.state", store=True, index=True, string="Meeting Status"
    )
    meeting_start = fields.Datetime(
        related="meeting_id.start", store=True, string="Meeting Date"
    )
    practical_needs = fields.Text(
        help="Childcare, transport, an interpreter, nerves: what this person needs "
        "to be able to take part."
    )

    def _auto_init(self):
        # Databases that ran the addon before meeting_state and meeting_start.
        add_stored_copies(
            self.env.cr,
            "lco_meeting_attendee",
            "meeting_id",
            "lco_meeting",
            {
                "meeting_state": ("varchar", "state"),
                "meeting_start": ("timestamp", "start"),
            },
        )
        return super()._auto_init()

    def init(self):
        # The attendance figures (meetings held in a period, role x
        # attendance) read these indexes only: per case for a coordinator,
        # per organisation for a manager, without meetings not held.
        for name, columns in (
            ("case", ["case_id", "company_id", "meeting_start", "role", "status"]),
            ("company", ["company_id", "meeting_start", "role", "status"]),
        ):
            create_index(
                self.env.cr,
                f"lco_meeting_attendee_held_{name}_date_figures_index",
                self._table,
                columns,
                where="meeting_state IN ('held', 'reported')",
            )

    _sql_constraints = [
        (
            "meeting_participant_uniq",
            "unique(meeting_id, participant_id)",
            "A participant is listed only once per meeting.",
        ),
    ]

    @api.depends("participant_id", "meeting_id")
    def _compute_display_name(self):
        for attendee in self:
            participant = attendee.participant_id
            attendee.display_name = (
                participant.partner_id.name or participant.display_name
            )

    @api.constrains("participant_id", "meeting_id")
    def _check_participant_case(self):
        for attendee in self:
            attendee.participant_id._check_takes_part_in(attendee.case_id)

    def write(self, vals):
        if self.env.user.share and not self.env.su:
            self.check_access("write")
            self._check_portal_reply(vals)
        return super().write(vals)

    def action_print_invitation(self):
        # data={}: see lco.meeting's action_print_invitations.
        return self.env.ref("lco_module.action_report_lco_invitation").report_action(
            self, data={}
        )

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

    def _lco_portal_report_check(self):
        """The user may download the report of this meeting: his own
        invitation, read under his rules (which end with the consent or his
        participation), of a meeting whose report was sent, in a case whose
        consent gives him a report."""
        self.ensure_one()
        self.check_access("read")
        if (
            self.partner_id != self.env.user.partner_id
            or self.meeting_id.state not in REPORT_SENT_STATES
            or not self.case_id._lco_portal_scope()
        ):
            raise AccessError(self.env._("This report is not for you."))

    def _lco_portal_report_lang(self):
        return self.env.user.partner_id.lang or self.env.lang

    def _lco_portal_report_pdf(self):
        """The report of this meeting as it was sent to the user, in his
        language and in the version his consent allows: (pdf, file name)."""
        self._lco_portal_report_check()
        lang = self._lco_portal_report_lang()
        report = self.env.ref(MEETING_COPY_REPORT)
        # sudo: the report prints the minutes and the work plan, which portal
        # users do not read over RPC (field groups). It is his own invitation of
        # a reported meeting of a case his consent opens to him (checked above,
        # as him); the template prints what his consent gives him
        # (case._report_scopes) and the print is logged below, in his name.
        sudo_report = report.sudo().with_context(lang=lang)
        pdf, _type = sudo_report._render_qweb_pdf(report, self.ids, data={})
        self.env["lco.access.log"]._log(self, "print", detail=report.name)
        filename = safe_eval(
            sudo_report.print_report_name,
            {"object": self.sudo().with_context(lang=lang), "time": time},
        )
        return pdf, f"{filename}.pdf"
