from odoo import fields, models


class LcoMeetingLineMixin(models.AbstractModel):
    """What belongs to one meeting (attendance, agenda, checklist) and follows
    its meeting's case and organisation."""

    _name = "lco.meeting.line.mixin"
    _description = "Part of a Meeting"
    _check_company_auto = True

    meeting_id = fields.Many2one(
        "lco.meeting", required=True, index=True, ondelete="cascade"
    )
    case_id = fields.Many2one(
        related="meeting_id.case_id",
        store=True,
        index=True,
        precompute=True,
        # Deleting a case deletes its meetings with all that belongs to them;
        # "set null" here would make PostgreSQL refuse to delete the case.
        ondelete="cascade",
    )
    company_id = fields.Many2one(
        related="meeting_id.company_id", store=True, index=True, precompute=True
    )
