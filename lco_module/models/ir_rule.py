from odoo import api, models

# The stored membership of the cases that the record rules of the cases, of
# what belongs to them and of their calendar events read (lco_security.xml,
# calendar_security.xml).
MEMBERSHIP_FIELDS = ("lco_member_user_ids", "lco_portal_partner_ids")


class IrRule(models.Model):
    _inherit = "ir.rule"

    @api.model
    def _compute_domain(self, model_name, mode="read"):
        # Odoo 18 flushes what a search reads from the SQL it builds, but not
        # a many2many searched with "in" (osv/expression.py writes its EXISTS
        # without the field to flush): a rule on the membership would read
        # the relation table as it was before a change made earlier in the
        # same transaction (a coordinator handed over, a consent withdrawn).
        # Written first, then; nothing to write costs no query.
        if not self.env.su and (
            model_name.startswith("lco.") or model_name.startswith("calendar.")
        ):
            self.env["lco.case"].flush_model(MEMBERSHIP_FIELDS)
        return super()._compute_domain(model_name, mode)
