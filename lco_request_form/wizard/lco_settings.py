from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..models.lco_request import RATE_LIMIT_DEFAULT, RATE_LIMIT_PARAM


class LcoSettings(models.TransientModel):
    """The settings screen also holds the public form's rate limit."""

    _inherit = "lco.settings"

    request_rate_limit = fields.Integer(
        "Public Requests per Hour and Address",
        config_parameter=RATE_LIMIT_PARAM,
        default=RATE_LIMIT_DEFAULT,
        help="How many requests the public form accepts from one internet address "
        "in an hour; more are refused until the hour has passed.",
    )

    @api.constrains("request_rate_limit")
    def _check_request_rate_limit(self):
        if any(settings.request_rate_limit < 1 for settings in self):
            raise ValidationError(
                self.env._(
                    "The public form accepts at least one request per hour from an "
                    "address: give a number of 1 or more."
                )
            )
