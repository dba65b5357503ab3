from odoo import fields, models
from odoo.tools import SQL


class LcoFigureRequestMonth(models.Model):
    """Requests counted per organisation, month received, intake
    coordinator, channel, status, kind, urgency, routing and month decided:
    the request figures and the yearly figures' requests."""

    _name = "lco.figure.request.month"
    _inherit = "lco.figure.month"
    _description = "Request Figures per Month"
    _log_access = False
    _order = "month desc, id"

    # The request's intake coordinator (user_id on the request).
    coordinator_id = fields.Many2one("res.users", "Intake Coordinator")
    channel = fields.Selection(
        lambda self: self._figure_source_selection("lco.request", "channel"),
        readonly=True,
    )
    state = fields.Selection(
        lambda self: self._figure_source_selection("lco.request", "state"),
        "Status",
        readonly=True,
    )
    kind = fields.Selection(
        lambda self: self._figure_source_selection("lco.request", "kind"),
        readonly=True,
    )
    urgency = fields.Selection(
        lambda self: self._figure_source_selection("lco.request", "urgency"),
        readonly=True,
    )
    is_unrouted = fields.Boolean("Postcode Not Routed", readonly=True)
    decided_month = fields.Date("Decided On", readonly=True)
    # The measure: the average of the requests a row counts (see
    # _figure_averages), from the totals below.
    days_to_decision = fields.Float(readonly=True, aggregator="avg")
    days_to_decision_total = fields.Integer(readonly=True, aggregator=None)
    days_to_decision_requests = fields.Integer(readonly=True, aggregator=None)

    _figure_averages = {
        "days_to_decision": ("days_to_decision_total", "days_to_decision_requests"),
    }

    def _figure_select(self, company_id):
        # Months in UTC, as the yearly figures count a year.
        return SQL(
            """
            SELECT company_id,
                   date_trunc('month', date_received)::date AS month,
                   user_id AS coordinator_id,
                   channel, state, kind, urgency,
                   COALESCE(is_unrouted, FALSE) AS is_unrouted,
                   date_trunc('month', date_decided)::date AS decided_month,
                   COUNT(*) AS record_count,
                   AVG(days_to_decision) AS days_to_decision,
                   SUM(days_to_decision) AS days_to_decision_total,
                   COUNT(days_to_decision) AS days_to_decision_requests
              FROM lco_request
             WHERE company_id = %s
          GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
            """,
            company_id,
        )
