from odoo.exceptions import ValidationError


def int_param(env, key, default):
    """The addon's integer system parameter ``key``, or ``default`` when it is
    unset or not a number."""
    # sudo: only administrators read system parameters; these are the addon's
    # own settings, read by its code for any user.
    value = env["ir.config_parameter"].sudo().get_param(key)
    try:
        return int(value) if value else default
    except ValueError:
        return default


def check_log_months(env, log_months):
    """The access log's period, as either settings screen saves it: at least
    one month."""
    if log_months < 1:
        raise ValidationError(
            env._(
                "The access log is kept at least one month: give a number of 1 or more."
            )
        )
