from odoo import models


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    def _merge(self, partner_ids, dst_partner=None, extra_checks=True):
        """Prevents merging away a participant's contact by someone who may
        not change it."""
        # Merging moves the participants of the merged contacts to another one.
        self.env["res.partner"].browse(partner_ids)._check_lco_contact_editable()
        return super()._merge(partner_ids, dst_partner, extra_checks)
