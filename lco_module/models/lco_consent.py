from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

# What changes on a consent once it was given: its end, through the actions.
GIVEN_WRITABLE_FIELDS = {
    "state",
    "replaced_by_id",
    "withdrawn_date",
    "withdrawn_by_id",
    "expiry_warned",
    "message_main_attachment_id",
}
EXPIRY_WARNING_DAYS = 30


class LcoConsent(models.Model):
    """The client's consent to share what is said about him, with whom and how
    much: the basis of shared professional secrecy. A given consent is never
    edited: a change is a new consent that replaces it."""

    _name = "lco.consent"
    _description = "Client Consent"
    _inherit = ["lco.checked.input", "lco.case.thread", "mail.activity.mixin"]
    _lco_fixed_fields = ("case_id",)
    _order = "case_id, date_given desc, id desc"
    _check_company_auto = True

    case_id = fields.Many2one(
        "lco.case", required=True, index=True, ondelete="cascade", check_company=True
    )
    company_id = fields.Many2one(
        related="case_id.company_id", store=True, index=True, precompute=True
    )
    client_id = fields.Many2one(related="case_id.client_id")
    state = fields.Selection(
        [
            ("requested", "Requested"),
            ("given", "Given"),
            ("withdrawn", "Withdrawn"),
            ("expired", "Expired"),
        ],
        "Status",
        required=True,
        default="requested",
        index=True,
        tracking=True,
        readonly=True,
    )
    given_by = fields.Selection(
        [("client", "The Client"), ("representative", "A Representative")],
        required=True,
        default="client",
        tracking=True,
    )
    representative_id = fields.Many2one(
        "res.partner", tracking=True, check_company=True
    )
    representative_capacity = fields.Selection(
        [
            ("parent", "Parent"),
            ("guardian", "Guardian"),
            ("administrator", "Administrator (Bewindvoerder)"),
            ("other", "Other"),
        ],
        "Capacity",
        tracking=True,
    )
    method = fields.Selection(
        [
            ("signed", "Signed Form"),
            ("verbal", "Verbally, with a Witness"),
            ("portal", "In the Portal"),
            ("migrated", "Migrated"),
        ],
        "How",
        required=True,
        default="signed",
        tracking=True,
    )
    witness_id = fields.Many2one("res.partner", check_company=True)
    date_given = fields.Date("Given On", tracking=True, copy=False)
    valid_until = fields.Date(
        tracking=True,
        copy=False,
        help="Left empty, the consent holds for the validity the organisation "
        "set, counted from the day it was given.",
    )
    line_ids = fields.One2many(
        "lco.consent.line", "consent_id", "Shared With", copy=True
    )
    note = fields.Text(
        "What May Be Shared", help="What the client agreed to share, in his words."
    )
    withdrawn_date = fields.Date("Withdrawn On", readonly=True, copy=False)
    withdrawn_by_id = fields.Many2one(
        "res.users", "Withdrawal Recorded By", readonly=True, copy=False
    )
    replaced_by_id = fields.Many2one(
        "lco.consent", readonly=True, copy=False, index="btree_not_null"
    )
    expiry_warned = fields.Boolean(copy=False, readonly=True)

    @api.depends("case_id.name", "date_given", "state")
    def _compute_display_name(self):
        states = dict(self._fields["state"]._description_selection(self.env))
        for consent in self:
            consent.display_name = self.env._(
                "Consent %(case)s (%(state)s)",
                case=consent.case_id.name or "",
                state=states.get(consent.state, ""),
            )

    @api.constrains("given_by", "representative_id", "representative_capacity")
    def _check_representative(self):
        for consent in self:
            if consent.given_by == "representative" and not (
                consent.representative_id and consent.representative_capacity
            ):
                raise ValidationError(
                    self.env._(
                        "Consent given by a representative names him and in which "
                        "capacity he acts (parent, guardian, administrator)."
                    )
                )

    @api.constrains("date_given", "valid_until")
    def _check_dates(self):
        for consent in self:
            if (
                consent.date_given
                and consent.valid_until
                and consent.valid_until < consent.date_given
            ):
                raise ValidationError(
                    self.env._("A consent cannot end before it was given.")
                )

    def write(self, vals):
        if not self.env.su and any(c.state != "requested" for c in self):
            if set(vals) - GIVEN_WRITABLE_FIELDS or "state" in vals:
                raise UserError(
                    self.env._(
                        "A given consent is not changed: record a new consent that "
                        "replaces it, or withdraw it."
                    )
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_history(self):
        raise UserError(
            self.env._(
                "Consents are kept as the history of the case: withdraw a consent "
                "instead of deleting it."
            )
        )

    # Actions ----------------------------------------------------------------

    def action_give(self):
        """The client (or his representative) gave this consent: it replaces
        the consent given before."""
        for consent in self:
            consent._check_can_be_given()
            previous = consent.case_id.consent_ids.filtered(
                lambda c, consent=consent: c.state == "given" and c != consent
            )
            valid_until = consent.valid_until or consent._default_valid_until()
            consent._set_state("given", valid_until=valid_until)
            previous._set_state("expired", replaced_by_id=consent.id)
            consent.case_id._sync_invitations()
        return True

    def action_withdraw(self):
        """From now on, nothing of the case reaches anyone but the client."""
        for consent in self:
            if consent.state != "given":
                raise UserError(self.env._("Only a given consent can be withdrawn."))
            consent._set_state(
                "withdrawn",
                withdrawn_date=fields.Date.context_today(consent),
                withdrawn_by_id=self.env.user.id,
            )
            consent.case_id._on_consent_withdrawn(consent)
        return True

    def action_new_version(self):
        """A new consent to request, covering the same people as this one."""
        self.ensure_one()
        new = self.copy({"state": "requested"})
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": new.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def action_print(self):
        return self.env.ref("lco_module.action_report_lco_consent_form").report_action(
            self, data={}
        )

    def _set_state(self, state, **values):
        self.check_access("write")
        # sudo: the state of a given consent changes only through these actions,
        # which checked the user may write this very consent.
        self.sudo().write({"state": state, **values})

    def _check_can_be_given(self):
        self.ensure_one()
        self.check_access("write")
        if self.state != "requested":
            raise UserError(self.env._("This consent was already given or ended."))
        if not self.date_given:
            raise UserError(self.env._("Record the day the consent was given."))
        if self.method == "verbal" and not self.witness_id:
            raise UserError(
                self.env._("A verbal consent is given in the presence of a witness.")
            )

    def _default_valid_until(self):
        months = self.company_id.lco_consent_validity_months
        return self.date_given + relativedelta(months=months) if months else False

    # Cron -------------------------------------------------------------------

    @api.model
    def _cron_expire(self):
        """Consents past their end expire; the coordinator hears a month ahead."""
        today = fields.Date.context_today(self)
        ended = self.search([("state", "=", "given"), ("valid_until", "<", today)])
        ended._set_state("expired")
        ended.case_id._sync_invitations()
        soon = self.search(
            [
                ("state", "=", "given"),
                ("expiry_warned", "=", False),
                ("valid_until", "<=", today + relativedelta(days=EXPIRY_WARNING_DAYS)),
            ]
        )
        for consent in soon:
            consent.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=consent.valid_until,
                summary=self.env._("Consent ends: ask the client to renew it"),
                user_id=consent.case_id.coordinator_id.id or self.env.uid,
            )
        soon.write({"expiry_warned": True})
