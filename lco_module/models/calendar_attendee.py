from odoo import models

# An invitee's answer in the calendar, as his attendance at the consultation.
REPLY_STATUS = {
    "accepted": "confirmed",
    "declined": "excused",
    "tentative": "invited",
    "needsAction": "invited",
}


class CalendarAttendee(models.Model):
    _inherit = "calendar.attendee"

    def write(self, vals):
        res = super().write(vals)
        if "state" in vals:
            self._sync_lco_attendance()
        return res

    def _sync_lco_attendance(self):
        """Record the reply on the consultation meeting the event mirrors, as
        long as the meeting has not taken place."""
        # sudo: the invitee answers for himself (from the invitation mail, even
        # without an account), and may not edit the consultation's attendance.
        meetings = (
            self.env["lco.meeting"]
            .sudo()
            .search(
                [
                    ("calendar_event_id", "in", self.event_id.ids),
                    ("state", "=", "scheduled"),
                ]
            )
        )
        for reply in self:
            meetings.filtered(
                lambda m, reply=reply: m.calendar_event_id == reply.event_id
            ).attendee_ids.filtered(
                lambda a, reply=reply: (
                    a.partner_id == reply.partner_id
                    and a.status in ("invited", "confirmed", "excused")
                )
            ).status = REPLY_STATUS[reply.state]
