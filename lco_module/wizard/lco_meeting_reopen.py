from odoo import fields, models


class LcoMeetingReopen(models.TransientModel):
    _name = "lco.meeting.reopen"
    _description = "Reopen a Reported Meeting"

    meeting_ids = fields.Many2many("lco.meeting", string="Meetings", required=True)
    reason = fields.Text(
        required=True, help="What is corrected: it stays in the meeting's chatter."
    )

    def action_reopen(self):
        self.ensure_one()
        self.meeting_ids.check_access("write")
        self.meeting_ids._reopen(self.reason)
        return {"type": "ir.actions.act_window_close"}
