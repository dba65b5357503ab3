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
