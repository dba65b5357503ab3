from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

PIVOT_ROLES = ("professional", "trusted_person")


class LcoCase(models.Model):
    _name = "lco.case"
    _description = "Client Consultation Case"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_requested desc, id desc"
    _rec_names_search = ["name", "client_id.name"]
    _check_company_auto = True

    name = fields.Char(
        "Case Number",
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
        default=lambda self: self.env.company,
        tracking=True,
    )
    client_id = fields.Many2one(
        "res.partner",
        required=True,
        index=True,
        check_company=True,
        tracking=True,
    )
    coordinator_id = fields.Many2one(
        "res.users",
        required=True,
        index=True,
        check_company=True,
        tracking=True,
        default=lambda self: self.env.user,
        domain=lambda self: [
            ("share", "=", False),
            ("groups_id", "in", self.env.ref("lco_module.group_lco_coordinator").ids),
        ],
    )
    state = fields.Selection(
        [
            ("draft", "In Preparation"),
            ("active", "Active"),
            ("closed", "Closed"),
            ("cancelled", "Cancelled"),
        ],
        "Status",
        required=True,
        default="draft",
        index=True,
        copy=False,
        tracking=True,
        group_expand=True,
    )
    participant_ids = fields.One2many("lco.participant", "case_id", "Participants")
    pivot_id = fields.Many2one(
        "lco.participant",
        "Pivot Figure",
        index="btree_not_null",
        tracking=True,
        copy=False,
        domain="[('case_id', '=', id), ('role', 'in', ('professional', 'trusted_person'))]",
        help="The aid worker close to the client who supports him before, during "
        "and after the meetings and is everyone's contact point in between "
        "(called 'hulpcoördinator' in youth care).",
    )
    meeting_ids = fields.One2many("lco.meeting", "case_id", "Meetings")
    agreement_ids = fields.One2many("lco.agreement", "case_id", "Agreements")
    life_domain_line_ids = fields.One2many(
        "lco.case.life.domain", "case_id", "Life Domains and Priorities"
    )
    life_domain_ids = fields.Many2many(
        "lco.life.domain",
        string="Life Domains",
        compute="_compute_life_domain_ids",
        store=True,
    )
    question = fields.Text(
        "Client's Question",
        tracking=True,
        help="What the client wants to see changed, in his own words.",
    )
    goals = fields.Text()
    strengths = fields.Text(
        help="What the client and his network are good at. Always name them, even "
        "when the client no longer sees them himself."
    )
    consent_date = fields.Date("Consent Given On", tracking=True, copy=False)
    consent_given_by = fields.Char(
        tracking=True,
        copy=False,
        help="The client himself, or who gave consent on his behalf.",
    )
    consent_scope = fields.Text(
        "Consent Covers", help="What the client agreed to share, and with whom."
    )
    consent_revoked_date = fields.Date("Consent Revoked On", tracking=True, copy=False)
    has_consent = fields.Boolean(
        "Client Consents", compute="_compute_has_consent", store=True
    )
    date_requested = fields.Date(
        "Requested On", required=True, default=fields.Date.context_today
    )
    date_first_meeting = fields.Datetime(
        "First Meeting", compute="_compute_date_first_meeting", store=True
    )
    date_closed = fields.Date("Closed On", readonly=True, copy=False)
    close_reason_id = fields.Many2one(
        "lco.close.reason", readonly=True, copy=False, tracking=True
    )
    close_note = fields.Text("Closing Evaluation", readonly=True, copy=False)
    color = fields.Integer()
    meeting_count = fields.Integer(compute="_compute_counts")
    open_agreement_count = fields.Integer(compute="_compute_counts")
    overdue_agreement_count = fields.Integer(compute="_compute_counts")

    _sql_constraints = [
        (
            "name_company_uniq",
            "unique(name, company_id)",
            "A case number is unique within an organisation.",
        ),
    ]

    @api.depends("life_domain_line_ids.life_domain_id")
    def _compute_life_domain_ids(self):
        for case in self:
            case.life_domain_ids = case.life_domain_line_ids.life_domain_id

    @api.depends("consent_date", "consent_revoked_date")
    def _compute_has_consent(self):
        for case in self:
            case.has_consent = bool(case.consent_date and not case.consent_revoked_date)

    @api.depends("meeting_ids.start", "meeting_ids.state")
    def _compute_date_first_meeting(self):
        for case in self:
            starts = case.meeting_ids.filtered(
                lambda m: m.state != "cancelled" and m.start
            ).mapped("start")
            case.date_first_meeting = min(starts, default=False)

    def _compute_counts(self):
        meetings = self._count_per_case("lco.meeting", [("state", "!=", "cancelled")])
        open_agreements = self._count_per_case(
            "lco.agreement", [("state", "=", "open")]
        )
        overdue = self._count_per_case("lco.agreement", [("is_overdue", "=", True)])
        for case in self:
            case.meeting_count = meetings.get(case, 0)
            case.open_agreement_count = open_agreements.get(case, 0)
            case.overdue_agreement_count = overdue.get(case, 0)

    def _count_per_case(self, model, domain):
        """How many records of ``model`` matching ``domain`` each case has."""
        return dict(
            self.env[model]._read_group(
                [("case_id", "in", self.ids), *domain], ["case_id"], ["__count"]
            )
        )

    @api.depends("name", "client_id")
    def _compute_display_name(self):
        for case in self:
            case.display_name = (
                f"{case.name} - {case.client_id.name}" if case.client_id else case.name
            )

    @api.constrains("coordinator_id")
    def _check_coordinator_neutral(self):
        self.with_context(
            active_test=False
        ).participant_ids._check_coordinator_neutral()

    @api.constrains("pivot_id", "state")
    def _check_pivot(self):
        for case in self:
            pivot = case.pivot_id
            if pivot and pivot.case_id != case:
                raise ValidationError(
                    self.env._(
                        "The pivot figure of case %s must be one of its participants.",
                        case.name,
                    )
                )
            if pivot and pivot.role not in PIVOT_ROLES:
                raise ValidationError(
                    self.env._(
                        "%(person)s cannot be the pivot figure of case %(case)s: only "
                        "an aid worker or a trusted person can be the pivot figure.",
                        person=pivot.partner_id.name,
                        case=case.name,
                    )
                )
            if pivot and not pivot.active:
                raise ValidationError(
                    self.env._(
                        "%s no longer takes part in the case and cannot be its pivot figure.",
                        pivot.partner_id.name,
                    )
                )
            if case.state == "active" and not pivot:
                raise ValidationError(
                    self.env._("Active case %s needs a pivot figure.", case.name)
                )

    @api.constrains("consent_date", "consent_revoked_date")
    def _check_consent_dates(self):
        for case in self:
            if case.consent_revoked_date and (
                not case.consent_date or case.consent_revoked_date < case.consent_date
            ):
                raise ValidationError(
                    self.env._(
                        "Consent can only be revoked after it was given (case %s).",
                        case.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", self.env._("New")) == self.env._("New"):
                company = self.env["res.company"].browse(vals.get("company_id"))
                vals["name"] = self.env["ir.sequence"].with_company(
                    company or self.env.company
                ).next_by_code("lco.case") or self.env._("New")
        cases = super().create(vals_list)
        cases._add_client_as_participant()
        return cases

    def write(self, vals):
        res = super().write(vals)
        if "client_id" in vals:
            self._add_client_as_participant()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_with_meetings(self):
        if self.meeting_ids.filtered(lambda m: m.state in ("held", "reported")):
            raise UserError(
                self.env._(
                    "A case with held meetings is part of the record: close or "
                    "cancel it instead of deleting it."
                )
            )

    def _add_client_as_participant(self):
        missing = self.filtered(
            lambda case: (
                case.client_id
                not in case.with_context(active_test=False).participant_ids.partner_id
            )
        )
        self.env["lco.participant"].create(
            [
                {"case_id": case.id, "partner_id": case.client_id.id, "role": "client"}
                for case in missing
            ]
        )

    def action_activate(self):
        for case in self:
            if case.state != "draft":
                raise UserError(
                    self.env._("Only a case in preparation can be started.")
                )
            if not case.has_consent:
                raise UserError(
                    self.env._(
                        "Case %s cannot start without the client's consent: record "
                        "when and by whom consent was given.",
                        case.name,
                    )
                )
            if not case.pivot_id:
                raise UserError(
                    self.env._(
                        "Case %s cannot start without a pivot figure: choose the aid "
                        "worker or trusted person who supports the client between "
                        "meetings.",
                        case.name,
                    )
                )
        self.state = "active"

    def action_open_close_wizard(self):
        if any(case.state != "active" for case in self):
            raise UserError(self.env._("Only an active case can be closed."))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Close Case"),
            "res_model": "lco.case.close",
            "view_mode": "form",
            "target": "new",
            "context": {"default_case_ids": self.ids},
        }

    def _close(self, reason, note):
        self.write(
            {
                "state": "closed",
                "close_reason_id": reason.id,
                "close_note": note,
                "date_closed": fields.Date.context_today(self),
            }
        )
        self.activity_ids.unlink()

    def action_cancel(self):
        if any(case.state not in ("draft", "active") for case in self):
            raise UserError(
                self.env._(
                    "Only a case in preparation or an active case can be cancelled."
                )
            )
        self.state = "cancelled"

    def action_reset_draft(self):
        if any(case.state != "cancelled" for case in self):
            raise UserError(self.env._("Only a cancelled case can be prepared again."))
        self.state = "draft"

    def action_view_meetings(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "lco_module.action_lco_meeting"
        )
        action["domain"] = [("case_id", "in", self.ids)]
        action["context"] = {"default_case_id": self.id}
        return action

    def action_view_agreements(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "lco_module.action_lco_agreement"
        )
        action["domain"] = [("case_id", "in", self.ids)]
        action["context"] = {
            "default_case_id": self.id,
            "search_default_filter_open": 1,
        }
        return action
