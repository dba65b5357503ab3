from odoo.addons.lco_module import _close_demo_logins

from . import controllers, models, wizard


def uninstall_hook(env):
    """The portal demo users' password is their login: they must not stay
    usable once lco_portal goes (lco_module's hook closes its own). Who read
    a case stays named in the access log, a legal record: the archived demo
    users stay, no longer lco_portal's, instead of a deletion that fails."""
    _close_demo_logins(env, module="lco_portal")
    data = env["ir.model.data"].search(
        [("module", "=", "lco_portal"), ("model", "=", "res.users")]
    )
    kept = (
        env["res.users"].with_context(active_test=False).browse(data.mapped("res_id"))
    )
    # Their logins free again for a reinstall's demo.
    for user in kept.exists():
        user.login = f"{user.login}-archived-{user.id}"
    data.unlink()
