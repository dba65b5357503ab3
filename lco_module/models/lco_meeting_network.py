from odoo import api, fields, models


class LcoMeeting(models.Model):
    """The method's figure on the meeting: whether someone of the client's
    own network sat at the table (an attendee present whose participant is
    linked from a network member of kind network)."""

    _inherit = "lco.meeting"

    has_network_present = fields.Boolean(
        "Network Present",
        compute="_compute_has_network_present",
        store=True,
        help="At least one person of the client's own network was present.",
    )
    # The same as a number, averaged in the figures: the share of meetings.
    network_present_share = fields.Integer(
        "Share with Network Present (%)",
        compute="_compute_has_network_present",
        store=True,
        aggregator="avg",
    )

    @api.depends(
        "attendee_ids.status",
        "attendee_ids.participant_id.network_member_ids.kind",
    )
    def _compute_has_network_present(self):
        for meeting in self:
            meeting.has_network_present = any(
                attendee.status == "present"
                and "network"
                in attendee.participant_id.network_member_ids.mapped("kind")
                for attendee in meeting.attendee_ids
            )
            meeting.network_present_share = 100 if meeting.has_network_present else 0
