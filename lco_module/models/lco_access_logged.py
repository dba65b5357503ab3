from contextvars import ContextVar

from odoo import api, models

# Set while a list is read: its rows are not opened (web_search_read reads them
# through web_read). A context key would let the caller switch the log off.
LISTING = ContextVar("lco_access_log_listing", default=False)


class LcoAccessLogged(models.AbstractModel):
    """Records about a client whose opening and export is written in the
    access log (lco.access.log)."""

    _name = "lco.access.logged"
    _description = "Client Consultation Record in the Access Log"

    def web_read(self, specification):
        result = super().web_read(specification)
        if not LISTING.get():
            self.env["lco.access.log"]._log(self, "open")
        return result

    # Opening a form writes the access log: not a read-only call (see
    # web.controllers.dataset._call_kw_readonly).
    web_read._readonly = False

    @api.model
    def web_search_read(self, *args, **kwargs):
        token = LISTING.set(True)
        try:
            return super().web_search_read(*args, **kwargs)
        finally:
            LISTING.reset(token)

    def export_data(self, fields_to_export):
        result = super().export_data(fields_to_export)
        self.env["lco.access.log"]._log(
            self, "export", detail=", ".join(fields_to_export)[:200]
        )
        return result
