from odoo import api, fields, models
from odoo.exceptions import UserError


class LcoMeetingLineMixin(models.AbstractModel):
    """What belongs to one meeting (attendance, agenda, checklist) and follows
    its meeting's case and organisation."""

    _name = "lco.meeting.line.mixin"
    _inherit = ["lco.checked.input"]
    _description = "Part of a Meeting"
    _check_company_auto = True
    # The fields of a line that the meeting's calendar invitation shows: a
    # change to them updates the invitation.
    _calendar_fields = ()

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

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            self.env["lco.meeting"].browse(
                {vals["meeting_id"] for vals in vals_list if vals.get("meeting_id")}
            )._check_not_reported()
        lines = super().create(vals_list)
        if self._calendar_fields:
            lines.meeting_id._sync_calendar_event()
        return lines

    def write(self, vals):
        if "meeting_id" in vals and any(
            line.meeting_id.id != vals["meeting_id"] for line in self
        ):
            raise UserError(
                self.env._(
                    "Attendance, agenda items and checklist lines stay with their "
                    "meeting: remove the line there and add it to the other meeting."
                )
            )
        if not self.env.su:
            self.meeting_id._check_not_reported()
        res = super().write(vals)
        if set(self._calendar_fields) & set(vals):
            self.meeting_id._sync_calendar_event()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_reported(self):
        if not self.env.su:
            self.meeting_id._check_not_reported()

    def unlink(self):
        meetings = (
            self.meeting_id if self._calendar_fields else self.meeting_id.browse()
        )
        res = super().unlink()
        meetings._sync_calendar_event()
        return res
