from markupsafe import Markup

from odoo import api, fields, models

from ..models.anonymisation import PERSONAL_FIELDS


class LcoAnonymiseWizard(models.TransientModel):
    """Anonymise closed cases or ended requests now, after a preview of what
    goes."""

    _name = "lco.anonymise.wizard"
    _description = "Anonymise Client Consultation Records"

    case_ids = fields.Many2many("lco.case", string="Cases")
    request_ids = fields.Many2many("lco.request", string="Requests")
    preview = fields.Html(
        "What Will Be Removed", compute="_compute_preview", sanitize=False
    )

    @api.depends("case_ids", "request_ids")
    def _compute_preview(self):
        header = Markup("").join(
            Markup("<th>%s</th>") % title
            for title in (
                self.env._("Record"),
                self.env._("People Unlinked"),
                self.env._("Texts"),
                self.env._("Messages"),
                self.env._("Files"),
                self.env._("Activities"),
                self.env._("Calendar Events"),
            )
        )
        for wizard in self:
            rows = Markup("").join(
                wizard._preview_row(record)
                for record in (*wizard.case_ids, *wizard.request_ids)
            )
            wizard.preview = Markup(
                '<table class="table table-sm o_lco_anonymise_preview">'
                "<thead><tr>%s</tr></thead><tbody>%s</tbody></table>"
            ) % (header, rows)

    def _preview_row(self, record):
        """What anonymising ``record`` removes, counted as the user sees it."""
        people = self.env["res.partner"]
        texts = messages = files = activities = events = 0
        for records in record._origin._lco_records():
            on_records = [
                ("res_model", "=", records._name),
                ("res_id", "in", records.ids),
            ]
            personal = PERSONAL_FIELDS.get(records._name, {})
            for name in personal:
                field = records._fields[name]
                if not field.is_accessible(self.env):
                    continue
                if field.comodel_name == "res.partner":
                    people |= records[name]
                elif field.type != "many2one":
                    texts += len(records.filtered(name))
            messages += self.env["mail.message"].search_count(
                [("model", "=", records._name), ("res_id", "in", records.ids)]
            )
            files += self.env["ir.attachment"].search_count(on_records)
            activities += self.env["mail.activity"].search_count(on_records)
            if records._name == "lco.meeting":
                events += len(records.calendar_event_id)
        cells = (
            record.display_name,
            ", ".join(people.mapped("display_name")) or "—",
            texts,
            messages,
            files,
            activities,
            events,
        )
        return Markup("<tr>%s</tr>") % Markup("").join(
            Markup("<td>%s</td>") % cell for cell in cells
        )

    def action_anonymise(self):
        self.ensure_one()
        self.case_ids._lco_anonymise()
        self.request_ids._lco_anonymise()
        return {"type": "ir.actions.act_window_close"}
