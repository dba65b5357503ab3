from odoo import models


class PortalWizardUser(models.TransientModel):
    _inherit = "portal.wizard.user"

    def action_grant_access(self):
        res = super().action_grant_access()
        # Who opens his consultations in the portal now no longer follows
        # their chatter (lco.case._lco_sync_followers).
        # sudo: the cases this person takes part in, whose access the user
        # just granted (the wizard checked his rights); only their followers.
        self.env["lco.participant"].sudo().search(
            [("partner_id", "in", self.partner_id.ids)]
        ).case_id._lco_sync_followers()
        return res
