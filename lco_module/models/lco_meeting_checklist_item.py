from odoo import api, fields, models


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
    case_check = fields.Selection(related="question_id.case_check")
    is_done = fields.Boolean(
        "Done", compute="_compute_is_done", store=True, readonly=False
    )
    note = fields.Char(help="What was agreed with the client or the requester.")

    @api.depends("question_id.case_check", "case_id.pivot_id", "case_id.has_consent")
    def _compute_is_done(self):
        for item in self:
            check = item.question_id.case_check
            # What a past meeting recorded stays as it was.
            if not check or item.meeting_id.state not in ("draft", "scheduled", False):
                item.is_done = item.is_done
            elif check == "pivot":
                item.is_done = bool(item.case_id.pivot_id)
            else:
                item.is_done = item.case_id.has_consent
