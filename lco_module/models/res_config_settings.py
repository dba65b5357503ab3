from odoo import api, fields, models

from ..tools.config_param import check_log_months
from .lco_access_log import RETENTION_DEFAULT, RETENTION_PARAM
from .lco_postcode_route import DEFAULT_COMPANY_PARAM


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    lco_request_default_company_id = fields.Many2one(
        "res.company",
        "Organisation for Unrouted Requests",
        config_parameter=DEFAULT_COMPANY_PARAM,
        help="Requests whose postcode is not in the routing table go to this "
        "organisation, flagged for its coordinators to forward.",
    )
    lco_access_log_retention_months = fields.Integer(
        "Keep the Access Log (Months)",
        config_parameter=RETENTION_PARAM,
        default=RETENTION_DEFAULT,
        help="Who opened, printed or exported which record is kept this many "
        "months, then forgotten.",
    )
    lco_company_lang = fields.Selection(
        related="company_id.partner_id.lang",
        readonly=False,
        string="Language of the Organisation",
        help="The language of the system messages on the organisation's cases "
        "and of its yearly figures and bottleneck reports.",
    )
    lco_block_unprepared_meetings = fields.Boolean(
        related="company_id.lco_block_unprepared_meetings", readonly=False
    )
    lco_consent_warn_only = fields.Boolean(
        related="company_id.lco_consent_warn_only", readonly=False
    )
    lco_consent_validity_months = fields.Integer(
        related="company_id.lco_consent_validity_months", readonly=False
    )
    lco_code = fields.Char(related="company_id.lco_code", readonly=False)
    lco_agreement_reminder_days = fields.Integer(
        related="company_id.lco_agreement_reminder_days", readonly=False
    )
    lco_retention_months = fields.Integer(
        related="company_id.lco_retention_months", readonly=False
    )
    lco_request_retention_months = fields.Integer(
        related="company_id.lco_request_retention_months", readonly=False
    )

    @api.constrains("lco_access_log_retention_months")
    def _check_lco_parameters(self):
        for settings in self:
            check_log_months(self.env, settings.lco_access_log_retention_months)
