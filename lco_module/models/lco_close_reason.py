from odoo import fields, models


class LcoCloseReason(models.Model):
    _name = "lco.close.reason"
    _inherit = ["lco.checked.input"]
    _description = "Case Close Reason"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
