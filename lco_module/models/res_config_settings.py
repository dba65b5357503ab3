from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    lco_block_unprepared_meetings = fields.Boolean(
        related="company_id.lco_block_unprepared_meetings", readonly=False
    )
    lco_agreement_reminder_days = fields.Integer(
        related="company_id.lco_agreement_reminder_days", readonly=False
    )
