from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools.constants import (
    ADULT_AGE,
    CONSENT_AGE_SELF,
    CONSENT_GIVER_ROLES,
    OPEN_CASE_STATES,
    PARENT_ROLES,
    YOUTH_MAX_AGE,
)

# What changes on a consent once it was given, besides its end (which only
# the actions record, see _lco_action_fields).
GIVEN_WRITABLE_FIELDS = {"message_main_attachment_id"}
EXPIRY_WARNING_DAYS = 30
# How long before its case was opened a consent may have been given.
EARLIEST_BEFORE_CASE = relativedelta(years=1)


class LcoConsent(models.Model):
    """The client's consent to share what is said about him, with whom and how
    much: the basis of shared professional secrecy. A given consent is never
    edited: a change is a new consent that replaces it."""

    _name = "lco.consent"
    _description = "Client Consent"
    # What the access log records a read of (lco.access.logged).
    _lco_logged_fields = ("note",)
    _inherit = [
        "lco.checked.input",
        "lco.action.fields",
        "lco.state.flow",
        "lco.access.logged",
        "lco.case.thread",
        "mail.activity.mixin",
    ]
    _lco_fixed_fields = ("case_id",)
    # A consent is created requested; giving, withdrawing, replacing and
    # expiring it are its actions. Consent is given in the portal only by the
    # client (or his representative) himself, on /my/lco (_lco_portal_give).
    _lco_action_fields = (
        "state",
        "withdrawn_date",
        "withdrawn_by_id",
        "replaced_by_id",
        "expiry_warned",
        "client_age",
    )
    _lco_action_values = {"method": ("portal", "migrated")}
    # The moves of its state (lco.state.flow): an ended consent stays ended.
    _lco_transitions = {
        "requested": ("given",),
        "given": ("expired", "withdrawn"),
    }
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
        copy=False,
    )
    witness_id = fields.Many2one("res.partner", check_company=True)
    # Consent by age (issue 24): the client's age on the day he gave it.
    client_age = fields.Integer(
        "Client's Age",
        readonly=True,
        copy=False,
        aggregator=False,
        help="The client's age on the day the consent was given, from his birth "
        "date: under 12 a parent or guardian gives consent, from 12 the young "
        "person himself.",
    )
    representative_participant_id = fields.Many2one(
        "lco.participant",
        "Given by Participant",
        compute="_compute_representative_participant_id",
        help="The representative as he takes part in the case (a parent or "
        "guardian of a child under 12 in youth care).",
    )
    informed_participant_ids = fields.Many2many(
        "lco.participant",
        "lco_consent_informed_rel",
        "consent_id",
        "participant_id",
        "Parents Informed",
        domain=f"[('case_id', '=', case_id), ('role', 'in', {list(PARENT_ROLES)!r})]",
        help="A young person of 12 or more gives consent himself: his parents or "
        "guardian are informed of it, not asked. Who was informed.",
    )
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

    @api.depends("representative_id", "case_id.participant_ids.partner_id")
    def _compute_representative_participant_id(self):
        for consent in self:
            consent.representative_participant_id = (
                consent.case_id.participant_ids.filtered(
                    lambda p, consent=consent: (
                        consent.representative_id
                        and p.partner_id == consent.representative_id
                    )
                )[:1]
            )

    @api.constrains("given_by", "representative_id", "representative_capacity")
    def _check_representative(self):
        for consent in self:
            # Anonymising the case removes the representative with the rest.
            if consent.case_id.anonymised_date:
                continue
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
        today = fields.Date.context_today(self)
        for consent in self:
            given = consent.date_given
            if not given:
                continue
            created = consent.case_id.create_date
            opened = min(
                fields.Date.context_today(consent, created) if created else today,
                today,
            )
            if given > today:
                raise ValidationError(
                    self.env._("A consent cannot be given on a day still to come.")
                )
            # A migrated consent keeps the day the earlier version recorded.
            if given < opened - EARLIEST_BEFORE_CASE and consent.method != "migrated":
                raise ValidationError(
                    self.env._(
                        "A consent recorded in a case was given at most a year "
                        "before the case was opened (%s).",
                        consent.case_id.name,
                    )
                )
            if consent.valid_until and consent.valid_until <= given:
                raise ValidationError(
                    self.env._("A consent cannot end before it was given.")
                )
            months = consent.company_id.lco_consent_validity_months
            if (
                months
                and consent.valid_until
                and consent.valid_until > given + relativedelta(months=months)
            ):
                raise ValidationError(
                    self.env._(
                        "A consent holds at most %s months from the day it was "
                        "given, as the organisation set.",
                        months,
                    )
                )

    @api.constrains("state", "date_given", "method", "case_id")
    def _check_given(self):
        """What giving checks holds on every path: a given consent has its
        day, its witness if it was verbal, and is the only one of its case."""
        for consent in self.filtered(lambda c: c.state == "given"):
            consent._check_given_values()
            # sudo: counts the given consents of this consent's own case.
            given = self.sudo().search_count(
                [("case_id", "=", consent.case_id.id), ("state", "=", "given")]
            )
            if given > 1:
                raise ValidationError(
                    self.env._(
                        "Case %s has one given consent at a time: a new consent "
                        "replaces the one given before when it is given.",
                        consent.case_id.name,
                    )
                )

    def write(self, vals):
        if self._lco_action_checked() and any(c.state != "requested" for c in self):
            if set(vals) - GIVEN_WRITABLE_FIELDS:
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
            # Two consents of one case given at once: the second waits, fails
            # with a serialization error and is retried, then replaces the
            # first (as in lco.meeting._next_numbers).
            self.env.cr.execute(
                "UPDATE lco_case SET write_date = write_date WHERE id = %s",
                [consent.case_id.id],
            )
            previous = consent.case_id.consent_ids.filtered(
                lambda c, consent=consent: c.state == "given" and c != consent
            )
            valid_until = consent.valid_until or consent._default_valid_until()
            previous._set_state("expired", replaced_by_id=consent.id)
            consent._set_state(
                "given", valid_until=valid_until, client_age=consent._client_age()
            )
            consent.case_id._sync_invitations()
        return True

    def action_withdraw(self):
        """From now on, nothing of the case reaches anyone but the client."""
        for consent in self:
            consent._lco_check_transition("withdrawn")
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

    def _lco_transition_hint(self, state):
        return {
            "given": self.env._("This consent was already given or ended."),
            "withdrawn": self.env._("Only a given consent can be withdrawn."),
        }.get(state, "")

    def _set_state(self, state, **values):
        """The one way the actions record a consent's state and history."""
        self.check_access("write")
        self._lco_action_write({"state": state, **values})

    def _check_can_be_given(self):
        self.ensure_one()
        self.check_access("write")
        self._lco_check_transition("given")
        self._check_given_values()

    def _check_given_values(self):
        if not self.date_given:
            raise ValidationError(self.env._("Record the day the consent was given."))
        self._check_age()
        if self.method == "verbal" and not self.witness_id:
            raise ValidationError(
                self.env._("A verbal consent is given in the presence of a witness.")
            )

    def _client_age(self):
        """The client's age in years on the day the consent was given, or
        None without his birth date."""
        birthdate = self.case_id.client_id.lco_birthdate
        if not birthdate or not self.date_given:
            return None
        return relativedelta(self.date_given, birthdate).years

    def _check_age(self):
        """Consent by age: under 12 a parent or guardian gives it, from 12 the
        young person himself (his parents are informed); youth care serves
        young adults up to 24."""
        case = self.case_id
        client = case.client_id.name or ""
        age = self._client_age()
        if age is None:
            if case.kind == "youth" and not case.anonymised_date:
                raise ValidationError(
                    self.env._(
                        "Record the birth date of %s first: in youth care the "
                        "young person's age decides who gives consent.",
                        client,
                    )
                )
            return
        if case.kind == "youth" and age > YOUTH_MAX_AGE:
            raise ValidationError(
                self.env._(
                    "%(client)s was %(age)s years old when the consent was given: "
                    "the youth-care client consultation serves young people up to "
                    "24. Open a local client consultation instead.",
                    client=client,
                    age=age,
                )
            )
        by_parent = (
            self.given_by == "representative"
            and self.representative_capacity in CONSENT_GIVER_ROLES
        )
        if age < CONSENT_AGE_SELF:
            if not by_parent:
                raise ValidationError(
                    self.env._(
                        "%(client)s was %(age)s years old when the consent was "
                        "given: under 12, a parent or guardian gives consent. Record "
                        "it as given by a representative, as parent or guardian.",
                        client=client,
                        age=age,
                    )
                )
            participant = self.representative_participant_id
            if case.kind == "youth" and (
                not participant.active or participant.role not in CONSENT_GIVER_ROLES
            ):
                raise ValidationError(
                    self.env._(
                        "%s gives consent for a child under 12: he takes part in the "
                        "case as parent or guardian.",
                        self.representative_id.name,
                    )
                )
        elif age < ADULT_AGE and by_parent:
            raise ValidationError(
                self.env._(
                    "%(client)s was %(age)s years old when the consent was given: "
                    "from 12 a young person gives consent himself. His parents are "
                    "informed, not asked: record them under Parents Informed.",
                    client=client,
                    age=age,
                )
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
            # A system notice: in the organisation's language.
            in_lang = consent.with_context(lang=consent.company_id._lco_lang())
            consent.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=consent.valid_until,
                summary=in_lang.env._("Consent ends: ask the client to renew it"),
                user_id=consent.case_id.coordinator_id.id or self.env.uid,
            )
        soon._lco_action_write({"expiry_warned": True})

    def _lco_portal_consents(self, consent_id=None):
        """The requested consents the portal user gives himself on /my/lco:
        as the client of an open case, or as the representative the consent
        names (who gives it, ``given_by``, decides which of them).

        Returned in sudo: portal users read no consent over RPC. Only these
        consents, found by the user's own partner, are shown and given.
        """
        # Odoo's cached groups: internal users give no consent here.
        if self.env.user._is_internal():
            return self.sudo().browse()
        # The user's own partner, as the partner of whom he is the user: in
        # the query, without reading the user first (the home page's counter).
        own = ("user_ids", "in", [self.env.uid])
        domain = [
            ("state", "=", "requested"),
            ("case_id.state", "in", OPEN_CASE_STATES),
            "|",
            "&",
            ("given_by", "=", "client"),
            ("case_id.client_id", "any", [own]),
            "&",
            ("given_by", "=", "representative"),
            ("representative_id", "any", [own]),
        ]
        if consent_id is not None:
            domain.append(("id", "=", consent_id))
        # sudo: see the docstring; the domain holds the user's own partner.
        return self.sudo().search(domain, order="id")

    def _lco_portal_give(self):
        """The client (or his representative) agrees in the portal, today:
        the consent is given through its action and the coordinator is told.
        ``self`` comes from ``_lco_portal_consents`` (sudo, checked there)."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        months = self.company_id.lco_consent_validity_months
        valid_until = self.valid_until
        if valid_until and not (
            today < valid_until
            and (not months or valid_until <= today + relativedelta(months=months))
        ):
            # The end the coordinator proposed no longer fits: the
            # organisation's validity, counted from today.
            valid_until = False
        self._lco_action_write(
            {
                "method": "portal",
                "date_given": today,
                "witness_id": False,
                "valid_until": valid_until,
            }
        )
        self.action_give()
        # A notice to the coordinator: in the organisation's language.
        case = self.case_id.with_context(lang=self.company_id._lco_lang())
        case.message_post(
            body=Markup("<p>%s</p>")
            % case.env._(
                "%(person)s gave consent %(consent)s in the portal.",
                person=self.env.user.partner_id.name,
                consent=self.display_name,
            ),
            author_id=self.env.user.partner_id.id,
            partner_ids=case.coordinator_id.partner_id.ids,
            subtype_xmlid="mail.mt_note",
        )
        return True

    def _lco_portal_shared_with(self):
        """(name, organisation or function, scope) per person the consent
        covers, as the client reads them before he agrees."""
        self.ensure_one()
        return [
            (
                line.participant_id.partner_id.name,
                line.participant_id.organisation_id.name
                or line.participant_id.function
                or "",
                line.scope,
            )
            for line in self.line_ids
        ]
