from odoo import api, fields, models


class ReportLcoBottleneck(models.AbstractModel):
    """The anonymised bottleneck report, for policy makers: per bottleneck
    what it is and how many cases and organisations hit it in the period.

    Only the bottleneck's own fields and counts reach it: never a case, a
    client, a participant or a meeting.
    """

    _name = "report.lco_module.report_lco_bottleneck"
    _description = "Bottleneck Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        data = data or {}
        # Printed from the wizard, the web client sends the ids in the data.
        bottlenecks = self.env["lco.bottleneck"].browse(
            docids or data.get("bottleneck_ids") or []
        )
        bottlenecks.check_access("read")
        # The organisations the user works for, that he chose (or those he
        # works in now when printing from the list).
        companies = self.env.user.company_ids & (
            self.env["res.company"].browse(data.get("company_ids") or [])
            or self.env.companies
        )
        date_from = fields.Date.to_date(data.get("date_from"))
        date_to = fields.Date.to_date(data.get("date_to"))
        return {
            "doc_ids": bottlenecks.ids,
            "doc_model": "lco.bottleneck",
            "docs": bottlenecks,
            "companies": companies,
            "date_from": date_from,
            "date_to": date_to,
            "figures": self._figures(bottlenecks, companies, date_from, date_to),
            # The organisation's language, else that of the user who prints it
            # ("lang" is QWeb's own).
            "report_lang": self._report_lang(companies),
        }

    @api.model
    def _report_lang(self, companies):
        """The language of the organisation the user works in (or the first
        he prints for), else his own."""
        company = self.env.company & companies or companies[:1]
        return company._lco_lang(self.env.user.lang)

    @api.model
    def _figures(self, bottlenecks, companies, date_from, date_to):
        """Per bottleneck id: the number of cases and organisations that hit it
        and when first and last, counting the cases of ``companies`` in the
        period only."""
        domain = [
            ("bottleneck_id", "in", bottlenecks.ids),
            ("company_id", "in", companies.ids),
        ]
        if date_from:
            domain.append(("date", ">=", date_from))
        if date_to:
            domain.append(("date", "<=", date_to))
        # Counts of the cases of the user's own organisations, of bottlenecks he
        # reads (checked above): as superuser, because a coordinator reads the
        # links of the cases he runs only. Only numbers and dates come out.
        groups = (
            self.env["lco.bottleneck.occurrence"]
            .sudo()
            ._read_group(
                domain,
                ["bottleneck_id"],
                [
                    "case_id:count_distinct",
                    "company_id:count_distinct",
                    "date:min",
                    "date:max",
                ],
            )
        )
        figures = {
            bottleneck.id: {
                "cases": cases,
                "companies": company_count,
                "first": first,
                "last": last,
            }
            for bottleneck, cases, company_count, first, last in groups
        }
        empty = {"cases": 0, "companies": 0, "first": False, "last": False}
        return {id_: figures.get(id_, empty) for id_ in bottlenecks.ids}
