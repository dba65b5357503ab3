from odoo import fields, models
from odoo.tools import SQL


class LcoFigureCaseMonth(models.Model):
    """Cases counted per organisation, month requested, coordinator, status,
    reason and month closed: the case figures and the closed-case figures."""

    _name = "lco.figure.case.month"
    _inherit = "lco.figure.month"
    _description = "Case Figures per Month"
    _log_access = False
    _order = "month desc, id"

    kind = fields.Selection(
        lambda self: self._figure_source_selection("lco.case", "kind"),
        readonly=True,
    )
    state = fields.Selection(
        lambda self: self._figure_source_selection("lco.case", "state"),
        "Status",
        readonly=True,
    )
    close_reason_id = fields.Many2one("lco.close.reason", readonly=True)
    closed_month = fields.Date("Closed On", readonly=True)
    # The measures: the average of the cases a row counts (see
    # _figure_averages), from the totals below.
    held_meeting_count = fields.Float("Meetings Held", readonly=True, aggregator="avg")
    days_to_first_meeting = fields.Float(
        "Days to First Meeting", readonly=True, aggregator="avg"
    )
    days_to_close = fields.Float("Days to Close", readonly=True, aggregator="avg")
    held_meeting_total = fields.Integer(readonly=True, aggregator=None)
    held_meeting_cases = fields.Integer(readonly=True, aggregator=None)
    days_to_first_meeting_total = fields.Integer(readonly=True, aggregator=None)
    days_to_first_meeting_cases = fields.Integer(readonly=True, aggregator=None)
    days_to_close_total = fields.Integer(readonly=True, aggregator=None)
    days_to_close_cases = fields.Integer(readonly=True, aggregator=None)

    _figure_averages = {
        "held_meeting_count": ("held_meeting_total", "held_meeting_cases"),
        "days_to_first_meeting": (
            "days_to_first_meeting_total",
            "days_to_first_meeting_cases",
        ),
        "days_to_close": ("days_to_close_total", "days_to_close_cases"),
    }

    def _figure_select(self, company_id):
        return SQL(
            """
            SELECT company_id,
                   date_trunc('month', date_requested)::date AS month,
                   coordinator_id, kind, state, close_reason_id,
                   date_trunc('month', date_closed)::date AS closed_month,
                   COUNT(*) AS record_count,
                   AVG(held_meeting_count) AS held_meeting_count,
                   AVG(days_to_first_meeting) AS days_to_first_meeting,
                   AVG(days_to_close) AS days_to_close,
                   SUM(held_meeting_count) AS held_meeting_total,
                   COUNT(held_meeting_count) AS held_meeting_cases,
                   SUM(days_to_first_meeting) AS days_to_first_meeting_total,
                   COUNT(days_to_first_meeting) AS days_to_first_meeting_cases,
                   SUM(days_to_close) AS days_to_close_total,
                   COUNT(days_to_close) AS days_to_close_cases
              FROM lco_case
             WHERE company_id = %s
          GROUP BY 1, 2, 3, 4, 5, 6, 7
            """,
            company_id,
        )
