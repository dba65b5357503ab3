from odoo import api, fields, models
from odoo.tools.sql import create_index

from .stored_copy import add_stored_copies


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

    def action_print_invitation(self):
        # data={}: see lco.meeting's action_print_invitations.
        return self.env.ref("lco_module.action_report_lco_invitation").report_action(
            self, data={}
        )
