from odoo import api, models
from odoo.osv import expression

from .lco_case_thread import LCO_THREAD_MODELS, lco_readable_records


class MailNotification(models.Model):
    _inherit = "mail.notification"

    @api.model
    def _search(self, domain, *args, **kwargs):
        """Prevents an employee reading the notifications (and through them
        the messages) of client consultation records he may not read."""
        # Odoo lets every employee read every notification row, and a row shows
        # its message: for client consultation records, one's own and those of
        # the messages of records the user may read (reading goes through here).
        if not self.env.su:
            # sudo: plain subqueries on the messages; the records' own rules
            # decide through lco_readable_records.
            messages = self.env["mail.message"].sudo()
            partner_id = self.env.user.partner_id.id
            readable_messages = messages._search(
                expression.OR(
                    [("model", "=", model), ("res_id", "in", query)]
                    for model, query in lco_readable_records(self.env)
                )
            )
            readable = [
                "|",
                "|",
                "|",
                (
                    "mail_message_id",
                    "not in",
                    messages._search([("model", "in", LCO_THREAD_MODELS)]),
                ),
                ("res_partner_id", "=", partner_id),
                ("author_id", "=", partner_id),
                ("mail_message_id", "in", readable_messages),
            ]
            domain = expression.AND([domain, readable])
        return super()._search(domain, *args, **kwargs)
