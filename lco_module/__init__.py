import secrets

from odoo.tools import SQL

from . import controllers, models, report, wizard

# Settings the addon keeps as system parameters (lco.settings fields
# with config_parameter=...).
CONFIG_PARAMETER_PREFIX = "lco_module."
# Where tools/upgrade.py (make run, make upgrade) keeps the code's checksums.
UPGRADE_CHECKSUMS = "lco_tools.installed_checksums"


def uninstall_hook(env):
    """Remove what the addon made without an external id, which Odoo's
    uninstall would leave behind: the case and request numbering of every company (made
    by res.company._create_lco_case_sequence; a reinstall would restart it
    beside the old one), the addon's settings (the organisation for
    unrouted requests would point at a company that may no longer exist) and
    the checksums of the code tools/upgrade.py recorded; and it closes the demo
    logins."""
    _close_demo_logins(env)
    env["ir.sequence"].search(
        [
            "|",
            ("code", "=", "lco.case"),
            "&",
            ("code", "=", "lco.request"),
            ("company_id", "!=", False),
        ]
    ).unlink()
    env["ir.config_parameter"].search(
        [
            "|",
            ("key", "=like", CONFIG_PARAMETER_PREFIX.replace("_", "\\_") + "%"),
            ("key", "=", UPGRADE_CHECKSUMS),
        ]
    ).unlink()
    # The trigram indexes on the contacts' names (res.partner's init()).
    env.cr.execute(
        "SELECT indexname FROM pg_indexes WHERE tablename = 'res_partner'"
        " AND indexname LIKE %s",
        ["%\\_lco\\_trigram\\_index"],
    )
    for (index,) in env.cr.fetchall():
        env.cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(index)))


def _close_demo_logins(env, module="lco_module"):
    """The demo users' password is their login: they must not stay usable.
    Archived, with a random password, before Odoo's uninstall deletes them
    (which it cannot where they left traces: messages, cases of other
    modules), so that no demo login outlives the addon."""
    data = env["ir.model.data"].search(
        [("module", "=", module), ("model", "=", "res.users")]
    )
    users = (
        env["res.users"].with_context(active_test=False).browse(data.mapped("res_id"))
    )
    users = users.exists()
    for user in users:
        user.write({"password": secrets.token_urlsafe(32), "active": False})
    # Their contacts too, unless another (active) user shares one.
    users.partner_id.filtered(lambda partner: not partner.user_ids).active = False
