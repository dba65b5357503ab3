from odoo import fields, models


class LcoMeetingChecklistItem(models.Model):
    _name = "lco.meeting.checklist.item"
    _description = "Preparation Checklist Item"
    _inherit = ["lco.meeting.line.mixin"]
    _order = "meeting_id, sequence, id"

    question_id = fields.Many2one(
        "lco.checklist.question",
        required=True,
        ondelete="restrict",
        help="Questions in use are archived rather than deleted.",
    )
    sequence = fields.Integer(default=10)
    tip = fields.Text(related="question_id.description")
    is_done = fields.Boolean("Done")
    note = fields.Char(help="What was agreed with the client or the requester.")
