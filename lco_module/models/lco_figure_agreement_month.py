from odoo import fields, models
from odoo.tools import SQL


class LcoFigureAgreementMonth(models.Model):
    """Agreements counted per organisation, month made, coordinator of the
    case, life domain and status: the agreement figures."""

    _name = "lco.figure.agreement.month"
    _inherit = "lco.figure.month"
    _description = "Agreement Figures per Month"
    _log_access = False
    _order = "month desc, id"

    life_domain_id = fields.Many2one("lco.life.domain", readonly=True)
    state = fields.Selection(
        lambda self: self._figure_source_selection("lco.agreement", "state"),
        "Status",
        readonly=True,
    )

    def _figure_select(self, company_id):
        # The organisation's agreements on its covering index (company,
        # made, life domain, status); the case gives the coordinator.
        return SQL(
            """
            SELECT agreement.company_id,
                   date_trunc('month', agreement.create_date)::date AS month,
                   lco_case.coordinator_id,
                   agreement.life_domain_id, agreement.state,
                   COUNT(*) AS record_count
              FROM lco_agreement agreement
              JOIN lco_case ON lco_case.id = agreement.case_id
             WHERE agreement.company_id = %s
          GROUP BY 1, 2, 3, 4, 5
            """,
            company_id,
        )
