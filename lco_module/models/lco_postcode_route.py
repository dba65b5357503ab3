from odoo import api, fields, models
from odoo.exceptions import ValidationError

DEFAULT_COMPANY_PARAM = "lco_module.request_default_company_id"


class LcoPostcodeRoute(models.Model):
    _name = "lco.postcode.route"
    _description = "Request Routing by Postcode"
    _inherit = ["lco.checked.input"]
    _order = "zip, id"
    _rec_name = "zip"

    zip = fields.Char("Postcode", required=True, index=True)
    city = fields.Char("Municipality")
    kind = fields.Selection(
        [
            ("local", "Local Client Consultation"),
            ("youth", "Youth-Care Client Consultation"),
        ],
        required=True,
        default="local",
        index=True,
        help="Which requests of this postcode the organisation takes in: those "
        "for a local client consultation (the OCMW) or for a youth-care one (the "
        "regional contact point).",
    )
    company_id = fields.Many2one(
        "res.company",
        "Organisation",
        required=True,
        index=True,
        default=lambda self: self.env.company,
        help="The organisation whose coordinators take in the requests of clients "
        "living at this postcode.",
    )

    _sql_constraints = [
        (
            "zip_uniq",
            "unique(zip, kind)",
            "A postcode is routed to one organisation per kind of consultation.",
        ),
    ]

    @api.constrains("zip")
    def _check_zip(self):
        for route in self:
            if route.zip != self._normalize_zip(route.zip):
                raise ValidationError(
                    self.env._(
                        "Write postcode %s as on an envelope: without spaces, "
                        "letters in capitals.",
                        route.zip,
                    )
                )

    @api.model
    def _normalize_zip(self, zip_code):
        # str(): a postcode sent over RPC as a number is routed as its digits.
        return "".join(str(zip_code or "").split()).upper()

    @api.model
    def _companies_by_zip(self, zip_codes, kind="local"):
        """Map each routed postcode of ``zip_codes`` to the organisation that
        takes in its requests of ``kind``."""
        zips = {self._normalize_zip(code) for code in zip_codes} - {""}
        if not zips:
            return {}
        # sudo: the routing table is public knowledge (which OCMW serves which
        # municipality) and routes requests of any user, or of the public form.
        routes = self.sudo().search(
            [("zip", "in", list(zips)), ("kind", "=", kind or "local")]
        )
        return {route.zip: route.company_id for route in routes}

    @api.model
    def _default_company(self):
        """Where requests go whose postcode is not in the routing table."""
        # sudo: a setting every requester's request depends on.
        company_id = (
            self.env["ir.config_parameter"].sudo().get_param(DEFAULT_COMPANY_PARAM)
        )
        company = self.env["res.company"].sudo().browse(int(company_id or 0)).exists()
        return company or self.env.company
