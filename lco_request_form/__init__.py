from . import controllers, models, wizard
from .models.lco_request import RATE_LIMIT_PARAM


def uninstall_hook(env):
    """The rate limit is a system parameter, which Odoo's uninstall leaves
    behind."""
    env["ir.config_parameter"].search([("key", "=", RATE_LIMIT_PARAM)]).unlink()
