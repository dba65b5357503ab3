from collections import Counter, defaultdict

from markupsafe import Markup

from odoo import api, fields, models

from ..tools.anonymisation import PERSONAL_FIELDS


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
            records = [*wizard.case_ids._origin, *wizard.request_ids._origin]
            parts = {record: record._lco_records() for record in records}
            counted = wizard._count_linked(parts)
            rows = Markup("").join(
                wizard._preview_row(record, parts[record], counted[record])
                for record in records
            )
            wizard.preview = Markup(
                '<table class="table table-sm o_lco_anonymise_preview">'
                "<thead><tr>%s</tr></thead><tbody>%s</tbody></table>"
            ) % (header, rows)

    def _count_linked(self, parts):
        """{record: Counter of its messages, files and activities}: those of
        every recordset in ``parts[record]``, counted as the user sees them, in
        one query per kind for all records."""
        owner = {
            (records._name, id_): record
            for record, recordsets in parts.items()
            for records in recordsets
            for id_ in records.ids
        }
        counted = defaultdict(Counter)
        if not owner:
            return counted
        models = list({model for model, _id in owner})
        ids = list({id_ for _model, id_ in owner})
        for kind, model, model_field in (
            ("messages", "mail.message", "model"),
            ("files", "ir.attachment", "res_model"),
            ("activities", "mail.activity", "res_model"),
        ):
            for res_model, res_id, count in self.env[model]._read_group(
                [(model_field, "in", models), ("res_id", "in", ids)],
                [model_field, "res_id"],
                ["__count"],
            ):
                if (res_model, res_id) in owner:
                    counted[owner[res_model, res_id]][kind] += count
        return counted

    def _preview_row(self, record, recordsets, counted):
        """What anonymising ``record`` removes, counted as the user sees it."""
        people = self.env["res.partner"]
        texts = events = 0
        for records in recordsets:
            for name in PERSONAL_FIELDS.get(records._name, {}):
                field = records._fields[name]
                if not field.is_accessible(self.env):
                    continue
                if field.comodel_name == "res.partner":
                    people |= records[name]
                elif field.type != "many2one":
                    texts += len(records.filtered(name))
            if records._name == "lco.meeting":
                events += len(records.calendar_event_id)
        cells = (
            record.display_name,
            ", ".join(people.mapped("display_name")) or "—",
            texts,
            counted["messages"],
            counted["files"],
            counted["activities"],
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
