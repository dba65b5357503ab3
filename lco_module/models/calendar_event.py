from odoo import api, models


class CalendarEvent(models.Model):
    _inherit = "calendar.event"

    @api.model
    def _get_activity_excluded_models(self):
        # A consultation meeting is followed through its states, not through a
        # "meeting" activity for its chair.
        return [*super()._get_activity_excluded_models(), "lco.meeting"]
