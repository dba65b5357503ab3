from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    birthdate_date = fields.Date(
        "Birth Date",
        help="Tells two people with the same name apart when a request for a "
        "client consultation is matched with the existing contacts.",
    )
