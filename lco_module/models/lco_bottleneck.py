import re

from odoo import api, fields, models
from odoo.exceptions import UserError

KINDS = [
    ("no_offer", "No Offer"),
    ("not_accessible", "Offer Not Accessible"),
    ("waiting_list", "Waiting List"),
    ("cost", "Cost"),
    ("excluding_rule", "A Rule that Excludes"),
    ("cooperation", "Cooperation between Services"),
    ("other", "Other"),
]
# Fields a policy maker reads: checked for anything that names a client.
POLICY_TEXT_FIELDS = ("name", "description", "concerned", "answer", "outcome")
# Counted from the cases, never written by hand.
FIGURE_FIELDS = (
    "case_count",
    "company_count",
    "company_ids",
    "date_first_seen",
    "date_last_seen",
)


class LcoBottleneck(models.Model):
    """A structural bottleneck (structureel knelpunt): help a client needs that
    does not exist or is not accessible, a waiting list, a rule that excludes.

    Written for policy: nothing here identifies a client. Which cases hit it is
    kept in lco.bottleneck.occurrence, readable only by who may read the case;
    this record only holds anonymous aggregates of them (stored, so lists and
    reports need no query per record).

    Multi-company: the bottleneck belongs to the organisation that recorded it
    (``company_id``), which signals it and follows it up. When a case of
    another organisation is linked to it (by a user of both, a regional
    manager), that organisation reads it too (``company_ids``) and sees its
    counts, never the cases of the other.
    """

    _name = "lco.bottleneck"
    _description = "Structural Bottleneck"
    _inherit = ["lco.checked.input", "mail.thread", "mail.activity.mixin"]
    _order = "date_last_seen desc, id desc"
    _check_company_auto = True
    # The organisation that recorded it follows it up.
    _lco_fixed_fields = ("company_id",)

    name = fields.Char(
        "Bottleneck",
        required=True,
        index="trigram",
        tracking=True,
        help="In a few words, for policy makers. Never a name or anything else "
        "that identifies a client.",
    )
    description = fields.Text(
        tracking=True,
        help="What goes wrong and for whom, written for policy: without names, "
        "case numbers or details that identify a client.",
    )
    kind = fields.Selection(
        KINDS, required=True, default="no_offer", index=True, tracking=True
    )
    life_domain_id = fields.Many2one(
        "lco.life.domain", index=True, ondelete="restrict", tracking=True
    )
    concerned = fields.Char(
        "Service or Policy Level",
        tracking=True,
        help="The service, the municipality, the OCMW council, the province, the "
        "Flemish or the federal government: who can solve it.",
    )
    company_id = fields.Many2one(
        "res.company",
        "Organisation",
        required=True,
        index=True,
        default=lambda self: self.env.company,
        tracking=True,
    )
    company_ids = fields.Many2many(
        "res.company",
        "lco_bottleneck_company_rel",
        "bottleneck_id",
        "company_id",
        string="Met by the Organisations",
        compute="_compute_occurrence_figures",
        store=True,
        help="The organisations whose cases hit this bottleneck: their users "
        "read it and its counts, never the cases of another organisation.",
    )
    state = fields.Selection(
        [
            ("new", "New"),
            ("signalled", "Signalled"),
            ("closed", "Closed"),
            ("cancelled", "Cancelled"),
        ],
        "Status",
        required=True,
        default="new",
        index=True,
        copy=False,
        tracking=True,
        group_expand=True,
    )
    signalled_to_id = fields.Many2one(
        "res.partner",
        check_company=True,
        tracking=True,
        help="The OCMW council, the municipality, a provincial platform, a service.",
    )
    date_signalled = fields.Date("Signalled On", copy=False, tracking=True)
    answer = fields.Text(copy=False, tracking=True, help="What policy answered.")
    date_closed = fields.Date("Closed On", readonly=True, copy=False)
    outcome = fields.Text(
        copy=False, tracking=True, help="What came of it when it was closed."
    )
    # Not exported with the register: the register goes to policy.
    occurrence_ids = fields.One2many(
        "lco.bottleneck.occurrence",
        "bottleneck_id",
        "Cases and Meetings",
        exportable=False,
    )
    visible_occurrence_ids = fields.Many2many(
        "lco.bottleneck.occurrence",
        string="My Linked Cases",
        compute="_compute_visible_occurrence_ids",
        compute_sudo=False,
        exportable=False,
        help="The cases linked to this bottleneck that you may read.",
    )
    case_count = fields.Integer(
        "Cases",
        compute="_compute_occurrence_figures",
        store=True,
        aggregator="sum",
        help="How many cases hit this bottleneck, in all organisations.",
    )
    company_count = fields.Integer(
        "Organisations",
        compute="_compute_occurrence_figures",
        store=True,
        aggregator="sum",
        help="How many organisations met this bottleneck.",
    )
    date_first_seen = fields.Date(
        "First Seen", compute="_compute_occurrence_figures", store=True
    )
    date_last_seen = fields.Date(
        "Last Seen", compute="_compute_occurrence_figures", store=True, index=True
    )

    @api.depends("occurrence_ids")
    @api.depends_context("uid", "allowed_company_ids")
    def _compute_visible_occurrence_ids(self):
        # Searched with the user's rights (the rules of the cases), never taken
        # from occurrence_ids, whose cache the stored counts fill as superuser.
        occurrences = self.env["lco.bottleneck.occurrence"].search(
            [("bottleneck_id", "in", self.ids)]
        )
        by_bottleneck = occurrences.grouped("bottleneck_id")
        for bottleneck in self:
            bottleneck.visible_occurrence_ids = by_bottleneck.get(
                bottleneck._origin, occurrences.browse()
            )

    @api.depends(
        "occurrence_ids.case_id", "occurrence_ids.company_id", "occurrence_ids.date"
    )
    def _compute_occurrence_figures(self):
        # Stored and computed as superuser (compute_sudo): the counts cover the
        # cases of every organisation, as anonymous aggregates. One query for
        # all records.
        figures = {}
        if self.ids:
            groups = (
                self.env["lco.bottleneck.occurrence"]
                .sudo()
                ._read_group(
                    [("bottleneck_id", "in", self.ids)],
                    ["bottleneck_id"],
                    [
                        "case_id:count_distinct",
                        "company_id:array_agg",
                        "date:min",
                        "date:max",
                    ],
                )
            )
            figures = {
                bottleneck.id: (cases, set(companies), first, last)
                for bottleneck, cases, companies, first, last in groups
            }
        for bottleneck in self:
            cases, companies, first, last = figures.get(
                bottleneck._origin.id, (0, set(), False, False)
            )
            companies.discard(None)
            bottleneck.case_count = cases
            bottleneck.company_count = len(companies)
            bottleneck.company_ids = [fields.Command.set(sorted(companies))]
            bottleneck.date_first_seen = first
            bottleneck.date_last_seen = last

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                self._check_figures_untouched(vals)
                vals.pop("state", None)
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            self._check_figures_untouched(vals)
            if "state" in vals:
                self._check_transition(vals["state"])
            if set(vals) & set(POLICY_TEXT_FIELDS):
                # The cases linked to it that the user reads (record rules).
                self._check_anonymous(self.visible_occurrence_ids.case_id, vals)
        return super().write(vals)

    def _check_figures_untouched(self, vals):
        if set(vals) & set(FIGURE_FIELDS):
            raise UserError(
                self.env._(
                    "The number of cases and organisations and the dates they were "
                    "seen are counted from the cases linked to the bottleneck: link "
                    "a case to it instead."
                )
            )

    def _check_transition(self, state):
        """Raise unless every bottleneck may move to ``state`` now."""
        sources, message = {
            "signalled": (
                ("new", "signalled"),
                self.env._("Only a new bottleneck can be signalled."),
            ),
            "closed": (
                ("new", "signalled"),
                self.env._("Only an open bottleneck can be closed."),
            ),
            "cancelled": (
                ("new", "signalled"),
                self.env._("Only an open bottleneck can be cancelled."),
            ),
            "new": (
                ("cancelled", "closed"),
                self.env._("Only a closed or cancelled bottleneck can be reopened."),
            ),
        }.get(state, ((), self.env._("%s is not a state of a bottleneck.", state)))
        if any(bottleneck.state not in sources for bottleneck in self):
            raise UserError(message)

    def action_signal(self):
        self._check_transition("signalled")
        for bottleneck in self:
            if not bottleneck.signalled_to_id:
                raise UserError(
                    self.env._(
                        "Fill in to whom bottleneck “%s” is signalled (the OCMW "
                        "council, the municipality, a platform, a service) before "
                        "marking it signalled.",
                        bottleneck.name,
                    )
                )
            bottleneck.write(
                {
                    "state": "signalled",
                    "date_signalled": bottleneck.date_signalled
                    or fields.Date.context_today(self),
                }
            )
        return True

    def action_close(self):
        self._check_transition("closed")
        if any(not (bottleneck.outcome or "").strip() for bottleneck in self):
            raise UserError(
                self.env._(
                    "Write the outcome (what came of it) before closing the bottleneck."
                )
            )
        self.write({"state": "closed", "date_closed": fields.Date.context_today(self)})
        return True

    def action_cancel(self):
        self._check_transition("cancelled")
        self.write({"state": "cancelled"})
        return True

    def action_reopen(self):
        self._check_transition("new")
        self.write({"state": "new", "date_closed": False})
        return True

    def _check_anonymous(self, cases, vals=None):
        """Refuse text for policy that names the client or a participant of
        ``cases``, or their case number.

        Only cases the user may read are given here, so the check tells
        nothing about the cases of others.
        """
        texts = [
            str(value)
            for name, value in (vals or {}).items()
            if name in POLICY_TEXT_FIELDS and value
        ]
        if vals is None:
            texts = [
                bottleneck[name]
                for bottleneck in self
                for name in POLICY_TEXT_FIELDS
                if bottleneck[name]
            ]
        text = " ".join(texts).casefold()
        if not text:
            return
        identifiers = {case.name for case in cases} | {
            name
            for case in cases
            for name in case.with_context(
                active_test=False
            ).participant_ids.partner_id.mapped("name")
        }
        for identifier in identifiers:
            if identifier and re.search(
                rf"\b{re.escape(identifier.casefold())}\b", text
            ):
                raise UserError(
                    self.env._(
                        "The text of the bottleneck names %s, from a case linked to "
                        "it. Write it for policy, without names, case numbers or "
                        "anything else that identifies a client.",
                        identifier,
                    )
                )
