from odoo import fields, models
from odoo.tools import SQL


class LcoFigureAttendanceMonth(models.Model):
    """Attendance counted per organisation, month of the meeting,
    coordinator of the case, role, attendance and status of the meeting:
    the attendance figures."""

    _name = "lco.figure.attendance.month"
    _inherit = "lco.figure.month"
    _description = "Attendance Figures per Month"
    _log_access = False
    _order = "month desc, id"

    role = fields.Selection(
        lambda self: self._figure_source_selection("lco.meeting.attendee", "role"),
        readonly=True,
    )
    status = fields.Selection(
        lambda self: self._figure_source_selection("lco.meeting.attendee", "status"),
        "Attendance",
        readonly=True,
    )
    meeting_state = fields.Selection(
        lambda self: self._figure_source_selection("lco.meeting", "state"),
        "Meeting Status",
        readonly=True,
    )

    def _figure_select(self, company_id):
        return SQL(
            """
            SELECT attendee.company_id,
                   date_trunc('month', attendee.meeting_start)::date AS month,
                   lco_case.coordinator_id,
                   attendee.role, attendee.status, attendee.meeting_state,
                   COUNT(*) AS record_count
              FROM lco_meeting_attendee attendee
              JOIN lco_case ON lco_case.id = attendee.case_id
             WHERE attendee.company_id = %s
          GROUP BY 1, 2, 3, 4, 5, 6
            """,
            company_id,
        )
