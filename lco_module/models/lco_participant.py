from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools.constants import INTERNAL, YOUTH_ROLES
from .lco_case import PIVOT_ROLES


class LcoParticipant(models.Model):
    _name = "lco.participant"
    _inherit = ["lco.checked.input", "lco.action.fields", "lco.access.logged"]
    _lco_fixed_fields = ("case_id",)
    # The coordinator records an acknowledgement on the signed list; one in
    # the portal only the person gives himself (_lco_portal_acknowledge).
    _lco_action_values = {"confidentiality_ack_method": ("portal",)}
    _description = "Case Participant"
    # What the access log records a read of (lco.access.logged).
    _lco_logged_fields = ("email", "phone")
    _order = "case_id, id"
    _rec_names_search = ["partner_id.name"]
    _check_company_auto = True

    case_id = fields.Many2one("lco.case", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(
        related="case_id.company_id", store=True, index=True, precompute=True
    )
    # Required, unless the case was anonymised (see _check_partner).
    partner_id = fields.Many2one(
        "res.partner", "Person", index=True, check_company=True
    )
    role = fields.Selection(
        [
            ("client", "Client"),
            ("network", "Network"),
            ("trusted_person", "Trusted Person"),
            ("professional", "Aid Worker"),
            ("interpreter", "Interpreter"),
            # Youth care only (YOUTH_ROLES, _check_youth_role).
            ("parent", "Parent"),
            ("guardian", "Guardian"),
            ("foster_parent", "Foster Parent"),
            ("support_figure", "Support Figure"),
        ],
        required=True,
        default="professional",
    )
    organisation_id = fields.Many2one(
        "res.partner",
        "Service",
        compute="_compute_organisation_id",
        store=True,
        readonly=False,
        domain=[("is_company", "=", True)],
    )
    function = fields.Char(compute="_compute_function", store=True, readonly=False)
    # A participant's private contact details are for who runs the case: a
    # portal user reads them over RPC of nobody, not even of his own row (his
    # own contact he reads in /my/account).
    email = fields.Char(related="partner_id.email", groups=INTERNAL)
    phone = fields.Char(related="partner_id.phone", groups=INTERNAL)
    user_id = fields.Many2one(
        "res.users",
        "Internal User",
        compute="_compute_user_id",
        store=True,
        help="The Odoo user behind this person, who gets the activities of his "
        "agreements.",
    )
    life_domain_ids = fields.Many2many("lco.life.domain", string="Life Domains")
    is_pivot = fields.Boolean(
        "Pivot Figure",
        compute="_compute_is_pivot",
        inverse="_inverse_is_pivot",
        store=True,
        index=True,
        help="The case's pivot figure: setting it here chooses him as the pivot "
        "figure of the case.",
    )
    confidentiality_ack_date = fields.Date(
        "Confidentiality Acknowledged On",
        copy=False,
        help="When this person acknowledged the rules of shared professional "
        "secrecy for this case.",
    )
    confidentiality_ack_method = fields.Selection(
        [("signed_list", "Signed Participant List"), ("portal", "In the Portal")],
        "Acknowledged How",
        copy=False,
    )
    active = fields.Boolean(default=True)
    # The person of the network who took this seat (lco.network.member).
    network_member_ids = fields.One2many("lco.network.member", "participant_id")
    has_portal_access = fields.Boolean(
        "Portal Access",
        compute="_compute_has_portal_access",
        groups=INTERNAL,
        help="This person opens his consultations in the portal.",
    )

    _sql_constraints = [
        (
            "case_partner_uniq",
            "unique(case_id, partner_id)",
            "A person takes part in a case only once.",
        ),
    ]

    @api.depends("partner_id")
    def _compute_organisation_id(self):
        for participant in self:
            participant.organisation_id = participant.partner_id.parent_id

    @api.depends("partner_id")
    def _compute_function(self):
        for participant in self:
            participant.function = participant.partner_id.function

    @api.depends("partner_id.user_ids.share")
    def _compute_user_id(self):
        for participant in self:
            participant.user_id = participant.partner_id.user_ids.filtered(
                lambda user: not user.share
            )[:1]

    @api.depends("case_id.pivot_id")
    def _compute_is_pivot(self):
        for participant in self:
            participant.is_pivot = participant.case_id.pivot_id == participant

    def _inverse_is_pivot(self):
        """The case holds its one pivot figure; the flag only chooses him."""
        for case in self.case_id:
            participants = self.filtered(lambda p, case=case: p.case_id == case)
            chosen = participants.filtered("is_pivot")
            if len(chosen) > 1:
                raise ValidationError(
                    self.env._(
                        "Case %(case)s has one pivot figure: choose one of %(people)s.",
                        case=case.name,
                        people=", ".join(chosen.partner_id.mapped("name")),
                    )
                )
            if chosen:
                case.pivot_id = chosen
            elif case.pivot_id in participants:
                case.pivot_id = False

    @api.depends("partner_id.user_ids")
    def _compute_has_portal_access(self):
        for participant in self:
            participant.has_portal_access = any(
                user._is_portal() and participant.company_id in user.company_ids
                for user in participant.partner_id.sudo().user_ids
            )

    @api.depends("partner_id", "role")
    def _compute_display_name(self):
        roles = dict(self._fields["role"]._description_selection(self.env))
        for participant in self:
            role = roles.get(participant.role, "")
            participant.display_name = (
                f"{participant.partner_id.name} ({role})"
                if participant.partner_id
                else role
            )

    @api.constrains("partner_id", "role")
    def _check_partner(self):
        for participant in self:
            if not participant.partner_id and not participant.case_id.anonymised_date:
                raise ValidationError(
                    self.env._("Choose the person who takes part in the case.")
                )

    @api.constrains("role", "case_id")
    def _check_youth_role(self):
        """Parents, guardians, foster parents and support figures sit at the
        table of a youth-care case only."""
        for participant in self:
            if participant.role in YOUTH_ROLES and participant.case_id.kind != "youth":
                roles = dict(self._fields["role"]._description_selection(self.env))
                raise ValidationError(
                    self.env._(
                        "%(person)s cannot take part in case %(case)s as %(role)s: "
                        "that role exists in youth-care client consultation only.",
                        person=participant.partner_id.name,
                        case=participant.case_id.name,
                        role=roles[participant.role],
                    )
                )

    @api.constrains("partner_id", "case_id", "active")
    def _check_coordinator_neutral(self):
        for participant in self:
            coordinator = participant.case_id.coordinator_id
            if participant.partner_id == coordinator.partner_id:
                raise ValidationError(
                    self.env._(
                        "%(person)s coordinates case %(case)s and cannot also take part "
                        "in it: the coordinator is not involved in the help to the "
                        "client.",
                        person=coordinator.name,
                        case=participant.case_id.name,
                    )
                )

    @api.constrains("partner_id", "organisation_id", "case_id", "active")
    def _check_chair_neutral(self):
        """Who joins a case works for no service that employs its chair, or
        the chair a contact point asked and who did not answer yet."""
        for participant in self.filtered(
            lambda p: p.active and p.case_id.kind == "youth"
        ):
            case = participant.case_id
            # sudo: the chair profiles and proposals of the case are read for
            # their employer only, to refuse a participant who would end the
            # chair's neutrality; the participant's own case is checked.
            chairs = (
                self.env["lco.chair"]
                .sudo()
                .with_context(active_test=False)
                .search([("user_id", "=", case.coordinator_id.id)])
            )
            chairs |= (
                case.sudo()
                .chair_proposal_ids.filtered(lambda p: p.state == "proposed")
                .chair_id
            )
            chairs._check_neutral_for(case)

    @api.constrains("role", "active")
    def _check_pivot_role(self):
        for participant in self.filtered("is_pivot"):
            if not participant.active or participant.role not in PIVOT_ROLES:
                raise ValidationError(participant._pivot_in_use_message())

    def write(self, vals):
        if "active" in vals and not vals["active"]:
            self._check_not_the_client()
        cases = self.case_id
        res = super().write(vals)
        if {"active", "partner_id", "role"} & set(vals):
            # Who joins, leaves or changes follows the case as the consent says.
            cases._lco_sync_followers()
        if "active" in vals:
            # Who left the case is no longer invited to its coming meetings.
            self.case_id.meeting_ids.filtered(
                lambda m: m.state == "scheduled"
            )._sync_calendar_event()
        return res

    @api.model_create_multi
    def create(self, vals_list):
        participants = super().create(vals_list)
        # Who joins follows the case once (and as far as) the consent covers him.
        participants.case_id._lco_sync_followers()
        return participants

    def unlink(self):
        cases = self.case_id
        res = super().unlink()
        # Who was removed stops following the case.
        cases.exists()._lco_sync_followers()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_pivot(self):
        for participant in self.filtered("is_pivot"):
            raise UserError(participant._pivot_in_use_message())

    @api.ondelete(at_uninstall=False)
    def _unlink_except_client(self):
        self._check_not_the_client()

    def action_grant_portal_access(self):
        """Odoo's portal wizard for this person, once the consent covers him."""
        self.ensure_one()
        self.case_id.check_access("write")
        if self.case_id.state not in ("draft", "active"):
            raise UserError(self.env._("Case %s is no longer open.", self.case_id.name))
        if not self._lco_portal_covered():
            raise UserError(
                self.env._(
                    "%s is not covered by the client's consent: record a consent "
                    "that covers him before giving him access to the portal.",
                    self.partner_id.name,
                )
            )
        users = self.partner_id.sudo().with_context(active_test=False).user_ids
        if users.filtered(lambda u: not u.share):
            raise UserError(
                self.env._(
                    "%s works in Odoo: he opens the case there, not in the portal.",
                    self.partner_id.name,
                )
            )
        portal_user = users.filtered(lambda u: u.active and u._is_portal())[:1]
        if portal_user:
            if self.company_id not in portal_user.company_ids:
                # sudo: a coordinator does not manage users; the portal user is
                # let into this case's organisation only, for a participant the
                # consent covers in a case the coordinator runs (checked above).
                portal_user.sudo().company_ids = [Command.link(self.company_id.id)]
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "success",
                    "message": self.env._(
                        "%s already uses the portal: he now finds this case there.",
                        self.partner_id.name,
                    ),
                },
            }
        wizard = (
            self.env["portal.wizard"]
            .with_company(self.company_id)
            .create({"partner_ids": [Command.set(self.partner_id.ids)]})
        )
        return wizard._action_open_modal()

    def action_endorse_portal(self):
        """The person endorses the current work plan of his case himself: a
        click in the portal (or in Odoo, for an aid worker who works there)."""
        return self._lco_endorse("portal")

    def action_endorse_signed(self):
        """The coordinator records that this person signed the printed work
        plan."""
        return self._lco_endorse("signed")

    def action_endorse_verbal(self):
        """The coordinator records that this person endorsed the work plan
        verbally, with him as the witness."""
        return self._lco_endorse("verbal")

    def _lco_endorse(self, route):
        Endorsement = self.env["lco.endorsement"]
        for participant in self:
            Endorsement._lco_check_recorder(participant, route)
            Endorsement._lco_record(participant, route)
        return True

    def _check_not_the_client(self):
        """The client stays at his own table until his case is anonymised."""
        for participant in self:
            case = participant.case_id
            if (
                participant.role == "client"
                and participant.partner_id == case.client_id
                and not case.anonymised_date
            ):
                raise UserError(
                    self.env._(
                        "%s is the client of this case: the client takes part in "
                        "his own case until it is anonymised.",
                        participant.partner_id.name,
                    )
                )

    def _pivot_in_use_message(self):
        return self.env._(
            "%s is the pivot figure of this case: choose another pivot figure first.",
            self.partner_id.name,
        )

    def _check_takes_part_in(self, case):
        """Raise unless every participant in ``self`` takes part in ``case``."""
        strangers = self.filtered(lambda participant: participant.case_id != case)
        if strangers:
            raise ValidationError(
                self.env._(
                    "%(people)s does not take part in case %(case)s.",
                    people=", ".join(strangers.partner_id.mapped("name")),
                    case=case.name,
                )
            )

    def _lco_portal_covered(self):
        """Whether the consent of the case lets this participant in."""
        self.ensure_one()
        case = self.case_id
        return (
            self.active
            and case.has_consent
            and (
                self.role == "client" or self in case.consent_id.line_ids.participant_id
            )
        )

    def _lco_portal_acknowledge(self):
        """The portal user acknowledges the shared-secrecy rules of this case."""
        self.ensure_one()
        self.case_id.check_access("read")
        if self.partner_id != self.env.user.partner_id or not self.active:
            raise AccessError(
                self.env._("You can acknowledge the rules for yourself only.")
            )
        if self.confidentiality_ack_date:
            return
        # sudo: participants are not written by portal users; he records his
        # own acknowledgement in a case he may read (checked above), nothing
        # else.
        self.sudo()._lco_action_write(
            {
                "confidentiality_ack_date": fields.Date.context_today(self),
                "confidentiality_ack_method": "portal",
            }
        )
