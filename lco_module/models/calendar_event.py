from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.sql import column_exists, create_column, table_exists

from ..tools.constants import MANAGER_GROUP


class CalendarEvent(models.Model):
    _inherit = "calendar.event"

    # The consultation meeting this event mirrors: set by the meeting when it
    # is scheduled, never by a user. Who may see such an event, its attendees
    # and its messages is decided by the meeting (security/calendar_security.xml).
    lco_meeting_id = fields.Many2one(
        "lco.meeting",
        "Consultation Meeting",
        readonly=True,
        copy=False,
        index="btree_not_null",
        # A meeting gone from the database takes its event along, whatever way
        # it went (see lco.meeting's unlink for the cancellation it sends).
        ondelete="cascade",
    )
    # Whether the user may open the meeting: the calendar's popover offers
    # "Open Meeting" instead of Edit and Delete (static/src/js/
    # lco_calendar_popover_patch.js); invitees may see an event whose meeting
    # they cannot read.
    lco_meeting_readable = fields.Boolean(
        "Can Read the Consultation Meeting",
        compute="_compute_lco_meeting_readable",
    )

    @api.depends("lco_meeting_id")
    @api.depends_context("uid")
    def _compute_lco_meeting_readable(self):
        readable = self.lco_meeting_id._filtered_access("read")
        for event in self:
            event.lco_meeting_readable = event.lco_meeting_id in readable

    def _auto_init(self):
        """Links the events of a database from before lco_meeting_id to their
        meetings, once."""
        # Databases that ran the addon before this field existed: link the
        # events their meetings made, once, when the column is added.
        cr = self.env.cr
        if not column_exists(cr, "calendar_event", "lco_meeting_id"):
            create_column(cr, "calendar_event", "lco_meeting_id", "int4")
            if table_exists(cr, "lco_meeting"):
                cr.execute(
                    """UPDATE calendar_event event SET lco_meeting_id = meeting.id
                       FROM lco_meeting meeting
                       WHERE meeting.calendar_event_id = event.id"""
                )
        return super()._auto_init()

    @api.model_create_multi
    def create(self, vals_list):
        """Prevents linking an event to a consultation meeting by hand."""
        if not self.env.su and any(vals.get("lco_meeting_id") for vals in vals_list):
            raise UserError(
                self.env._(
                    "A consultation meeting puts itself in the calendar: schedule "
                    "it from the meeting."
                )
            )
        return super().create(vals_list)

    def write(self, vals):
        """Prevents changing the event of a consultation meeting, or its link,
        other than through the meeting."""
        if "lco_meeting_id" in vals and not self.env.su:
            raise UserError(
                self.env._(
                    "A consultation meeting puts itself in the calendar: schedule "
                    "it from the meeting."
                )
            )
        self._check_lco_meeting_change()
        return super().write(vals)

    def unlink(self):
        """Prevents deleting the event of a consultation meeting other than
        through the meeting."""
        self._check_lco_meeting_change()
        return super().unlink()

    def action_join_meeting(self, partner_id):
        """Prevents the join link adding someone the consultation meeting does
        not invite."""
        # Also reached as superuser by whoever has the event's link
        # (/calendar/meeting/join): the meeting alone says who is invited.
        self.ensure_one()
        event = self.sudo()
        if event.lco_meeting_id and partner_id not in event.partner_ids.ids:
            if not self.env.su:
                self.check_access("write")
            raise UserError(self._lco_meeting_change_message())
        return super().action_join_meeting(partner_id)

    @api.model
    def _get_activity_excluded_models(self):
        """No "meeting" activity for the chair of a consultation meeting."""
        # A consultation meeting is followed through its states, not through a
        # "meeting" activity for its chair.
        return [*super()._get_activity_excluded_models(), "lco.meeting"]

    def _check_lco_meeting_change(self):
        """The event of a consultation meeting changes with its meeting only
        (which writes as superuser): its date, place and invitees are the
        meeting's, and so are the mails that tell them."""
        if self.env.su or not self.sudo().lco_meeting_id:
            return
        # Who may not change the event at all hears it as for any event.
        self.check_access("write")
        raise UserError(self._lco_meeting_change_message())

    def _lco_meeting_change_message(self):
        # sudo: only who chairs the meeting, to word the message for the user.
        chairs = self.sudo().lco_meeting_id.chair_id
        if self.env.user in chairs or self.env.user.has_group(MANAGER_GROUP):
            return self.env._(
                "This calendar event is the invitation to a client consultation "
                "meeting: change the date, the place or the invitees in the "
                "consultation meeting."
            )
        # An aid worker (or another coordinator) cannot change the meeting:
        # who can, is said.
        return self.env._(
            "This calendar event is the invitation to a client consultation "
            "meeting: only its coordinator changes the date, the place or the "
            "invitees. Ask the coordinator if it does not suit you."
        )
