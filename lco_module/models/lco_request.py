import re
from collections import Counter
from datetime import timedelta

from odoo import Command, api, fields, models, tools
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression

from odoo.addons.base.models.res_partner import _lang_get

COORDINATOR_GROUP = "lco_module.group_lco_coordinator"
UNDECIDED_STATES = ("new", "in_review")
OPEN_CASE_STATES = ("draft", "active")
REQUESTER_TYPES = [
    ("client", "The client himself"),
    ("network", "Someone from his network"),
    ("professional", "An aid worker"),
    ("other", "Someone else"),
]
# The role a requester gets in the case opened for his request.
PARTICIPANT_ROLES = {"network": "network", "professional": "professional"}
URGENCIES = [("0", "Can wait"), ("1", "Soon"), ("2", "Urgent")]
ASSESSMENT = [("yes", "Yes"), ("no", "No"), ("unsure", "Not Sure Yet")]
# Only a coordinator sets these, through the intake buttons.
WORKFLOW_FIELDS = {"state", "user_id", "case_id", "decision_reason", "date_decided"}
INTAKE_QUESTIONS = (
    "intake_added_value",
    "intake_open_conversation",
    "intake_room_to_choose",
)
RATE_LIMIT_PARAM = "lco_module.request_rate_limit"
RATE_LIMIT_DEFAULT = 10


def _plain_name(name):
    """A name as people compare it: case and extra spaces do not count."""
    return " ".join((name or "").split()).lower()


def _phone_digits(phone):
    """The last nine digits: the same number written as +32 470 ... or 0470 ..."""
    digits = re.sub(r"\D", "", phone or "")
    return digits[-9:] if len(digits) >= 8 else ""


class LcoRequest(models.Model):
    _name = "lco.request"
    _description = "Client Consultation Request"
    _inherit = ["mail.thread", "mail.activity.mixin"]
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

    intake_added_value = fields.Selection(
        ASSESSMENT,
        "Added Value for the Client",
        groups=COORDINATOR_GROUP,
        help="Can bringing everyone together support the client or give him more "
        "perspective? Added value for the aid workers alone is not enough.",
    )
    intake_open_conversation = fields.Selection(
        ASSESSMENT,
        "Open Conversation Possible",
        groups=COORDINATOR_GROUP,
        help="Is an open and constructive conversation possible, or is trust so "
        "fragile that a bilateral talk should come first?",
    )
    intake_room_to_choose = fields.Selection(
        ASSESSMENT,
        "Room to Choose",
        groups=COORDINATOR_GROUP,
        help="Is there real room to weigh alternatives and make choices, and room "
        "to decide for the people around the table?",
    )
    intake_note = fields.Text(
        "Intake Notes",
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
    case_id = fields.Many2one(
        "lco.case",
        readonly=True,
        copy=False,
        index="btree_not_null",
        tracking=True,
        check_company=True,
    )
    match_partner_ids = fields.Many2many(
        "res.partner",
        string="Matching Contacts",
        compute="_compute_client_matches",
        compute_sudo=True,
        groups=COORDINATOR_GROUP,
        help="Contacts with the client's name and the same birth date, e-mail "
        "address or phone number.",
    )
    open_case_id = fields.Many2one(
        "lco.case",
        "Client's Open Case",
        compute="_compute_client_matches",
        compute_sudo=True,
        groups=COORDINATOR_GROUP,
    )
    is_editable = fields.Boolean(compute="_compute_is_editable")
    remote_addr_hash = fields.Char(
        "Sender Address Fingerprint",
        index="btree_not_null",
        copy=False,
        groups="base.group_system",
        help="A salted hash of the internet address a public request came from, to "
        "limit how many requests one address sends. Cleared after a day.",
    )

    @api.depends("client_zip")
    def _compute_company_id(self):
        routes = self.env["lco.postcode.route"]
        companies = routes._companies_by_zip(self.mapped("client_zip"))
        for request in self:
            company = companies.get(routes._normalize_zip(request.client_zip))
            request.company_id = company or routes._default_company()
            request.is_unrouted = bool(request.client_zip) and not company

    @api.depends("state")
    @api.depends_context("uid")
    def _compute_is_editable(self):
        """The requester corrects his request until a coordinator takes it in."""
        is_coordinator = self.env.user.has_group(COORDINATOR_GROUP)
        for request in self:
            request.is_editable = request.state == "new" or (
                is_coordinator and request.state == "in_review"
            )

    @api.depends(
        "company_id",
        "client_id",
        "client_name",
        "client_birthdate",
        "client_email",
        "client_phone",
    )
    def _compute_client_matches(self):
        candidates = self._client_candidates()
        clients = candidates | self.client_id
        open_cases = self.env["lco.case"].search(
            [
                ("client_id", "in", clients.ids),
                ("company_id", "in", self.company_id.ids),
                ("state", "in", OPEN_CASE_STATES),
            ],
            order="id",
        )
        for request in self:
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

    @api.model_create_multi
    def create(self, vals_list):
        if any(
            vals.get("state", "new") != "new"
            or any(vals.get(name) for name in WORKFLOW_FIELDS - {"state"})
            for vals in vals_list
        ):
            self._check_coordinator()
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
                vals["name"] = self.env["ir.sequence"].next_by_code(
                    "lco.request"
                ) or self.env._("New")
        requests = super().create(vals_list)
        requests._notify_coordinators()
        return requests

    def write(self, vals):
        if WORKFLOW_FIELDS & set(vals):
            self._check_coordinator()
        return super().write(vals)

    def _track_subtype(self, init_values):
        self.ensure_one()
        if "state" in init_values and self.state not in UNDECIDED_STATES:
            return self.env.ref("lco_module.mt_lco_request_decided")
        return super()._track_subtype(init_values)

    def action_take(self):
        self._check_coordinator()
        self._check_undecided()
        self.write({"user_id": self.env.user.id, "state": "in_review"})

    def action_accept(self):
        self.ensure_one()
        self._check_coordinator()
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
        self._check_coordinator()
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
        missing = [q for q in INTAKE_QUESTIONS if not self[q]]
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

    def _decide(self, decision, reason):
        """Decline or redirect the requests, for ``reason``."""
        self._check_decision(reason)
        self.write(self._decision_values(decision, reason))

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

    def _check_coordinator(self):
        if not self.env.su and not self.env.user.has_group(COORDINATOR_GROUP):
            raise AccessError(
                self.env._("Only a coordinator takes in requests and decides on them.")
            )

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
        self._check_coordinator()
        self._check_undecided()
        if not (reason or "").strip():
            raise UserError(
                self.env._(
                    "Give the reason for the decision: it is recorded and can be "
                    "told to the requester."
                )
            )

    def _decision_values(self, decision, reason):
        return {
            "state": decision,
            "decision_reason": reason.strip(),
            "date_decided": fields.Datetime.now(),
            "user_id": self.env.user.id,
        }

    def _client_values(self, partner):
        return {
            "client_name": partner.name,
            "client_birthdate": partner.birthdate_date,
            "client_street": partner.street,
            "client_zip": partner.zip,
            "client_city": partner.city,
            "client_phone": partner.phone or partner.mobile,
            "client_email": partner.email,
        }

    def _new_client_values(self):
        return {
            "name": self.client_name,
            "birthdate_date": self.client_birthdate,
            "street": self.client_street,
            "zip": self.client_zip,
            "city": self.client_city,
            "country_id": self.company_id.country_id.id,
            "phone": self.client_phone,
            "email": self.client_email,
            "company_id": self.company_id.id,
        }

    def _case_values(self, client):
        return {
            "company_id": self.company_id.id,
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
            (self.client_birthdate and partner.birthdate_date == self.client_birthdate)
            or (email and tools.email_normalize(partner.email or "") == email)
            or (
                phone
                and phone
                in (_phone_digits(partner.phone), _phone_digits(partner.mobile))
            )
        )

    def _open_case_of(self, client):
        # sudo: the client's open case counts even when another coordinator of
        # the organisation runs it; _join_case checks who may change it.
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
        if self.requester_type == "client":
            return
        requester = self.requester_partner_id or self._requester_contact()
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
                "lang": self.requester_lang,
                "company_id": self.company_id.id,
            }
        )

    def _notify_coordinators(self):
        """Tell the coordinators of each organisation a request arrived."""
        # sudo: whoever sends a request may not list the coordinators.
        coordinators = self.env.ref(COORDINATOR_GROUP).sudo().users
        odoobot = self.env.ref("base.partner_root")
        for request in self:
            recipients = (
                coordinators.filtered(
                    lambda user, request=request: (
                        request.company_id in user.company_ids and not user.share
                    )
                ).partner_id
                - self.env.user.partner_id
            )
            if not recipients:
                continue
            # One message for all: in the language most of them read.
            langs = Counter(recipients.mapped("lang")).most_common(1)
            in_lang = request.with_context(lang=langs[0][0] or self.env.lang)
            in_lang.message_post(
                body=in_lang.env._(
                    "A new request for a client consultation arrived: weigh it in "
                    "the intake of %s.",
                    request.company_id.name,
                ),
                author_id=(
                    odoobot.id
                    if self.env.user._is_public()
                    else self.env.user.partner_id.id
                ),
                partner_ids=recipients.ids,
                subtype_xmlid="mail.mt_note",
            )

    @api.model
    def _remote_addr_hash(self, remote_addr):
        return tools.misc.hmac(self.env(su=True), "lco-request-sender", remote_addr)

    @api.model
    def _rate_limit_reached(self, addr_hash):
        """Whether this address sent as many requests as allowed this hour."""
        limit = int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param(RATE_LIMIT_PARAM, RATE_LIMIT_DEFAULT)
        )
        since = fields.Datetime.now() - timedelta(hours=1)
        # sudo: the public user counts requests he may not read.
        sent = self.sudo().search_count(
            [("remote_addr_hash", "=", addr_hash), ("create_date", ">=", since)],
            limit=limit,
        )
        return sent >= limit

    @api.model
    def _cron_forget_sender_addresses(self):
        self.search(
            [
                ("remote_addr_hash", "!=", False),
                ("create_date", "<", fields.Datetime.now() - timedelta(days=1)),
            ]
        ).write({"remote_addr_hash": False})
