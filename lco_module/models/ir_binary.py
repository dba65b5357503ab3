from odoo import models


class IrBinary(models.AbstractModel):
    _inherit = "ir.binary"

    def _get_stream_from(self, record, field_name="raw", *args, **kwargs):
        """Prevents a download of a client consultation file without a line
        in the access log.

        A file of a client consultation record (a report sent from the
        chatter, a document attached to a meeting), downloaded through
        /web/content or /web/image, is written in the access log in the name of
        the downloader, as a print is."""
        stream = super()._get_stream_from(record, field_name, *args, **kwargs)
        if record._name == "ir.attachment":
            # sudo: the attachment's access was checked by _find_record (as the
            # user, or by its token); only where it belongs is read.
            attachment = record.sudo()
            model_name, res_id = attachment.res_model, attachment.res_id
            detail = attachment.name
        else:
            model_name, res_id, detail = record._name, record.id, field_name
        if (
            res_id
            and model_name in self.env
            and isinstance(self.env[model_name], self.pool["lco.access.logged"])
        ):
            self.env["lco.access.log"]._log(
                self.env[model_name].browse(res_id), "download", detail=detail
            )
        return stream
