from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .lco_request import RATE_LIMIT_DEFAULT, RATE_LIMIT_PARAM


def check_rate_limit(env, rate_limit):
    """The public form's rate limit, as either settings screen saves it: at
    least one request."""
    if rate_limit < 1:
        raise ValidationError(
            env._(
                "The public form accepts at least one request per hour from an "
                "address: give a number of 1 or more."
            )
        )


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    lco_request_rate_limit = fields.Integer(
        "Public Requests per Hour and Address",
        config_parameter=RATE_LIMIT_PARAM,
        default=RATE_LIMIT_DEFAULT,
        help="How many requests the public form accepts from one internet address "
        "in an hour; more are refused until the hour has passed.",
    )

    @api.constrains("lco_request_rate_limit")
    def _check_lco_request_rate_limit(self):
        for settings in self:
            check_rate_limit(self.env, settings.lco_request_rate_limit)
