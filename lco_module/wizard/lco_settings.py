from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..models.lco_access_log import RETENTION_DEFAULT, RETENTION_PARAM
from ..models.lco_postcode_route import DEFAULT_COMPANY_PARAM
from ..tools.config_param import check_log_months

# Who opens and saves this screen: the LCO manager, and the system
# administrator (from Settings > Client Consultation).
SETTINGS_GROUPS = ("lco_module.group_lco_manager", "base.group_system")


class LcoSettings(models.TransientModel):
    """The client consultation settings: the one screen, and the one list of
    them.

    Each setting is a field of this model that names where it is kept:
    ``company_field`` (a field of the organisation, a dotted path allowed) or
    ``config_parameter`` (a system parameter, the same for every organisation).
    Its label and help are the field's; its check is the organisation field's
    own constraint or a constraint of this model; who may change it is this
    screen's rule (an LCO manager for his own organisations, or a system
    administrator) narrowed by the field's ``groups``. A module adds a setting
    by declaring such a field here (``_inherit = "lco.settings"``) and placing
    it in ``view_lco_settings_form``; nothing else.

    Odoo's Settings app (res.config.settings) is for system administrators
    only and reads every application's parameters: its Client Consultation
    block is a button to this screen.
    """

    _name = "lco.settings"
    _description = "Client Consultation Settings"

    company_id = fields.Many2one(
        "res.company",
        "Organisation",
        required=True,
        readonly=True,
        default=lambda self: self.env.company,
    )
    code = fields.Char(
        "Organisation Code",
        required=True,
        company_field="lco_code",
        help="In the numbers of its new cases and requests (LCO/HEI/2026/0001); "
        "numbers already given keep theirs.",
    )
    company_lang = fields.Selection(
        selection=lambda self: self.env["res.lang"].get_installed(),
        string="Language of the Organisation",
        company_field="partner_id.lang",
        # The organisation's contact: as before, for system administrators.
        groups="base.group_system",
        help="The language of the system messages on the organisation's cases "
        "and of its yearly figures and bottleneck reports.",
    )
    block_unprepared_meetings = fields.Boolean(
        "Block Scheduling of Unprepared Meetings",
        company_field="lco_block_unprepared_meetings",
        help="Without the client's consent, a pivot figure and a complete "
        "preparation checklist, a meeting cannot be scheduled. When unticked, the "
        "coordinator is warned and may schedule it anyway.",
    )
    consent_warn_only = fields.Boolean(
        "Schedule Meetings without Consent",
        company_field="lco_consent_warn_only",
        help="Without the client's consent, a meeting cannot be scheduled. When "
        "ticked, the coordinator is only warned.",
    )
    consent_validity_months = fields.Integer(
        "Consent Validity (Months)",
        company_field="lco_consent_validity_months",
        help="How long a consent holds from the day it was given, unless it says "
        "otherwise (0: until withdrawn).",
    )
    agreement_reminder_days = fields.Integer(
        "Agreement Reminder",
        company_field="lco_agreement_reminder_days",
        help="How many days before its deadline the person responsible for an "
        "open agreement gets a reminder by e-mail (0: no reminders).",
    )
    access_log_retention_months = fields.Integer(
        "Keep the Access Log (Months)",
        config_parameter=RETENTION_PARAM,
        default=RETENTION_DEFAULT,
        help="Who opened, printed or exported which record is kept this many "
        "months, then forgotten.",
    )
    retention_months = fields.Integer(
        "Anonymise Closed Cases After",
        company_field="lco_retention_months",
        help="A closed or cancelled case, with its meetings, agreements, consents "
        "and request, is anonymised this many months after it was closed: only "
        "numbers, dates, states, life domains and roles stay (0: never).",
    )
    request_retention_months = fields.Integer(
        "Anonymise Declined Requests After",
        company_field="lco_request_retention_months",
        help="A request that was declined or redirected is anonymised this many "
        "months after the decision (0: never).",
    )
    request_default_company_id = fields.Many2one(
        "res.company",
        "Organisation for Unrouted Requests",
        config_parameter=DEFAULT_COMPANY_PARAM,
        domain=lambda self: [("id", "in", self.env.user.company_ids.ids)],
        help="Requests whose postcode is not in the routing table go to this "
        "organisation, flagged for its coordinators to forward.",
    )

    def _valid_field_parameter(self, field, name):
        return name in (
            "company_field",
            "config_parameter",
        ) or super()._valid_field_parameter(field, name)

    @api.model
    def _lco_settings(self):
        """{field name: field} of the settings this screen shows and saves."""
        return {
            name: field
            for name, field in self._fields.items()
            if getattr(field, "company_field", None)
            or getattr(field, "config_parameter", None)
        }

    @api.model
    def _lco_check_rights(self, company):
        """Only an LCO manager or a system administrator changes the settings,
        and only of his own organisations."""
        user = self.env.user
        if not any(user.has_group(group) for group in SETTINGS_GROUPS):
            raise AccessError(
                self.env._(
                    "Only a manager of the client consultation changes its settings."
                )
            )
        if company not in user.company_ids:
            raise AccessError(
                self.env._(
                    "You change the settings of your own organisations only: switch "
                    "to %s first.",
                    company.name,
                )
            )

    @api.constrains("access_log_retention_months")
    def _check_lco_parameters(self):
        for settings in self:
            check_log_months(self.env, settings.access_log_retention_months)

    def _lco_current(self, company):
        """{field name: value in the form's terms} of every setting, as kept."""
        # sudo: only system administrators read parameters and every company
        # field; these are the settings this screen shows, to whoever may
        # open it (the ACL and _lco_check_rights).
        params = self.env["ir.config_parameter"].sudo()
        company = company.sudo()
        current = {}
        for name, field in self._lco_settings().items():
            if getattr(field, "company_field", None):
                value = company.mapped(field.company_field)
                value = value[0] if value else False
            else:
                value = params.get_param(field.config_parameter)
                if not value:
                    value = field.default(self) if field.default else False
                elif field.type == "many2one":
                    value = (
                        self.env[field.comodel_name].sudo().browse(int(value)).exists()
                    )
                elif field.type == "integer":
                    try:
                        value = int(value)
                    except ValueError:
                        value = field.default(self) if field.default else 0
                elif field.type == "boolean":
                    value = value not in ("False", "0")
            if isinstance(value, models.BaseModel):
                value = value.id
            current[name] = value
        return current

    @api.model
    def default_get(self, fields_list):
        # The settings are read as superuser below: only for who may open
        # this screen (default_get itself checks no access right).
        self.check_access("read")
        values = super().default_get(fields_list)
        current = self._lco_current(self.env.company)
        values.update({name: current[name] for name in fields_list if name in current})
        return values

    def _lco_check_values(self, changed):
        """Checks of a value that depend on who saves it."""
        default_company = self.request_default_company_id
        if (
            "request_default_company_id" in changed
            and default_company
            and default_company not in self.env.user.company_ids
        ):
            raise AccessError(
                self.env._(
                    "Send unrouted requests to one of your own organisations: you "
                    "cannot work in %s.",
                    default_company.name,
                )
            )

    def execute(self):
        """Save the settings that changed: the organisation's own and the
        shared ones, each where its field says it is kept."""
        self.ensure_one()
        self._lco_check_rights(self.company_id)
        current = self._lco_current(self.company_id)
        # A setting the user may not see (its field's groups) is not his to
        # save; one he did not change is not written again.
        settings = {
            name: field
            for name, field in self._lco_settings().items()
            if field.is_accessible(self.env)
            and field.convert_to_write(self[name], self) != current[name]
        }
        self._lco_check_values(settings)
        # sudo: only system administrators write parameters and companies; the
        # user was checked above (a manager or administrator of this
        # organisation), and only this screen's settings are written.
        params = self.env["ir.config_parameter"].sudo()
        company = self.company_id.sudo()
        for name, field in settings.items():
            value = field.convert_to_write(self[name], self)
            if getattr(field, "company_field", None):
                path, _dot, target = field.company_field.rpartition(".")
                record = company.mapped(path) if path else company
                record.write({target: value})
            else:
                params.set_param(field.config_parameter, value or False)
        return {"type": "ir.actions.client", "tag": "reload"}
