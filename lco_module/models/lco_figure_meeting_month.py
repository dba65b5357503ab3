from odoo import fields, models
from odoo.tools import SQL


class LcoFigureMeetingMonth(models.Model):
    """Meetings counted per organisation, month held (or planned),
    coordinator of the case, chair, kind, status and kind of consultation:
    the meeting figures, "network at the table" and the yearly figures'
    meetings."""

    _name = "lco.figure.meeting.month"
    _inherit = "lco.figure.month"
    _description = "Meeting Figures per Month"
    _log_access = False
    _order = "month desc, id"

    chair_id = fields.Many2one("res.users", readonly=True, index=True)
    kind = fields.Selection(
        lambda self: self._figure_source_selection("lco.meeting", "kind"),
        readonly=True,
    )
    state = fields.Selection(
        lambda self: self._figure_source_selection("lco.meeting", "state"),
        "Status",
        readonly=True,
    )
    # The case's kind (lco.case.kind): local or youth-care consultation.
    case_kind = fields.Selection(
        lambda self: self._figure_source_selection("lco.case", "kind"),
        "Kind of Consultation",
        readonly=True,
    )
    has_network_present = fields.Boolean("Network Present", readonly=True)
    # The method's figure: the share of the meetings a row counts with
    # someone of the client's own network present, weighted by the meetings.
    network_present_share = fields.Float(
        "Share with Network Present (%)", readonly=True, aggregator="avg"
    )
    network_present_total = fields.Integer(readonly=True, aggregator=None)

    _figure_averages = {
        "network_present_share": ("network_present_total", "record_count"),
    }
    _figure_people = ("coordinator_id", "chair_id")

    def _figure_select(self, company_id):
        # The organisation's meetings on their figures index (company, kind,
        # state, start); the case gives the coordinator and the kind of
        # consultation. Months in UTC, as the yearly figures count a year.
        return SQL(
            """
            SELECT meeting.company_id,
                   date_trunc('month', meeting.start)::date AS month,
                   lco_case.coordinator_id, meeting.chair_id,
                   meeting.kind, meeting.state,
                   lco_case.kind AS case_kind,
                   COALESCE(meeting.has_network_present, FALSE)
                       AS has_network_present,
                   COUNT(*) AS record_count,
                   AVG(COALESCE(meeting.network_present_share, 0))
                       AS network_present_share,
                   SUM(COALESCE(meeting.network_present_share, 0))
                       AS network_present_total
              FROM lco_meeting meeting
              JOIN lco_case ON lco_case.id = meeting.case_id
             WHERE meeting.company_id = %s
          GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
            """,
            company_id,
        )
