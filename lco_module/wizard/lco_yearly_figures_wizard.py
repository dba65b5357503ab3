from odoo import api, fields, models
from odoo.exceptions import ValidationError


class LcoYearlyFiguresWizard(models.TransientModel):
    """Print the figures of a calendar year, beside the year before, for one
    or more of the user's organisations."""

    _name = "lco.yearly.figures.wizard"
    _description = "Yearly Figures"

    year = fields.Integer(
        required=True,
        default=lambda self: fields.Date.context_today(self).year - 1,
    )
    # The organisation whose letterhead the report carries.
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    company_ids = fields.Many2many(
        "res.company",
        string="Organisations",
        required=True,
        default=lambda self: self.env.companies,
        domain=lambda self: [("id", "in", self.env.user.company_ids.ids)],
    )

    @api.constrains("year")
    def _check_year(self):
        if any(not 2000 <= wizard.year <= 2100 for wizard in self):
            raise ValidationError(self.env._("Choose a year between 2000 and 2100."))

    def action_print(self):
        self.ensure_one()
        return self.env.ref(
            "lco_module.action_report_lco_yearly_figures"
        ).report_action(self)
