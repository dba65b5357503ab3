from odoo import fields, models


class LcoChairIntervision(models.Model):
    """An intervision session a chair of the pool took part in."""

    _name = "lco.chair.intervision"
    _description = "Chair Intervision Session"
    _order = "date desc, id desc"

    chair_id = fields.Many2one(
        "lco.chair", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(
        related="chair_id.company_id", store=True, index=True, precompute=True
    )
    date = fields.Date(required=True, default=fields.Date.context_today)
    topic = fields.Char()
