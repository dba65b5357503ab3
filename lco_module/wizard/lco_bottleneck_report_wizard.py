from datetime import date, timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class LcoBottleneckReportWizard(models.TransientModel):
    """Print the anonymised bottleneck report of a period, for one or more of
    the user's organisations."""

    _name = "lco.bottleneck.report.wizard"
    _description = "Bottleneck Report"

    date_from = fields.Date(
        "From",
        required=True,
        default=lambda self: date(fields.Date.context_today(self).year, 1, 1),
    )
    date_to = fields.Date("To", required=True, default=fields.Date.context_today)
    company_ids = fields.Many2many(
        "res.company",
        string="Organisations",
        required=True,
        default=lambda self: self.env.companies,
        domain=lambda self: [("id", "in", self.env.user.company_ids.ids)],
    )

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for wizard in self:
            if wizard.date_from > wizard.date_to:
                raise ValidationError(
                    self.env._("The period must end after it starts.")
                )

    def _bottlenecks(self):
        """The bottlenecks the user reads that the organisations met in the
        period, or recorded in it."""
        self.ensure_one()
        if self.company_ids - self.env.user.company_ids:
            raise UserError(self.env._("Choose only organisations you work for."))
        # Which bottlenecks the cases of these organisations hit: the
        # occurrences are read as superuser, only to select bottlenecks the
        # user reads anyway (searched below with his rights); no case is
        # returned.
        met = (
            self.env["lco.bottleneck.occurrence"]
            .sudo()
            ._read_group(
                [
                    ("company_id", "in", self.company_ids.ids),
                    ("date", ">=", self.date_from),
                    ("date", "<=", self.date_to),
                ],
                [],
                ["bottleneck_id:array_agg"],
            )[0][0]
        )
        return self.env["lco.bottleneck"].search(
            [
                "|",
                ("id", "in", [id_ for id_ in met or [] if id_]),
                "&",
                ("company_id", "in", self.company_ids.ids),
                "&",
                ("create_date", ">=", fields.Datetime.to_datetime(self.date_from)),
                (
                    "create_date",
                    "<",
                    fields.Datetime.to_datetime(self.date_to + timedelta(days=1)),
                ),
            ],
            order="kind, life_domain_id, name, id",
        )

    def _report_data(self, bottlenecks):
        return {
            "bottleneck_ids": bottlenecks.ids,
            "date_from": fields.Date.to_string(self.date_from),
            "date_to": fields.Date.to_string(self.date_to),
            "company_ids": self.company_ids.ids,
        }

    def action_print(self):
        bottlenecks = self._bottlenecks()
        if not bottlenecks:
            raise UserError(
                self.env._(
                    "No bottleneck was met or recorded in this period in these "
                    "organisations: choose a longer period or other organisations."
                )
            )
        return self.env.ref("lco_module.action_report_lco_bottleneck").report_action(
            bottlenecks, data=self._report_data(bottlenecks)
        )
