from odoo import api, fields, models


class LcoMeetingAttendee(models.Model):
    _name = "lco.meeting.attendee"
    _description = "Meeting Attendance"
    _inherit = ["lco.meeting.line.mixin"]
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
    practical_needs = fields.Text(
        help="Childcare, transport, an interpreter, nerves: what this person needs "
        "to be able to take part."
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
