from markupsafe import Markup

from odoo import api, fields, models


class LcoMeetingSchedule(models.TransientModel):
    _name = "lco.meeting.schedule"
    _description = "Schedule a Meeting Whose Preparation Is Incomplete"

    meeting_ids = fields.Many2many("lco.meeting", string="Meetings", required=True)
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

    def action_schedule(self):
        self.meeting_ids.with_context(lco_schedule_confirmed=True).action_schedule()
        return {"type": "ir.actions.act_window_close"}
