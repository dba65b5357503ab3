from odoo import fields, models


class LcoChairAssignLine(models.TransientModel):
    _name = "lco.chair.assign.line"
    _description = "Chair in the Ranking"
    _order = "sequence, id"

    wizard_id = fields.Many2one(
        "lco.chair.assign", "Proposal Window", required=True, ondelete="cascade"
    )
    sequence = fields.Integer("Rank")
    chair_id = fields.Many2one("lco.chair", required=True, readonly=True)
    in_region = fields.Boolean("In the Region", readonly=True)
    speaks = fields.Boolean("Speaks the Language", readonly=True)
    load = fields.Integer("Open Cases", readonly=True)
    capacity = fields.Integer("Cases at Once", readonly=True)
    reasons = fields.Text(readonly=True)
