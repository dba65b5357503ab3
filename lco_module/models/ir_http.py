from odoo import models

from ..tools.constants import USER_GROUP


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    def session_info(self):
        """The addon's users open Odoo on their work.

        The users of the client consultation open Odoo on their work in it,
        unless they chose another home action. Administrators keep Odoo's own
        first app."""
        info = super().session_info()
        user = self.env.user
        if (
            not info.get("home_action_id")
            and user.has_group(USER_GROUP)
            and not user.has_group("base.group_system")
        ):
            info["home_action_id"] = self.env.ref("lco_module.action_lco_my_work").id
        return info
