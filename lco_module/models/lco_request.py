import re
from collections import Counter

from odoo import Command, api, fields, models, tools
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression

from odoo.addons.base.models.res_partner import _lang_get

from ..tools.anonymisation import erase
from ..tools.constants import (
    CASE_KINDS,
    CHAIR_GROUP,
    COORDINATOR_GROUP,
    OPEN_CASE_STATES,
)
from .lco_request_intake import ASSESSMENT

UNDECIDED_STATES = ("new", "in_review")
REQUESTER_TYPES = [
    ("client", "The client himself"),
    ("network", "Someone from his network"),
    ("professional", "An aid worker"),
    ("other", "Someone else"),
    # Youth care (issue 24): the young person and his circle ask themselves.
    ("young_person", "The young person himself"),
    ("parent", "A parent"),
    ("trusted_person", "A trusted person"),
    ("support_figure", "A support figure"),
]
# Who asks for each kind of consultation (a professional for both).
LOCAL_REQUESTER_TYPES = ("client", "network", "professional", "other")
YOUTH_REQUESTER_TYPES = (
    "young_person",
    "parent",
    "trusted_person",
    "support_figure",
    "professional",
)
# The requesters who are the client himself: he is no participant besides.
CLIENT_REQUESTER_TYPES = ("client", "young_person")
# The role a requester gets in the case opened for his request.
PARTICIPANT_ROLES = {
    "network": "network",
    "professional": "professional",
    "parent": "parent",
    "trusted_person": "trusted_person",
    "support_figure": "support_figure",
}
URGENCIES = [("0", "Can wait"), ("1", "Soon"), ("2", "Urgent")]
DECIDED_STATES = ("accepted", "declined", "redirected")
# Recorded with a decision, and only then.
DECISION_FIELDS = {"case_id", "decision_reason", "date_decided", "redirected_to"}
# Only a coordinator sets these, through the intake buttons.
WORKFLOW_FIELDS = {"state", "user_id", *DECISION_FIELDS}
INTAKE_QUESTIONS = (
    "intake_added_value",
    "intake_open_conversation",
    "intake_room_to_choose",
)
# The intake, kept in lco.request.intake (its field per field of the request):
# read and written by the coordinators of the request's organisation only, also
# when the requester is a coordinator of another organisation (its record rule).
INTAKE_FIELDS = {
    "intake_added_value": "added_value",
    "intake_open_conversation": "open_conversation",
    "intake_room_to_choose": "room_to_choose",
    "intake_note": "note",
}
# Only the coordinators of the request's organisation change these.
COORDINATOR_FIELDS = WORKFLOW_FIELDS | set(INTAKE_FIELDS) | {"channel", "date_received"}
# Set when the request is submitted, never changed afterwards.
SUBMISSION_FIELDS = {"name", "requester_user_id"}
# The contacts a request points at: only contacts the user may read himself.
CONTACT_FIELDS = ("client_id", "requester_partner_id")


def _plain_name(name):
    """A name as people compare it: case and extra spaces do not count."""
    return " ".join((name or "").split()).lower()


def _phone_digits(phone):
    """The last nine digits: the same number written as +32 470 ... or 0470 ..."""
    digits = re.sub(r"\D", "", phone or "")
    return digits[-9:] if len(digits) >= 8 else ""


class LcoRequest(models.Model):
    """A request for a client consultation. A declined or redirected request
    is anonymised when its retention period has passed (lco.anonymisable); an
    accepted one goes with its case."""

    _name = "lco.request"
    _description = "Client Consultation Request"
    # What the access log records a read of (lco.access.logged).
    _lco_logged_fields = (
        "question",
        "services_involved",
        "intake_note",
        "decision_reason",
        "redirected_to",
        "client_birthdate",
        "client_street",
        "client_zip",
        "client_city",
        "client_phone",
        "client_email",
        "requester_phone",
        "requester_email",
    )
    _inherit = [
        # First: the move of the state is checked before anything else.
        "lco.state.flow",
        "lco.checked.input",
        "mail.thread",
        "mail.activity.mixin",
        "lco.access.logged",
        "lco.anonymisable",
    ]
    # The only moves of its state (lco.state.flow); what each needs is
    # checked in _lco_check_state_write.
    _lco_transitions = {
        "new": ("in_review", *DECIDED_STATES),
        "in_review": DECIDED_STATES,
    }
    _lco_anonymise_wizard_field = "request_ids"
    _lco_retention_field = "lco_request_retention_months"
    _order = "date_received desc, id desc"
    _rec_names_search = ["name", "client_name"]
    _check_company_auto = True

    name = fields.Char(
        "Reference",
        required=True,
        readonly=True,
        copy=False,
        index="trigram",
        default=lambda self: self.env._("New"),
    )
    company_id = fields.Many2one(
        "res.company",
        "Organisation",
        required=True,
        index=True,
        compute="_compute_company_id",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        help="The organisation of the client's place of residence, found from his "
        "postcode.",
    )
    is_unrouted = fields.Boolean(
        "Postcode Not Routed",
        compute="_compute_company_id",
        store=True,
        precompute=True,
        help="No organisation serves the client's postcode in the routing table: "
        "the request went to the default organisation.",
    )
    channel = fields.Selection(
        [
            ("internal", "Internal Form"),
            ("web", "Public Web Form"),
            ("phone", "Phone"),
            ("mail", "Mail"),
        ],
        required=True,
        default="internal",
    )
    state = fields.Selection(
        [
            ("new", "New"),
            ("in_review", "In Review"),
            ("accepted", "Accepted"),
            ("declined", "Declined"),
            ("redirected", "Redirected"),
        ],
        "Status",
        required=True,
        default="new",
        index=True,
        copy=False,
        tracking=True,
        group_expand=True,
    )
    urgency = fields.Selection(URGENCIES, required=True, default="0")
    date_received = fields.Datetime(
        "Received On", required=True, copy=False, default=fields.Datetime.now
    )
    date_decided = fields.Datetime("Decided On", readonly=True, copy=False)
    days_to_decision = fields.Integer(
        compute="_compute_days_to_decision",
        store=True,
        aggregator="avg",
        help="Days from receiving the request to the decision.",
    )
    user_id = fields.Many2one(
        "res.users",
        "Intake Coordinator",
        index="btree_not_null",
        tracking=True,
        copy=False,
        check_company=True,
        domain=lambda self: [
            ("share", "=", False),
            ("groups_id", "in", self.env.ref(COORDINATOR_GROUP).ids),
        ],
    )

    kind = fields.Selection(
        CASE_KINDS,
        required=True,
        default="local",
        index=True,
        tracking=True,
        help="The kind of client consultation asked for; the case accepting the "
        "request opens is of this kind.",
    )
    requester_type = fields.Selection(
        REQUESTER_TYPES, "Who Asks", required=True, default="professional"
    )
    requester_user_id = fields.Many2one(
        "res.users",
        "Submitted By",
        index="btree_not_null",
        readonly=True,
        ondelete="set null",
        default=lambda self: self.env.user,
    )
    requester_partner_id = fields.Many2one(
        "res.partner",
        "Requester Contact",
        index="btree_not_null",
        default=lambda self: self.env.user.partner_id,
    )
    requester_name = fields.Char("Requester", default=lambda self: self.env.user.name)
    requester_organisation = fields.Char(
        "Requester's Service",
        default=lambda self: self.env.company.name,
    )
    requester_email = fields.Char(default=lambda self: self.env.user.email)
    requester_phone = fields.Char(default=lambda self: self.env.user.phone)
    requester_lang = fields.Selection(
        _lang_get,
        "Requester's Language",
        default=lambda self: self.env.lang,
        help="The language of the mails to the requester.",
    )

    client_id = fields.Many2one(
        "res.partner",
        "Client Contact",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        help="The client among the contacts, when he is known already. Otherwise "
        "the coordinator chooses or creates the contact when accepting.",
    )
    client_name = fields.Char("Client", required=True)
    client_birthdate = fields.Date("Client's Birth Date")
    client_street = fields.Char("Street and Number")
    client_zip = fields.Char(
        "Postcode",
        required=True,
        index=True,
        help="The postcode of the municipality where the client lives or stays: "
        "it decides which organisation takes in the request.",
    )
    client_city = fields.Char("Municipality")
    client_phone = fields.Char("Client's Phone")
    client_email = fields.Char("Client's E-mail")

    question = fields.Text(
        "What Should Change",
        required=True,
        help="The client's question: what he wants to see changed in his situation.",
    )
    life_domain_ids = fields.Many2many("lco.life.domain", string="Life Domains")
    services_involved = fields.Text(
        help="The services and aid workers already involved with the client."
    )
    client_informed = fields.Boolean("The Client Knows About This Request")
    client_agrees = fields.Boolean("The Client Agrees")

    intake_ids = fields.One2many(
        "lco.request.intake", "request_id", groups=COORDINATOR_GROUP
    )
    # The intake as the reading user's record rules show it: empty on the
    # requests of another organisation (lco.request.intake).
    intake_added_value = fields.Selection(
        ASSESSMENT,
        "Added Value for the Client",
        compute="_compute_intake",
        inverse="_inverse_intake",
        search="_search_intake_added_value",
        compute_sudo=False,
        groups=COORDINATOR_GROUP,
        help="Can bringing everyone together support the client or give him more "
        "perspective? Added value for the aid workers alone is not enough.",
    )
    intake_open_conversation = fields.Selection(
        ASSESSMENT,
        "Open Conversation Possible",
        compute="_compute_intake",
        inverse="_inverse_intake",
        search="_search_intake_open_conversation",
        compute_sudo=False,
        groups=COORDINATOR_GROUP,
        help="Is an open and constructive conversation possible, or is trust so "
        "fragile that a bilateral talk should come first?",
    )
    intake_room_to_choose = fields.Selection(
        ASSESSMENT,
        "Room to Choose",
        compute="_compute_intake",
        inverse="_inverse_intake",
        search="_search_intake_room_to_choose",
        compute_sudo=False,
        groups=COORDINATOR_GROUP,
        help="Is there real room to weigh alternatives and make choices, and room "
        "to decide for the people around the table?",
    )
    intake_note = fields.Text(
        "Intake Notes",
        compute="_compute_intake",
        inverse="_inverse_intake",
        search="_search_intake_note",
        compute_sudo=False,
        groups=COORDINATOR_GROUP,
        help="Private to the coordinators: the requester does not see them.",
    )
    decision_reason = fields.Text(
        "Reason for the Decision",
        readonly=True,
        copy=False,
        tracking=True,
        help="Recorded with every decision; it can be mailed to the requester.",
    )
    redirected_to = fields.Char(
        readonly=True,
        copy=False,
        tracking=True,
        help="Where the requester was sent instead: a service, an aid worker or the "
        "OCMW of the client's municipality. Mailed to the requester with the "
        "decision.",
    )
    case_id = fields.Many2one(
        "lco.case",
        readonly=True,
        copy=False,
        index="btree_not_null",
        tracking=True,
        check_company=True,
    )
    # Computed as the reading user: whether a person has a case, or is a
    # contact somewhere, is itself confidential.
    match_partner_ids = fields.Many2many(
        "res.partner",
        string="Matching Contacts",
        compute="_compute_client_matches",
        compute_sudo=False,
        groups=COORDINATOR_GROUP,
        help="Contacts with the client's name and the same birth date, e-mail "
        "address or phone number.",
    )
    open_case_id = fields.Many2one(
        "lco.case",
        "Client's Open Case",
        compute="_compute_client_matches",
        compute_sudo=False,
        groups=COORDINATOR_GROUP,
    )
    # The next activity, read as the user: Odoo's related fields show it as
    # superuser, also to a requester who may not read the coordinators' to-dos.
    activity_user_id = fields.Many2one(compute_sudo=False, depends_context=["uid"])
    activity_type_id = fields.Many2one(compute_sudo=False, depends_context=["uid"])
    activity_type_icon = fields.Char(compute_sudo=False, depends_context=["uid"])
    activity_summary = fields.Char(compute_sudo=False, depends_context=["uid"])
    is_editable = fields.Boolean(compute="_compute_is_editable")
    is_intake_coordinator = fields.Boolean(
        "Takes In the Request",
        compute="_compute_is_intake_coordinator",
        help="You are a coordinator of the organisation the request goes to.",
    )

    @api.depends("client_zip", "kind")
    def _compute_company_id(self):
        routes = self.env["lco.postcode.route"]
        # A youth-care request goes to the regional contact point of its
        # postcode, a local one to the OCMW: one routing table, a route per kind.
        by_kind = {
            kind: routes._companies_by_zip(
                self.filtered(lambda r, kind=kind: r.kind == kind).mapped("client_zip"),
                kind,
            )
            for kind in set(self.mapped("kind"))
        }
        for request in self:
            companies = by_kind.get(request.kind, {})
            company = companies.get(routes._normalize_zip(request.client_zip))
            request.company_id = company or routes._default_company()
            request.is_unrouted = bool(request.client_zip) and not company

    @api.depends(*(f"intake_ids.{name}" for name in INTAKE_FIELDS.values()))
    @api.depends_context("uid")
    def _compute_intake(self):
        """Read as the user: his record rules on the intake decide."""
        intakes = self._intakes()
        for request in self:
            intake = intakes.get(request._origin.id)
            for name, intake_name in INTAKE_FIELDS.items():
                request[name] = intake[intake_name] if intake else False

    def _inverse_intake(self):
        """Written as the user, in the intake (created when missing)."""
        intakes = self._intakes()
        Intake = self.env["lco.request.intake"]
        for request in self:
            values = {
                intake_name: request[name]
                for name, intake_name in INTAKE_FIELDS.items()
            }
            intake = intakes.get(request.id)
            if intake:
                intake.write(values)
            else:
                Intake.create({"request_id": request.id, **values})

    def _search_intake_added_value(self, operator, value):
        return self._search_intake("intake_added_value", operator, value)

    def _search_intake_open_conversation(self, operator, value):
        return self._search_intake("intake_open_conversation", operator, value)

    def _search_intake_room_to_choose(self, operator, value):
        return self._search_intake("intake_room_to_choose", operator, value)

    def _search_intake_note(self, operator, value):
        return self._search_intake("intake_note", operator, value)

    def _search_intake(self, name, operator, value):
        """A search on the intake searches the intakes the user reads."""
        return [("intake_ids", "any", [(INTAKE_FIELDS[name], operator, value)])]

    def _intakes(self):
        """The intakes of the requests the user may read, by request id."""
        Intake = self.env["lco.request.intake"]
        ids = [id_ for id_ in self._origin.ids if id_]
        if not ids or not Intake.has_access("read"):
            return {}
        return {
            intake.request_id.id: intake
            for intake in Intake.search([("request_id", "in", ids)])
        }

    @api.depends("company_id")
    @api.depends_context("uid")
    def _compute_is_intake_coordinator(self):
        intake = self._filter_intake()
        for request in self:
            request.is_intake_coordinator = request in intake

    @api.depends("state", "company_id")
    @api.depends_context("uid")
    def _compute_is_editable(self):
        """The requester corrects his request until a coordinator takes it in."""
        intake = self._filter_intake()
        for request in self:
            request.is_editable = request.state == "new" or (
                request in intake and request.state == "in_review"
            )

    @api.depends(
        "company_id",
        "client_id",
        "client_name",
        "client_birthdate",
        "client_email",
        "client_phone",
    )
    @api.depends_context("uid")
    def _compute_client_matches(self):
        """The contacts and open case of the client, as far as the user finds
        them himself, and only for the requests he takes in."""
        intake = self._filter_intake()
        for request in self - intake:
            request.match_partner_ids = False
            request.open_case_id = False
        if not intake:
            return
        candidates = intake._client_candidates()
        clients = candidates | intake.client_id
        open_cases = self.env["lco.case"].search(
            [
                ("client_id", "in", clients.ids),
                ("company_id", "in", intake.company_id.ids),
                ("state", "in", OPEN_CASE_STATES),
            ],
            order="id",
        )
        for request in intake:
            request.match_partner_ids = candidates.filtered(request._is_same_person)
            people = request.client_id | request.match_partner_ids
            request.open_case_id = open_cases.filtered(
                lambda case, request=request, people=people: (
                    case.client_id in people and case.company_id == request.company_id
                )
            )[:1]

    @api.constrains("client_informed", "client_agrees")
    def _check_client_consent(self):
        for request in self:
            if not (request.client_informed and request.client_agrees):
                raise ValidationError(
                    self.env._(
                        "A client consultation is only requested when the client "
                        "knows about it and agrees: discuss it with him first."
                    )
                )

    @api.constrains("kind", "requester_type")
    def _check_requester_type(self):
        """A parent, a trusted person or a support figure sits at a youth-care
        table only (the participant roles of youth care)."""
        for request in self:
            if (
                request.kind != "youth"
                and request.requester_type not in LOCAL_REQUESTER_TYPES
            ):
                raise ValidationError(
                    self.env._(
                        "Only a youth-care client consultation is asked for by "
                        "the young person, a parent, a trusted person or a "
                        "support figure: choose who asks again."
                    )
                )

    @api.constrains("requester_email", "client_email")
    def _check_email_addresses(self):
        for request in self:
            for email in (request.requester_email, request.client_email):
                if email and not tools.single_email_re.match(email):
                    raise ValidationError(
                        self.env._("%s is not a valid e-mail address.", email)
                    )

    @api.onchange("client_id")
    def _onchange_client_id(self):
        if self.client_id:
            self.update(self._client_values(self.client_id))

    @api.onchange("channel")
    def _onchange_channel(self):
        """Whoever phoned or wrote asked, not the user recording the request."""
        if (
            self.channel in ("phone", "mail")
            and self.requester_partner_id == self.env.user.partner_id
        ):
            self.update(
                dict.fromkeys(
                    (
                        "requester_partner_id",
                        "requester_name",
                        "requester_organisation",
                        "requester_email",
                        "requester_phone",
                    ),
                    False,
                )
            )

    @api.depends("date_received", "date_decided")
    def _compute_days_to_decision(self):
        for request in self:
            request.days_to_decision = (
                (request.date_decided.date() - request.date_received.date()).days
                if request.date_decided
                else False
            )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                self._check_create_values(vals)
        partners = self.env["res.partner"].browse(
            [vals["client_id"] for vals in vals_list if vals.get("client_id")]
        )
        for vals in vals_list:
            if vals.get("client_id"):
                client = partners.browse(vals["client_id"])
                vals.update(
                    {
                        key: value
                        for key, value in self._client_values(client).items()
                        if not vals.get(key)
                    }
                )
            if vals.get("name", self.env._("New")) == self.env._("New"):
                # Numbered by its organisation (AANV/HEI/2026/0001), as routed.
                company = self.env["res.company"].browse(
                    vals.get("company_id")
                ) or self._routed_company(vals.get("client_zip"), vals.get("kind"))
                # sudo: the routed organisation may be one the user (or the
                # public) does not work in; only its request number is drawn.
                vals["name"] = self.env["ir.sequence"].sudo().with_company(
                    company
                ).next_by_code("lco.request") or self.env._("New")
            if vals.get("state") in DECIDED_STATES and not vals.get("date_decided"):
                vals["date_decided"] = fields.Datetime.now()
        requests = super().create(vals_list)
        # The constraint only runs for the fields given: the client's agreement
        # is required also when a caller leaves the fields out.
        requests._check_client_consent()
        # sudo: every request has its intake from the start, for the
        # coordinators of its organisation (the intake's rule); the requester
        # only makes the empty row, and reads nothing of it.
        without = requests.sudo().filtered(lambda request: not request.intake_ids)
        self.env["lco.request.intake"].sudo().create(
            [{"request_id": request.id} for request in without]
        )
        requests._notify_coordinators()
        return requests

    def write(self, vals):
        if not self.env.su:
            self._check_write_values(vals)
        if vals.get("state") in DECIDED_STATES and not (
            self.env.su and vals.get("date_decided")
        ):
            vals = {**vals, "date_decided": fields.Datetime.now()}
        routing = {"client_zip", "company_id", "kind"} & set(vals)
        if vals.get("company_id") and "user_id" not in vals:
            # Forwarded: the intake coordinator of the organisation it leaves
            # does not follow the request.
            moved = self.filtered(
                lambda request: (
                    request.user_id and request.company_id.id != vals["company_id"]
                )
            )
            if moved:
                vals = {**vals, "user_id": False}
        companies = {request.id: request.company_id for request in self if routing}
        result = super().write(vals)
        if routing and "user_id" not in vals:
            moved = self.filtered(
                lambda request: (
                    request.user_id and request.company_id != companies[request.id]
                )
            )
            # sudo: a consequence of the new postcode, not a change of the
            # user's: the intake coordinator of the organisation the request
            # leaves does not follow it.
            moved.sudo().user_id = False
        return result

    def message_post(self, **kwargs):
        # Nothing of the client comes back into the chatter that was emptied
        # (defined here: mail.thread's message_post ends the chain).
        if not self.env.su:
            self._check_not_anonymised()
        return super().message_post(**kwargs)

    def _track_subtype(self, init_values):
        self.ensure_one()
        if "state" in init_values and self.state not in UNDECIDED_STATES:
            return self.env.ref("lco_module.mt_lco_request_decided")
        return super()._track_subtype(init_values)

    def action_take(self):
        self._check_intake_access()
        self._check_undecided()
        self.write({"user_id": self.env.user.id, "state": "in_review"})
        return True

    def action_accept(self):
        self.ensure_one()
        self._check_intake_access()
        self._check_undecided()
        return self._wizard_action(
            "lco.request.accept",
            self.env._("Accept Request"),
            default_request_id=self.id,
        )

    def action_decline(self):
        return self._open_decision_wizard("declined", self.env._("Decline Request"))

    def action_redirect(self):
        return self._open_decision_wizard("redirected", self.env._("Redirect Request"))

    def action_view_case(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "lco.case",
            "res_id": self.case_id.id,
            "view_mode": "form",
        }

    def _open_decision_wizard(self, decision, title):
        self._check_intake_access()
        self._check_undecided()
        return self._wizard_action(
            "lco.request.decision",
            title,
            default_request_ids=self.ids,
            default_decision=decision,
        )

    def _wizard_action(self, model, title, **context):
        return {
            "type": "ir.actions.act_window",
            "name": title,
            "res_model": model,
            "view_mode": "form",
            "target": "new",
            "context": context,
        }

    def _accept(self, client, reason):
        """Open a case for the request, or link it to the client's open case.

        ``client`` is the chosen contact, or no record to create one from the
        client data of the request.
        """
        self.ensure_one()
        self._check_decision(reason)
        self._check_intake_answered({q: self[q] for q in INTAKE_QUESTIONS})
        client = client or self.env["res.partner"].create(self._new_client_values())
        case = self._open_case_of(client)
        if case:
            self._join_case(case)
        else:
            case = self.env["lco.case"].create(self._case_values(client))
        self._add_requester_to(case)
        self.write(
            {
                "client_id": client.id,
                "case_id": case.id,
                **self._decision_values("accepted", reason),
            }
        )
        return case

    def _decide(self, decision, reason, redirected_to=False):
        """Decline or redirect the requests, for ``reason``; a redirected one
        records where it was ``redirected_to``."""
        self._check_decision(reason)
        values = self._decision_values(decision, reason)
        if decision == "redirected" and redirected_to:
            values["redirected_to"] = redirected_to.strip()
        self.write(values)

    def _mail_requester(self):
        """Mail the decision to each requester, in his language."""
        template = self.env.ref("lco_module.mail_template_lco_request_decision")
        for request in self:
            if not request.requester_email:
                raise UserError(
                    self.env._(
                        "Request %s has no e-mail address of the requester: tell him "
                        "the decision another way.",
                        request.name,
                    )
                )
            template.send_mail(request.id)

    def _send_confirmation(self):
        """Confirm a web request to its sender: no client data in the mail."""
        template = self.env.ref("lco_module.mail_template_lco_request_received")
        for request in self.filtered("requester_email"):
            template.send_mail(
                request.id,
                email_values={"author_id": request.company_id.partner_id.id},
            )

    # Who takes in which request, and what a write may change

    def _filter_intake(self):
        """The requests the user takes in: those whose intake his record rules
        let him read (the coordinators of their organisation). Coordinators of
        other organisations follow their own requests there as any requester
        does. A request being made has no intake yet: it goes to the
        coordinators of its organisation."""
        if self.env.su:
            return self
        intakes = self._intakes()
        return self.filtered(
            lambda request: (
                request._origin.id in intakes
                if request._origin.id
                else request._is_intake_coordinator_of(request.company_id)
            )
        )

    @api.model
    def _is_intake_user(self, user):
        """A coordinator takes in requests; an external chair (a coordinator of
        the cases he chairs only) does not."""
        return user.has_group(COORDINATOR_GROUP) and not user.has_group(CHAIR_GROUP)

    @api.model
    def _is_intake_coordinator_of(self, company):
        user = self.env.user
        return self.env.su or (
            self._is_intake_user(user) and company in user.company_ids
        )

    def _intake_access_message(self):
        return self.env._(
            "Only the coordinators of the organisation a request goes to take it "
            "in and decide on it."
        )

    def _check_intake_access(self):
        """Raise unless the user may change the requests and is a coordinator of
        their organisation. A request that does not exist or that he may not
        read gets the same answer."""
        if self.env.su:
            return
        requests = self.exists()
        if (
            len(requests) != len(self)
            or not requests.has_access("write")
            or requests - requests._filter_intake()
        ):
            raise AccessError(self._intake_access_message())

    def _check_undecided(self):
        decided = self.filtered(lambda request: request.state not in UNDECIDED_STATES)
        if decided:
            raise UserError(
                self.env._(
                    "Request %s was decided on already.",
                    ", ".join(decided.mapped("name")),
                )
            )

    def _check_decision(self, reason):
        self._check_intake_access()
        self._check_undecided()
        self._check_reason(reason)

    def _check_reason(self, reason):
        if not isinstance(reason, str) or not reason.strip():
            raise UserError(
                self.env._(
                    "Give the reason for the decision: it is recorded and can be "
                    "told to the requester."
                )
            )

    def _check_intake_answered(self, answers):
        missing = [q for q in INTAKE_QUESTIONS if not answers.get(q)]
        if missing:
            raise UserError(
                self.env._(
                    "Answer the intake questions before accepting request %(name)s: "
                    "%(questions)s.",
                    name=self.name,
                    questions=", ".join(
                        self._fields[q]._description_string(self.env) for q in missing
                    ),
                )
            )

    @api.model
    def _check_create_values(self, vals):
        """A request starts new, goes where its postcode routes it, and is
        submitted by the user himself or recorded by him for someone else."""
        self._check_record_ids(vals)
        if (vals.get("name") and vals["name"] != self.env._("New")) or vals.get(
            "requester_user_id"
        ) not in (None, False, self.env.uid):
            raise UserError(self._submission_message())
        if vals.get("channel") == "web":
            raise UserError(self._web_channel_message())
        routed = self._routed_company(vals.get("client_zip"), vals.get("kind"))
        company = self.env["res.company"].browse(vals.get("company_id")) or routed
        if company != routed and not self._is_intake_coordinator_of(routed):
            raise AccessError(self._routing_message(routed))
        intake_values = [
            name for name in COORDINATOR_FIELDS - {"state", "channel"} if vals.get(name)
        ]
        new = vals.get("state", "new") == "new"
        if (intake_values or not new) and not self._is_intake_coordinator_of(company):
            raise AccessError(self._intake_access_message())
        if not new or any(vals.get(name) for name in DECISION_FIELDS):
            raise UserError(
                self.env._(
                    "A request starts as new: a coordinator takes it in and decides "
                    "on it with the buttons of the request."
                )
            )
        if vals.get("user_id"):
            self._check_intake_user(vals["user_id"], company)
        self._check_contacts(vals, company)

    def _check_write_values(self, vals):
        self._check_record_ids(vals)
        names = set(vals)
        if names & SUBMISSION_FIELDS:
            raise UserError(self._submission_message())
        if "date_decided" in names:
            raise UserError(
                self.env._("The date of a decision is recorded with the decision.")
            )
        names -= set(self.env["mail.thread"]._fields)
        names -= set(self.env["mail.activity.mixin"]._fields)
        decided = self.filtered(lambda request: request.state in DECIDED_STATES)
        if decided and names:
            raise UserError(
                self.env._(
                    "Request %s was decided on already: it is kept as it was decided.",
                    ", ".join(decided.mapped("name")),
                )
            )
        if names & COORDINATOR_FIELDS or any(
            request._is_rerouted(vals) for request in self
        ):
            self._check_intake_access()
        if names & {"client_zip", "company_id", "kind"}:
            taken = self.filtered(
                lambda request: (
                    request.state != "new"
                    and request._company_after(vals) != request.company_id
                )
            )
            if taken:
                raise UserError(
                    self.env._(
                        "Request %s was taken in already: it stays with its "
                        "organisation. Redirect it to the organisation of the "
                        "client's municipality instead.",
                        ", ".join(taken.mapped("name")),
                    )
                )
        if "channel" in vals and any(
            "web" in (vals["channel"], request.channel)
            and vals["channel"] != request.channel
            for request in self
        ):
            raise UserError(self._web_channel_message())
        if "state" not in vals and names & DECISION_FIELDS:
            raise UserError(self._decision_fields_message())
        for request in self:
            company = request._company_after(vals)
            if vals.get("user_id"):
                request._check_intake_user(vals["user_id"], company)
            if names & {*CONTACT_FIELDS, "company_id", "client_zip", "kind"}:
                request._check_contacts(vals, company)

    def _lco_transition_hint(self, state):
        return self.env._(
            "Take it in, accept, decline or redirect it with its buttons."
        )

    def _lco_check_state_write(self, state, vals):
        for request in self:
            if state == request.state:
                if DECISION_FIELDS & set(vals):
                    raise UserError(self._decision_fields_message())
                continue
            request._check_decision_values(state, vals)

    def _check_decision_values(self, state, vals):
        """What the new ``state`` needs, in the request as ``vals`` leave it."""
        self.ensure_one()
        user_id = vals["user_id"] if "user_id" in vals else self.user_id.id
        reason = vals["decision_reason"] if "decision_reason" in vals else None
        case_id = vals["case_id"] if "case_id" in vals else self.case_id.id
        if state not in DECIDED_STATES:
            if DECISION_FIELDS & set(vals):
                raise UserError(self._decision_fields_message())
            if not user_id:
                raise UserError(
                    self.env._(
                        "Name the coordinator who takes in request %s.", self.name
                    )
                )
            return
        self._check_reason(reason)
        if vals.get("redirected_to") and state != "redirected":
            raise UserError(self._decision_fields_message())
        if state != "accepted":
            if case_id:
                raise UserError(self._decision_fields_message())
            return
        self._check_intake_answered({q: vals.get(q, self[q]) for q in INTAKE_QUESTIONS})
        client_id = vals["client_id"] if "client_id" in vals else self.client_id.id
        case = self.env["lco.case"].browse(case_id)
        if not (
            case_id
            and case.exists()
            and case.has_access("read")
            and case.company_id == self.company_id
            and case.client_id.id == client_id
            and case.state in OPEN_CASE_STATES
        ):
            raise UserError(
                self.env._(
                    "Request %(name)s is accepted with its Accept button: it opens a "
                    "case for the client in %(organisation)s, or links the request to "
                    "his open case there that you coordinate.",
                    name=self.name,
                    organisation=self.company_id.name,
                )
            )

    def _check_intake_user(self, user_id, company):
        """The intake coordinator is a coordinator of the organisation."""
        coordinators = self.env["res.users"].search_count(
            [
                ("id", "=", user_id),
                ("share", "=", False),
                ("groups_id", "in", self.env.ref(COORDINATOR_GROUP).ids),
                ("company_ids", "in", company.ids),
            ]
        )
        if not coordinators:
            raise UserError(
                self.env._(
                    "Choose the intake coordinator among the coordinators of %s.",
                    company.sudo().name,
                )
            )

    def _check_contacts(self, vals, company):
        """Contacts the user may read, and a client of the organisation the
        request goes to (or a contact shared by all organisations)."""
        Partner = self.env["res.partner"]
        for name in CONTACT_FIELDS:
            partner = Partner.browse(vals.get(name) or ())
            if partner == self[name]:
                continue  # unchanged
            if partner and not (partner.exists() and partner.has_access("read")):
                raise UserError(
                    self.env._(
                        "%s: choose a contact you can see among the contacts.",
                        self._fields[name]._description_string(self.env),
                    )
                )
        client = (
            Partner.browse(vals["client_id"] or ())
            if "client_id" in vals
            else self.client_id
        )
        # sudo: only compared, as the ORM's company check does.
        client_company = client.sudo().company_id
        if client_company and client_company != company:
            raise UserError(
                self.env._(
                    "The client's contact belongs to another organisation than "
                    "%s, where the request goes: leave the contact empty, the "
                    "coordinator chooses it when accepting the request.",
                    company.sudo().name,
                )
            )

    @api.model
    def _check_record_ids(self, vals):
        """Many-to-one values checked here are record ids, or empty."""
        for name in (*CONTACT_FIELDS, "case_id", "user_id", "company_id"):
            value = vals.get(name)
            if value and (not isinstance(value, int) or isinstance(value, bool)):
                raise ValidationError(
                    self.env._(
                        "%s: give the id of a record, or nothing.",
                        self._fields[name]._description_string(self.env),
                    )
                )

    @api.model
    def _routed_company(self, zip_code, kind=None):
        """The organisation that serves postcode ``zip_code`` for requests of
        ``kind`` (local by default), or the default."""
        routes = self.env["lco.postcode.route"]
        company = routes._companies_by_zip([zip_code], kind or "local").get(
            routes._normalize_zip(zip_code)
        )
        return company or routes._default_company()

    def _company_after(self, vals):
        """The organisation of the request once ``vals`` are written."""
        self.ensure_one()
        if vals.get("company_id"):
            return self.env["res.company"].browse(vals["company_id"])
        if {"client_zip", "kind"} & set(vals):
            return self._routed_company(
                vals.get("client_zip", self.client_zip), vals.get("kind", self.kind)
            )
        return self.company_id

    def _is_rerouted(self, vals):
        """Whether ``vals`` send the request elsewhere than its postcode routes it."""
        self.ensure_one()
        if not vals.get("company_id"):
            return False
        zip_code = vals["client_zip"] if "client_zip" in vals else self.client_zip
        kind = vals.get("kind", self.kind)
        return vals["company_id"] != self._routed_company(zip_code, kind).id

    def _submission_message(self):
        return self.env._(
            "The reference of a request and the user who submitted it are set when "
            "it is submitted: they do not change."
        )

    def _web_channel_message(self):
        return self.env._(
            "Only the public form sends requests from the web: choose the channel "
            "the request came in by, and keep that of a request from the web."
        )

    def _decision_fields_message(self):
        return self.env._(
            "The reason, the case and the date of a decision are recorded with the "
            "decision, by accepting, declining or redirecting the request."
        )

    def _routing_message(self, routed):
        return self.env._(
            "The request goes to %s, which serves the client's postcode: only a "
            "coordinator of that organisation forwards it to another one.",
            routed.name,
        )

    def _decision_values(self, decision, reason):
        return {
            "state": decision,
            "decision_reason": reason.strip(),
            "user_id": self.env.user.id,
        }

    def _client_values(self, partner):
        return {
            "client_name": partner.name,
            "client_birthdate": partner.lco_birthdate,
            "client_street": partner.street,
            "client_zip": partner.zip,
            "client_city": partner.city,
            "client_phone": partner.phone or partner.mobile,
            "client_email": partner.email,
        }

    def _new_client_values(self):
        return {
            "name": self.client_name,
            "lco_birthdate": self.client_birthdate,
            "street": self.client_street,
            "zip": self.client_zip,
            "city": self.client_city,
            "country_id": self.company_id.country_id.id,
            "phone": self.client_phone,
            "email": self.client_email,
            "lang": self._new_contact_lang(),
            "company_id": self.company_id.id,
        }

    def _new_contact_lang(self):
        """The language of a contact created from the request: the language the
        request was made in, else the organisation's, never silently English."""
        # sudo: only the language of the request's own organisation is read.
        return (
            self.requester_lang
            or self.company_id.sudo().partner_id.lang
            or self.env.lang
        )

    def _case_values(self, client):
        return {
            "company_id": self.company_id.id,
            "kind": self.kind,
            "client_id": client.id,
            "coordinator_id": self.env.user.id,
            "question": self.question,
            "date_requested": fields.Date.context_today(self, self.date_received),
            "life_domain_line_ids": [
                Command.create({"life_domain_id": domain.id})
                for domain in self.life_domain_ids
            ],
        }

    def _client_candidates(self):
        """Contacts named like the clients of the requests, in their companies."""
        names = set(map(_plain_name, self.mapped("client_name"))) - {""}
        if not names:
            return self.env["res.partner"]
        return self.env["res.partner"].search(
            expression.AND(
                [
                    expression.OR(
                        [[("name", "=ilike", tools.escape_psql(n))] for n in names]
                    ),
                    [("company_id", "in", [*self.company_id.ids, False])],
                    [("is_company", "=", False)],
                ]
            )
        )

    def _is_same_person(self, partner):
        """The typed name, and the birth date, e-mail address or phone number."""
        if _plain_name(self.client_name) != _plain_name(partner.name) or (
            partner.company_id not in (self.company_id, partner.browse())
        ):
            return False
        email = tools.email_normalize(self.client_email or "")
        phone = _phone_digits(self.client_phone)
        return bool(
            (self.client_birthdate and partner.lco_birthdate == self.client_birthdate)
            or (email and tools.email_normalize(partner.email or "") == email)
            or (
                phone
                and phone
                in (_phone_digits(partner.phone), _phone_digits(partner.mobile))
            )
        )

    def _open_case_of(self, client):
        # sudo: one client, one open case per organisation: his open case counts
        # even when a colleague coordinates it. Only a coordinator of the
        # request's organisation accepts it (_check_decision), and _join_case
        # only tells him which case and whose, to hand the request over.
        case = (
            self.env["lco.case"]
            .sudo()
            .search(
                [
                    ("client_id", "=", client.id),
                    ("company_id", "=", self.company_id.id),
                    ("state", "in", OPEN_CASE_STATES),
                ],
                order="id",
                limit=1,
            )
        )
        return case.sudo(False)

    def _join_case(self, case):
        """Bring the request into the client's open case."""
        if not case.has_access("write"):
            raise UserError(
                self.env._(
                    "The client already has case %(case)s, coordinated by "
                    "%(coordinator)s: assign the request to that coordinator.",
                    case=case.sudo().name,
                    coordinator=case.sudo().coordinator_id.name,
                )
            )
        new_domains = self.life_domain_ids - case.life_domain_ids
        case.write(
            {
                "life_domain_line_ids": [
                    Command.create({"life_domain_id": domain.id})
                    for domain in new_domains
                ]
            }
        )
        case.message_post(
            body=self.env._(
                "Request %(request)s was linked to this case: %(question)s",
                request=self.name,
                question=self.question,
            )
        )

    def _add_requester_to(self, case):
        """The requester, unless he is the client, takes part in the case."""
        if self.requester_type in CLIENT_REQUESTER_TYPES:
            return
        requester = self.requester_partner_id or self._requester_contact()
        if requester != self.requester_partner_id:
            self.requester_partner_id = requester
        takes_part = case.with_context(active_test=False).participant_ids.partner_id
        if requester and requester not in case.client_id | takes_part:
            self.env["lco.participant"].create(
                {
                    "case_id": case.id,
                    "partner_id": requester.id,
                    "role": PARTICIPANT_ROLES.get(self.requester_type, "network"),
                }
            )

    def _requester_contact(self):
        """The contact of a requester from outside: found by e-mail, or new."""
        if not self.requester_name:
            return self.env["res.partner"]
        company_domain = [("company_id", "in", [self.company_id.id, False])]
        if self.requester_email:
            known = self.env["res.partner"].search(
                [("email", "=ilike", self.requester_email), *company_domain], limit=1
            )
            if known:
                return known
        return self.env["res.partner"].create(
            {
                "name": self.requester_name,
                "email": self.requester_email,
                "phone": self.requester_phone,
                "company_name": self.requester_organisation,
                "lang": self._new_contact_lang(),
                "company_id": self.company_id.id,
            }
        )

    def _notify_coordinators(self):
        """Tell the coordinators of each organisation a request arrived.

        The notice is an internal note of OdooBot: the requester does not read
        it, nor who its recipients are (see mail.message below)."""
        # sudo: whoever sends a request may not list the coordinators.
        coordinators = self.env.ref(COORDINATOR_GROUP).sudo().users
        odoobot = self.env.ref("base.partner_root")
        for request in self:
            recipients = (
                coordinators.filtered(
                    lambda user, request=request: (
                        request.company_id in user.company_ids
                        and not user.share
                        and self._is_intake_user(user)
                    )
                ).partner_id
                - self.env.user.partner_id
            )
            if not recipients:
                continue
            # One message for all: in the language most of them read.
            langs = Counter(recipients.mapped("lang")).most_common(1)
            # sudo: the notice is OdooBot's, not the requester's, who may not
            # read it. Its mails go out with the mail queue, not while the
            # requester waits for the form's answer.
            in_lang = request.sudo().with_context(
                lang=langs[0][0] or self.env.lang, mail_notify_force_send=False
            )
            in_lang.message_post(
                body=in_lang.env._(
                    "A new request for a client consultation arrived: weigh it in "
                    "the intake of %s.",
                    request.company_id.name,
                ),
                author_id=odoobot.id,
                partner_ids=recipients.ids,
                subtype_xmlid="mail.mt_note",
            )

    # Retention (lco.anonymisable) ---------------------------------------------

    def _lco_ended_domain(self):
        return [("state", "in", ("declined", "redirected"))]

    def _lco_not_ended_message(self, record):
        return self.env._(
            "Request %s was not declined or redirected: an accepted request is "
            "anonymised with its case, an open one not at all.",
            record.name,
        )

    def _lco_due_domain(self, company, limit):
        return [("company_id", "=", company.id), ("date_decided", "<", limit)]

    def _lco_records(self):
        return [self, self.intake_ids]

    def _lco_anonymise(self):
        """Remove the client's and the requester's data, every text, the
        chatter, files and activities of the requests."""
        self._check_may_anonymise()
        self.env["lco.access.log"]._log(self, "anonymise")
        # sudo: checked above; the chatter, files and activities of everyone
        # who handled the requests go.
        # One path with tracking off from the first write (anonymised_date
        # included), which also drops what was tracked before.
        erase(self.sudo()._lco_records(), mark=fields.Datetime.now())
