from odoo import models


class LcoAccessLogged(models.AbstractModel):
    """Records about a client whose opening and export is written in the
    access log (lco.access.log)."""

    _name = "lco.access.logged"
    _description = "Client Consultation Record in the Access Log"

    def web_read(self, specification):
        result = super().web_read(specification)
        self.env["lco.access.log"]._log(self, "open")
        return result

    # Opening a form writes the access log: not a read-only call (see
    # web.controllers.dataset._call_kw_readonly).
    web_read._readonly = False

    def export_data(self, fields_to_export):
        result = super().export_data(fields_to_export)
        self.env["lco.access.log"]._log(
            self, "export", detail=", ".join(fields_to_export)[:200]
        )
        return result
