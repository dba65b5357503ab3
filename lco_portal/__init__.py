from odoo.addons.lco_module import _close_demo_logins

from . import controllers, models, wizard


def uninstall_hook(env):
    """The portal demo users' password is their login: they must not stay
    usable once lco_portal goes (lco_module's hook closes its own)."""
    _close_demo_logins(env, module="lco_portal")
