from odoo import api, models
from odoo.tools import mute_logger


class IrModelData(models.Model):
    _inherit = "ir.model.data"

    @api.model
    def _module_data_uninstall(self, modules_to_remove):
        """Prevents PostgreSQL's refusals of deleting still-used data being
        logged as errors when the addon is uninstalled.

        Uninstalling the addon, Odoo deletes each record of its data in a
        savepoint and keeps those still referenced: after use, the demo users
        (archived with a new password by the uninstall hook), their contacts
        and organisations. PostgreSQL's refusals of those deletes are part of
        that path, not errors: not logged as "bad query"."""
        if "lco_module" not in modules_to_remove:
            return super()._module_data_uninstall(modules_to_remove)
        with mute_logger("odoo.sql_db"):
            return super()._module_data_uninstall(modules_to_remove)
