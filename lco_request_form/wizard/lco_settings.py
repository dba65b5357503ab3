from odoo import api, fields, models

from odoo.addons.lco_module.tools.config_param import int_param

from ..models.lco_request import RATE_LIMIT_DEFAULT, RATE_LIMIT_PARAM
from ..models.res_config_settings import check_rate_limit


class LcoSettings(models.TransientModel):
    """The LCO manager also sets the public form's rate limit."""

    _inherit = "lco.settings"

    request_rate_limit = fields.Integer(
        "Public Requests per Hour and Address",
        help="How many requests the public form accepts from one internet address "
        "in an hour; more are refused until the hour has passed.",
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if "request_rate_limit" in fields_list:
            values["request_rate_limit"] = int_param(
                self.env, RATE_LIMIT_PARAM, RATE_LIMIT_DEFAULT
            )
        return values

    def execute(self):
        check_rate_limit(self.env, self.request_rate_limit)
        # The base checks that the user is a manager of this organisation.
        action = super().execute()
        # sudo: only system administrators write parameters; the manager was
        # checked by the base's execute above.
        self.env["ir.config_parameter"].sudo().set_param(
            RATE_LIMIT_PARAM, self.request_rate_limit
        )
        return action
