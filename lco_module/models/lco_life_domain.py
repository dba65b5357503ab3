from odoo import fields, models


class LcoLifeDomain(models.Model):
    _name = "lco.life.domain"
    _inherit = ["lco.checked.input"]
    _description = "Life Domain"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    color = fields.Integer()
    active = fields.Boolean(default=True)
