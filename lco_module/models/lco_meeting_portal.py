from odoo import fields, models

from .portal_rules import INTERNAL


class LcoMeeting(models.Model):
    _inherit = "lco.meeting"

    client_perspective = fields.Text(groups=INTERNAL)
    went_well = fields.Text(groups=INTERNAL)
    strengths = fields.Text(groups=INTERNAL)
    minutes = fields.Html(groups=INTERNAL)
    checklist_item_ids = fields.One2many(groups=INTERNAL)
    checklist_progress = fields.Float(groups=INTERNAL)
    paper_attendee_ids = fields.Many2many(groups=INTERNAL)
    calendar_event_id = fields.Many2one(groups=INTERNAL)

    def _compute_preparation_issues(self):
        if self.env.user.share:
            # The preparation is for who runs the meeting.
            self.preparation_issues = False
            return
        super()._compute_preparation_issues()

    def _compute_double_booking(self):
        if self.env.user.share:
            # Other people's agendas are not for portal users.
            self.double_booking = False
            return
        super()._compute_double_booking()
