from odoo import api, models
from odoo.osv import expression

from .lco_case_thread import LCO_THREAD_MODELS, lco_readable_records


class MailFollowers(models.Model):
    _inherit = "mail.followers"

    @api.model
    def _search(self, domain, *args, **kwargs):
        """Prevents an employee listing who follows a client consultation
        record (or bottleneck) he may not read."""
        # Odoo lets every employee read every follower row, and a row tells who
        # follows which case: for client consultation records, only the
        # followers of records the user may read (reading goes through here).
        if not self.env.su:
            # A bottleneck is read by every organisation that met it; who
            # follows it up is for the organisation that recorded it.
            Bottleneck = self.env["lco.bottleneck"]
            bottlenecks = (
                Bottleneck._search([("company_id", "in", self.env.companies.ids)])
                if Bottleneck.has_access("read")
                else []
            )
            readable = expression.OR(
                [
                    [("res_model", "not in", (*LCO_THREAD_MODELS, "lco.bottleneck"))],
                    [
                        ("res_model", "=", "lco.bottleneck"),
                        ("res_id", "in", bottlenecks),
                    ],
                    *(
                        [("res_model", "=", model), ("res_id", "in", query)]
                        for model, query in lco_readable_records(self.env)
                    ),
                ]
            )
            domain = expression.AND([domain, readable])
        return super()._search(domain, *args, **kwargs)
