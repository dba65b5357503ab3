from odoo import api, models
from odoo.exceptions import UserError

# An invitee's answer in the calendar, as his attendance at the consultation.
REPLY_STATUS = {
    "accepted": "confirmed",
    "declined": "excused",
    "tentative": "invited",
    "needsAction": "invited",
}
# What an invitee changes on his own invitation to a consultation meeting.
OWN_REPLY_FIELDS = {"state", "availability"}


class CalendarAttendee(models.Model):
    _inherit = "calendar.attendee"

    @api.model_create_multi
    def create(self, vals_list):
        """Prevents inviting someone to a consultation meeting in the
        calendar."""
        if not self.env.su:
            events = self.env["calendar.event"].browse(
                vals["event_id"] for vals in vals_list if vals.get("event_id")
            )
            if events.sudo().lco_meeting_id:
                events.check_access("write")
                raise UserError(events._lco_meeting_change_message())
        return super().create(vals_list)

    def write(self, vals):
        """Prevents an invitee answering for another or changing who is
        invited; his own answer becomes his attendance."""
        self._check_lco_reply(vals)
        res = super().write(vals)
        if "state" in vals:
            self._sync_lco_attendance()
        return res

    def unlink(self):
        """Prevents removing an invitee of a consultation meeting in the
        calendar."""
        self._check_lco_reply()
        return super().unlink()

    def _subscribe_partner(self):
        """Prevents the invitees of a consultation meeting following its event."""
        # The invitees of a consultation meeting do not follow its event: every
        # employee may list followers, and they would name the client and his
        # network. The invitations go to the attendees directly.
        return super(
            CalendarAttendee,
            self.filtered(lambda a: not a.sudo().event_id.lco_meeting_id),
        )._subscribe_partner()

    def _check_lco_reply(self, vals=None):
        """On the event of a consultation meeting an invitee answers for
        himself, and changes nothing else: who is invited is the meeting's
        (which writes as superuser, as does the reply link of the invitation
        mail, which only the invitee has)."""
        if self.env.su:
            return
        invitations = self.filtered(lambda a: a.sudo().event_id.lco_meeting_id)
        if not invitations:
            return
        invitations.check_access("write")
        if (
            vals is None
            or not set(vals) <= OWN_REPLY_FIELDS
            or invitations.partner_id != self.env.user.partner_id
        ):
            raise UserError(
                self.env._(
                    "Each invitee answers the invitation to a client consultation "
                    "meeting for himself; who is invited is changed in the "
                    "consultation meeting."
                )
            )

    def _sync_lco_attendance(self):
        """Record the reply on the consultation meeting the event mirrors, as
        long as the meeting has not taken place.

        A reply counts when it comes from the invitee: his own user, or the
        link of his invitation mail (Odoo's calendar controller, which answers
        as superuser), or the meeting itself moving the event (superuser too).
        """
        replies = self.filtered(
            lambda a: self.env.su or a.partner_id == self.env.user.partner_id
        )
        # sudo: the invitee answers for himself (from the invitation mail, even
        # without an account), and may not edit the consultation's attendance.
        meetings = (
            self.env["lco.meeting"]
            .sudo()
            .search(
                [
                    ("calendar_event_id", "in", replies.event_id.ids),
                    ("state", "=", "scheduled"),
                ]
            )
        )
        for reply in replies:
            meetings.filtered(
                lambda m, reply=reply: m.calendar_event_id == reply.event_id
            ).attendee_ids.filtered(
                lambda a, reply=reply: (
                    a.partner_id == reply.partner_id
                    and a.status in ("invited", "confirmed", "excused")
                )
            ).status = REPLY_STATUS[reply.state]
