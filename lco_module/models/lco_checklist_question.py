from odoo import fields, models


class LcoChecklistQuestion(models.Model):
    _name = "lco.checklist.question"
    _inherit = ["lco.checked.input"]
    _description = "Preparation Checklist Question"
    _order = "sequence, id"

    name = fields.Char("Question", required=True, translate=True)
    sequence = fields.Integer(default=10)
    description = fields.Text(
        "Tip", translate=True, help="What to look out for when asking this question."
    )
    company_id = fields.Many2one(
        "res.company",
        "Organisation",
        index=True,
        help="Leave empty to ask this question in every organisation.",
    )
    active = fields.Boolean(default=True)
    case_check = fields.Selection(
        [("pivot", "Pivot Figure"), ("consent", "Client's Consent")],
        "Answered by the Case",
        help="Ticked in every meeting from what the case records, instead of by hand.",
    )

    def _for_company(self, company):
        """The active questions that the meetings of ``company`` start from."""
        return self.search([("company_id", "in", [False, company.id])])
