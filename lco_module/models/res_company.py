from odoo import api, models


class ResCompany(models.Model):
    _inherit = "res.company"

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies._create_lco_case_sequence()
        return companies

    def _create_lco_case_sequence(self):
        """Give every company its own case numbering (LCO/2026/0001, ...)."""
        # sudo: whoever may create a company may give it its numbering; only
        # system administrators may create sequences themselves.
        sequences = self.env["ir.sequence"].sudo()
        numbered = sequences.search(
            [("code", "=", "lco.case"), ("company_id", "in", self.ids)]
        ).company_id
        sequences.create(
            [
                {
                    "name": self.env._("Client consultation cases of %s", company.name),
                    "code": "lco.case",
                    "prefix": "LCO/%(year)s/",
                    "padding": 4,
                    "company_id": company.id,
                }
                for company in self - numbered
            ]
        )
