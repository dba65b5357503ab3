from odoo import api, fields, models


class LcoCaseLifeDomain(models.Model):
    _name = "lco.case.life.domain"
    _inherit = ["lco.checked.input"]
    _lco_fixed_fields = ("case_id",)
    _description = "Life Domain of a Case"
    _order = "case_id, priority_order, sequence, id"
    _check_company_auto = True

    case_id = fields.Many2one("lco.case", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(
        related="case_id.company_id", store=True, index=True, precompute=True
    )
    life_domain_id = fields.Many2one(
        "lco.life.domain", required=True, ondelete="restrict"
    )
    sequence = fields.Integer(related="life_domain_id.sequence", store=True)
    priority = fields.Selection(
        [("high", "High"), ("normal", "Normal"), ("on_hold", "On Hold")],
        required=True,
        default="normal",
        help="Put a life domain on hold on purpose when it is not the time to work "
        "on it.",
    )
    priority_order = fields.Integer(compute="_compute_priority_order", store=True)
    note = fields.Char()

    _sql_constraints = [
        (
            "case_domain_uniq",
            "unique(case_id, life_domain_id)",
            "A life domain is listed only once per case.",
        ),
    ]

    @api.depends("priority")
    def _compute_priority_order(self):
        order = {"high": 0, "normal": 1, "on_hold": 2}
        for line in self:
            line.priority_order = order[line.priority]
