from markupsafe import Markup

from odoo import api, fields, models


class LcoMeetingSchedule(models.TransientModel):
    _name = "lco.meeting.schedule"
    _description = "Schedule a Meeting Whose Preparation Is Incomplete"

    meeting_ids = fields.Many2many("lco.meeting", string="Meetings", required=True)
    # Computed as the user (non-stored fields are not computed as superuser):
    # he reads only the meetings he may run.
    issues = fields.Html(compute="_compute_issues", sanitize=False)

    @api.depends("meeting_ids")
    def _compute_issues(self):
        for wizard in self:
            wizard.issues = Markup().join(
                Markup("<p><strong>%s</strong></p><ul>%s</ul>")
                % (
                    meeting.display_name,
                    Markup().join(
                        Markup("<li>%s</li>") % issue
                        for issue in meeting._get_preparation_issues()
                    ),
                )
                for meeting in wizard.meeting_ids.filtered("preparation_issues")
            )

    @api.model_create_multi
    def create(self, vals_list):
        wizards = super().create(vals_list)
        # Opened on meetings the user may schedule, or not at all. sudo: only
        # to see every meeting given, including those the user may not read
        # (reading meeting_ids as the user would quietly leave them out).
        wizards.sudo().meeting_ids.sudo(False).check_access("write")
        return wizards

    def action_schedule(self):
        self.meeting_ids.check_access("write")
        self.meeting_ids.with_context(lco_schedule_confirmed=True).action_schedule()
        return {"type": "ir.actions.act_window_close"}
