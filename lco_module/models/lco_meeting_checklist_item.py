from odoo import fields, models


class LcoMeetingChecklistItem(models.Model):
    _name = "lco.meeting.checklist.item"
    _description = "Preparation Checklist Item"
    _order = "meeting_id, sequence, id"
    _check_company_auto = True

    meeting_id = fields.Many2one(
        "lco.meeting", required=True, index=True, ondelete="cascade"
    )
    case_id = fields.Many2one(
        related="meeting_id.case_id",
        store=True,
        index=True,
        precompute=True,
        # Deleting a case deletes its meetings with their checklists; "set null"
        # here would make PostgreSQL refuse to delete the case.
        ondelete="cascade",
    )
    company_id = fields.Many2one(
        related="meeting_id.company_id", store=True, index=True, precompute=True
    )
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
