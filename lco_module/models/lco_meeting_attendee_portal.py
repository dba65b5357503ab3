from odoo import models
from odoo.exceptions import AccessError, UserError

from .portal_rules import MAX_NOTE_LENGTH, PORTAL_ATTENDEE_FIELDS, PORTAL_REPLY_STATUSES


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
