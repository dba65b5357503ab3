import contextvars
from collections import defaultdict
from datetime import datetime, time, timedelta

import pytz

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, format_date

from odoo.addons.base.models.ir_model import MODULE_UNINSTALL_FLAG

from ..tools.anonymisation import NO_TRACKING, erase
from ..tools.constants import (
    CASE_KINDS,
    CHAIR_GROUP,
    COORDINATOR_GROUP,
    DEFAULT_TZ,
    INTERNAL,
    MANAGER_GROUP,
)
from ..tools.domain import domain_fields
from ..tools.network_map import network_svg
from ..tools.stored_copy import add_stored_copies

# The cases being closed right now, in this thread (lco.case._close): the
# closing writes on them, their meetings and agreements, which are read-only
# once closed. Only Python code sets it; no RPC caller (context) can.
_CLOSING = contextvars.ContextVar("lco_case_closing", default=frozenset())
# Whether cases are being created right now, in this thread: their
# participants are made with them, and they get their followers once made
# (mail.thread subscribes the creator itself, and refuses a second row).
_CREATING = contextvars.ContextVar("lco_case_creating", default=False)

PIVOT_ROLES = ("professional", "trusted_person")
# Recorded by closing the case, and only then.
CLOSING_FIELDS = {"close_reason_id", "close_note"}
# Folded in a kanban grouped by status (lco.case.read_group).
FOLDED_STATES = ("closed", "cancelled")


class LcoCase(models.Model):
    """A client's consultation case. A closed or cancelled case is anonymised
    when its retention period has passed, with its meetings, agreements,
    consents and request (lco.anonymisable)."""

    _name = "lco.case"
    _description = "Client Consultation Case"
    # What the access log records a read of (lco.access.logged).
    _lco_logged_fields = ("question", "goals", "strengths", "close_note")
    _inherit = [
        # First: the move of the state is checked before anything else.
        "lco.state.flow",
        "lco.checked.input",
        "lco.action.fields",
        "lco.case.thread",
        "mail.activity.mixin",
        "lco.access.logged",
        "lco.anonymisable",
    ]
    # The moves of its state (lco.state.flow): closed is for good.
    _lco_transitions = {
        "draft": ("active", "cancelled"),
        "active": ("closed", "cancelled"),
        "cancelled": ("draft",),
    }
    _lco_anonymise_wizard_field = "case_ids"
    _lco_retention_field = "lco_retention_months"
    # Recorded by closing the case (write sets it with the state).
    _lco_action_fields = ("date_closed",)
    _order = "date_requested desc, id desc"
    _rec_names_search = ["name", "client_name"]
    _check_company_auto = True
    # Whoever reads the case (its participants, the pivot figure) may post in
    # its chatter; lco.case.thread keeps the recipients around the table.
    _mail_post_access = "read"

    def _auto_init(self):
        # Databases that ran the addon before client_name existed.
        add_stored_copies(
            self.env.cr,
            "lco_case",
            "client_id",
            "res_partner",
            {"client_name": ("varchar", "name")},
        )
        return super()._auto_init()

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
    # Required, unless the case was anonymised (see _check_client).
    client_id = fields.Many2one(
        "res.partner",
        index=True,
        check_company=True,
        tracking=True,
    )
    kind = fields.Selection(
        CASE_KINDS,
        required=True,
        default="local",
        index=True,
        tracking=True,
        help="Youth care: the pivot figure is called hulpcoördinator, the "
        "documents say Cliëntoverleg jeugdhulp, parents, guardians and support "
        "figures take part and the consent follows the young person's age.",
    )
    # Stored for the search on the client's name: a trigram index instead of a
    # subquery on every contact. Emptied with client_id when anonymised.
    client_name = fields.Char(
        "Client Name", related="client_id.name", store=True, index="trigram"
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
            ("groups_id", "in", self.env.ref(COORDINATOR_GROUP).ids),
        ],
    )
    # Youth care: the contact point asks a chair of its pool (lco.chair).
    chair_proposal_ids = fields.One2many(
        "lco.chair.proposal",
        "case_id",
        "Chair Proposals",
        copy=False,
        groups=COORDINATOR_GROUP,
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
    # What was said about the client and the consent behind it: internal users
    # read it; the portal shows it on the case page to whom may see it.
    question = fields.Text(
        "Client's Question",
        tracking=True,
        groups=INTERNAL,
        help="What the client wants to see changed, in his own words.",
    )
    goals = fields.Text(groups=INTERNAL)
    strengths = fields.Text(
        groups=INTERNAL,
        help="What the client and his network are good at. Always name them, even "
        "when the client no longer sees them himself.",
    )
    legal_basis = fields.Selection(
        [
            ("consent", "Consent, Shared Professional Secrecy (Art. 458 Sw.)"),
            ("case_consultation", "Case Consultation (Art. 458ter Sw.)"),
        ],
        required=True,
        default="consent",
        tracking=True,
        help="On what basis the participants share what they know of the client.",
    )
    legal_basis_reference = fields.Char(
        "Protocol Reference",
        tracking=True,
        help="The protocol of the case consultation under art. 458ter Sw.",
    )
    consent_ids = fields.One2many("lco.consent", "case_id", "Consents", groups=INTERNAL)
    consent_id = fields.Many2one(
        "lco.consent",
        "Current Consent",
        groups=INTERNAL,
        compute="_compute_consent_id",
        store=True,
        index="btree_not_null",
        help="The consent given by or for the client that holds today.",
    )
    consent_valid_until = fields.Date(related="consent_id.valid_until", groups=INTERNAL)
    # Who gets the full report (as _report_scopes says): searched only, by the
    # portal rules of the agreements and topics only the full report shows.
    lco_full_reader_ids = fields.Many2many(
        "res.partner",
        string="Full Report Readers",
        compute="_compute_lco_full_reader_ids",
        search="_search_lco_full_reader_ids",
        compute_sudo=True,
    )
    has_consent = fields.Boolean(
        "Client Consents", compute="_compute_consent_id", store=True
    )
    # Who may enter the case, stored so that every record rule of a case and
    # of what belongs to it is one condition on an index of the relation
    # table (user or partner, case) instead of an OR of the coordinator with
    # subqueries on the participants and consent lines (issue 21). Technical:
    # who takes part is for who may read the participants.
    lco_member_user_ids = fields.Many2many(
        "res.users",
        "lco_case_member_user_rel",
        "case_id",
        "user_id",
        string="Members (Internal Users)",
        compute="_compute_lco_member_user_ids",
        store=True,
        groups="base.group_system",
        help="The coordinator and the internal users of the active participants.",
    )
    lco_portal_partner_ids = fields.Many2many(
        "res.partner",
        "lco_case_portal_partner_rel",
        "case_id",
        "partner_id",
        string="Members (Portal)",
        compute="_compute_lco_portal_partner_ids",
        store=True,
        groups="base.group_system",
        help="The client and the active participants the current consent covers.",
    )
    uncovered_participant_ids = fields.Many2many(
        "lco.participant",
        string="Not Covered by the Consent",
        compute="_compute_uncovered_participant_ids",
        help="Participants the current consent does not cover: they are not "
        "invited and get no report until a new consent covers them.",
    )
    # Indexed: the default order of the cases (issue 12).
    date_requested = fields.Date(
        "Requested On", required=True, index=True, default=fields.Date.context_today
    )
    date_first_meeting = fields.Datetime(
        "First Meeting", compute="_compute_date_first_meeting", store=True
    )
    date_closed = fields.Date("Closed On", readonly=True, copy=False)
    held_meeting_count = fields.Integer(
        "Meetings Held",
        compute="_compute_held_meeting_count",
        store=True,
        aggregator="avg",
    )
    days_to_first_meeting = fields.Integer(
        "Days to First Meeting",
        compute="_compute_days",
        store=True,
        aggregator="avg",
        help="Days from the request to the first meeting.",
    )
    days_to_close = fields.Integer(
        "Days to Close",
        compute="_compute_days",
        store=True,
        aggregator="avg",
        help="Days from the request to the closing of the case.",
    )
    close_reason_id = fields.Many2one(
        "lco.close.reason", readonly=True, copy=False, tracking=True
    )
    close_note = fields.Text(
        "Closing Evaluation", readonly=True, copy=False, groups=INTERNAL
    )
    endorsement_ids = fields.One2many(
        "lco.endorsement", "case_id", "Endorsements", copy=False
    )
    work_plan_meeting_id = fields.Many2one(
        "lco.meeting",
        "Current Work Plan",
        compute="_compute_work_plan_meeting_id",
        help="The work plan of the last meeting held: the one everyone at the "
        "table endorses.",
    )
    unendorsed_participant_ids = fields.Many2many(
        "lco.participant",
        string="Not Endorsed Yet",
        compute="_compute_endorsement_status",
        groups=INTERNAL,
        help="Who takes part and receives the work plan but has not endorsed "
        "the current work plan yet.",
    )
    color = fields.Integer()
    meeting_count = fields.Integer(compute="_compute_counts")
    open_agreement_count = fields.Integer(compute="_compute_counts")
    overdue_agreement_count = fields.Integer(compute="_compute_counts")
    # Stored and indexed: the "overdue agreements" filter is one range on the
    # case, not a search through every open agreement.
    next_deadline = fields.Date(
        compute="_compute_next_deadline",
        store=True,
        index="btree_not_null",
        help="The earliest deadline of the case's open agreements.",
    )
    network_member_ids = fields.One2many(
        "lco.network.member", "case_id", "Network", copy=False
    )
    # Drawn for whoever reads it: the SVG is made by _lco_network_svg, every
    # text escaped there; a sanitizer would strip the SVG.
    network_map = fields.Html(compute="_compute_network_map", sanitize=False)

    _sql_constraints = [
        (
            "name_company_uniq",
            "unique(name, company_id)",
            "A case number is unique within an organisation.",
        ),
    ]

    def init(self):
        # A member's lists (the rule: his rows of the membership relation) read
        # what they filter, sort and group on from this index, not from the
        # case rows scattered over the table: a count or a first page of his
        # cases costs the same whatever the size of the database.
        self.env.cr.execute(
            """CREATE INDEX IF NOT EXISTS lco_case_member_list_index ON lco_case
               (id) INCLUDE (company_id, coordinator_id, state, date_requested,
               next_deadline)"""
        )

    @api.depends("life_domain_line_ids.life_domain_id")
    def _compute_life_domain_ids(self):
        for case in self:
            case.life_domain_ids = case.life_domain_line_ids.life_domain_id

    @api.constrains("legal_basis", "legal_basis_reference")
    def _check_legal_basis_reference(self):
        for case in self:
            if (
                case.legal_basis == "case_consultation"
                and not (case.legal_basis_reference or "").strip()
            ):
                raise ValidationError(
                    self.env._(
                        "A case consultation under art. 458ter Sw. names the "
                        "protocol it is held under (case %s).",
                        case.name,
                    )
                )

    @api.depends("consent_ids.state")
    def _compute_consent_id(self):
        for case in self:
            given = case.consent_ids.filtered(lambda c: c.state == "given")
            case.consent_id = given[:1]
            case.has_consent = bool(given)

    @api.depends(
        "coordinator_id",
        "participant_ids.active",
        "participant_ids.partner_id.user_ids.share",
    )
    def _compute_lco_member_user_ids(self):
        for case in self:
            participants = case.participant_ids.filtered("active")
            case.lco_member_user_ids = case.coordinator_id | (
                participants.partner_id.user_ids.filtered(lambda user: not user.share)
            )

    @api.depends(
        "participant_ids.active",
        "participant_ids.role",
        "participant_ids.partner_id",
        "consent_id.line_ids.participant_id",
    )
    def _compute_lco_portal_partner_ids(self):
        for case in self:
            covered = case.consent_id.line_ids.participant_id
            case.lco_portal_partner_ids = case.participant_ids.filtered(
                lambda p, covered=covered: (
                    p.active and (p.role == "client" or p in covered)
                )
            ).partner_id

    @api.depends("consent_id.line_ids", "participant_ids.active")
    def _compute_uncovered_participant_ids(self):
        if not self.env.user.has_group("base.group_user"):
            # Whom the consent covers is for who runs the case.
            self.uncovered_participant_ids = False
            return
        # Who each consent covers, in one query; the consents' lines are kept
        # as their line_ids (One2many.read's search, as the user), which
        # _report_scopes reads for the endorsements (issue 21).
        consents = self.consent_id.filtered(lambda consent: consent.id)
        covered = defaultdict(set)
        lines = defaultdict(list)
        for line in self.env["lco.consent.line"].search_fetch(
            [("consent_id", "in", consents.ids)],
            ["consent_id", "participant_id", "scope"],
        ):
            covered[line.consent_id.id].add(line.participant_id.id)
            lines[line.consent_id.id].append(line.id)
        self.env.cache.insert_missing(
            consents,
            consents._fields["line_ids"],
            [tuple(lines[id_]) for id_ in consents._ids],
        )
        for case in self:
            case.uncovered_participant_ids = case.participant_ids.filtered(
                lambda p, case=case: (
                    p.role != "client" and p.id not in covered[case.consent_id.id]
                )
            )

    @api.depends(
        "meeting_ids.state", "endorsement_ids", "participant_ids.active", "consent_id"
    )
    def _compute_endorsement_status(self):
        for case in self:
            meeting = case._lco_work_plan_meeting()
            if not meeting:
                case.unendorsed_participant_ids = False
                continue
            endorsed = case.endorsement_ids.filtered(
                lambda e, meeting=meeting: e.meeting_id == meeting
            ).participant_id
            active = case.participant_ids.filtered("active")
            scopes = case._report_scopes(active.partner_id)
            case.unendorsed_participant_ids = active.filtered(
                lambda p, scopes=scopes, endorsed=endorsed: (
                    scopes[p.partner_id] and p not in endorsed
                )
            )

    @api.depends("meeting_ids.state")
    def _compute_work_plan_meeting_id(self):
        for case in self:
            case.work_plan_meeting_id = case._lco_work_plan_meeting()

    def _lco_work_plan_meeting(self, meetings=None):
        """The meeting whose work plan holds now: the last one held.
        ``meetings``: the case's meetings, when the caller read them already."""
        self.ensure_one()
        meetings = self.meeting_ids if meetings is None else meetings
        return meetings.filtered(lambda m: m.state in ("held", "reported")).sorted(
            lambda m: (m.number, m.id)
        )[-1:]

    @api.depends("agreement_ids.state", "agreement_ids.deadline")
    def _compute_next_deadline(self):
        for case in self:
            case.next_deadline = min(
                (
                    agreement.deadline
                    for agreement in case.agreement_ids
                    if agreement.state == "open" and agreement.deadline
                ),
                default=False,
            )

    @api.depends("meeting_ids.start", "meeting_ids.state")
    def _compute_date_first_meeting(self):
        for case in self:
            starts = case.meeting_ids.filtered(
                lambda m: m.state != "cancelled" and m.start
            ).mapped("start")
            case.date_first_meeting = min(starts, default=False)

    @api.depends("date_requested", "date_first_meeting", "date_closed")
    def _compute_days(self):
        for case in self:
            first = case.date_first_meeting
            case.days_to_first_meeting = (
                (first.date() - case.date_requested).days if first else False
            )
            case.days_to_close = (
                (case.date_closed - case.date_requested).days
                if case.date_closed
                else False
            )

    @api.depends("meeting_ids.state")
    def _compute_held_meeting_count(self):
        held = self._origin._count_per_case(
            "lco.meeting", [("state", "in", ("held", "reported"))]
        )
        for case in self:
            case.held_meeting_count = held.get(case._origin, 0)

    def _compute_counts(self):
        # The smart buttons' counts in one query: the meetings not cancelled,
        # the open agreements and those past their deadline (as lco.agreement's
        # is_overdue), each searched as the user (his record rules apply).
        today = fields.Date.context_today(self)
        if self._lco_lines_in_cache("meeting_ids", "agreement_ids"):
            # A form: its meetings and agreements were read as the user (his
            # record rules applied) and are listed in it; counted from them.
            for case in self:
                meetings = case.meeting_ids.filtered(lambda m: m.state != "cancelled")
                agreements = case.agreement_ids.filtered(lambda a: a.state == "open")
                overdue = agreements.filtered(
                    lambda a: a.deadline and a.deadline < today
                )
                ended = bool(case.anonymised_date)
                case.meeting_count = len(meetings)
                case.open_agreement_count = 0 if ended else len(agreements)
                case.overdue_agreement_count = 0 if ended else len(overdue)
            return
        meetings = self.env["lco.meeting"]._search(
            [("case_id", "in", self.ids), ("state", "!=", "cancelled")]
        )
        agreements = self.env["lco.agreement"]._search(
            [("case_id", "in", self.ids), ("state", "=", "open")]
        )
        counts = defaultdict(lambda: (0, 0, 0))
        if self.ids:
            self.env["lco.meeting"].flush_model(["case_id", "state"])
            self.env["lco.agreement"].flush_model(["case_id", "state", "deadline"])
            rows = self.env.execute_query(
                SQL(
                    """SELECT case_id, SUM(meetings), SUM(open), SUM(overdue)
                       FROM (
                           SELECT case_id, 1 AS meetings, 0 AS open, 0 AS overdue
                           FROM (%s) AS meeting
                           UNION ALL
                           SELECT case_id, 0, 1, (deadline < %s)::int
                           FROM (%s) AS agreement
                       ) AS counted
                       GROUP BY case_id""",
                    meetings.select(SQL.identifier("lco_meeting", "case_id")),
                    today,
                    agreements.select(
                        SQL.identifier("lco_agreement", "case_id"),
                        SQL.identifier("lco_agreement", "deadline"),
                    ),
                )
            )
            counts.update((case_id, tuple(rest)) for case_id, *rest in rows)
        for case in self:
            meeting_count, open_count, overdue_count = counts[case.id]
            case.meeting_count = meeting_count
            # An anonymised case has no work left to count.
            ended = bool(case.anonymised_date)
            case.open_agreement_count = 0 if ended else open_count
            case.overdue_agreement_count = 0 if ended else overdue_count

    @api.model
    @api.readonly
    def search_fetch(self, domain, field_names, offset=0, limit=None, order=None):
        # A page of cases in two steps: its ids under the user's rules, which
        # PostgreSQL finds from indexes alone (the member's rows of the
        # membership relation and lco_case_member_list_index), then its rows
        # by id. Asked for the rows at once, PostgreSQL may walk the whole
        # date index to find the few cases of one member.
        if not (limit and field_names):
            return super().search_fetch(domain, field_names, offset, limit, order)
        cases = super().search_fetch(domain, [], offset, limit, order)
        # With the columns Odoo's check of the rules (the organisation) and
        # the counts (anonymised or not) read next: else they read every
        # column of the page's cases.
        cases.fetch([*field_names, "company_id", "anonymised_date"])
        return cases

    @api.model
    def read_group(
        self, domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True
    ):
        """Grouped by status, the closed and cancelled cases (over the years
        most of them) are folded columns, as project folds its done stages:
        the kanban opens the work in progress and reads the rest when the
        user opens a column. Not when the search itself picks statuses."""
        groups = super().read_group(
            domain, fields, groupby, offset, limit, orderby, lazy
        )
        groupby = [groupby] if isinstance(groupby, str) else groupby
        if groupby and groupby[0] == "state":
            picked = "state" in domain_fields(domain)
            for group in groups:
                group["__fold"] = not picked and group["state"] in FOLDED_STATES
        return groups

    def _fetch_query(self, query, fields):
        # The form reads its tabs' one2many fields (participants, meetings,
        # agreements, consents, endorsements, chair proposals...): their lines
        # in one query rather than one per field (issue 21).
        one2many = [
            field
            for field in fields
            if field.type == "one2many" and field.store and not field.compute
        ]
        if len(one2many) < 2:
            return super()._fetch_query(query, fields)
        fetched = super()._fetch_query(
            query, [field for field in fields if field not in one2many]
        )
        if fetched:
            fetched._lco_read_one2many(one2many)
        return fetched

    def _lco_read_one2many(self, one2many):
        """Read the lines of the ``one2many`` fields of ``self`` as
        One2many.read reads each (fields.py): each comodel searched as the
        user, with his access rights and record rules, archived lines
        included, in its own order, the inverse and active fields kept in the
        cache; only the queries are joined in one UNION ALL."""
        parts = []
        comodels = []
        for index, field in enumerate(one2many):
            comodel = self.env[field.comodel_name].with_context(
                active_test=False, **field.context
            )
            domain = [
                *field.get_domain_list(self),
                (field.inverse_name, "in", self.ids),
            ]
            # As the user: his access rights (AccessError as One2many.read)
            # and his record rules are in the query.
            lines = comodel._search(domain)
            comodels.append(comodel)
            if lines.is_empty():
                continue
            table = lines.table
            active = comodel._active_name
            parts.append(
                SQL(
                    "(%s)",
                    lines.select(
                        SQL("%s AS field_index", index),
                        SQL(
                            "%s AS owner_id",
                            comodel._field_to_sql(table, field.inverse_name, lines),
                        ),
                        SQL("%s AS id", SQL.identifier(table, "id")),
                        SQL(
                            "%s AS active",
                            comodel._field_to_sql(table, active, lines)
                            if active
                            else SQL("NULL::boolean"),
                        ),
                        SQL(
                            "ROW_NUMBER() OVER (ORDER BY %s) AS position",
                            comodel._order_to_sql(comodel._order, lines),
                        ),
                    ),
                )
            )
        rows = (
            self.env.execute_query(
                SQL("%s ORDER BY 1, 5", SQL(" UNION ALL ").join(parts))
            )
            if parts
            else []
        )
        found = defaultdict(list)
        for index, owner_id, line_id, active, _position in rows:
            found[index].append((owner_id, line_id, active))
        for index, field in enumerate(one2many):
            comodel = comodels[index]
            group = defaultdict(list)
            for owner_id, line_id, _active in found[index]:
                group[owner_id].append(line_id)
            if found[index]:
                owners, line_ids, actives = zip(*found[index], strict=True)
                lines = comodel.browse(line_ids)
                inverse = comodel._fields[field.inverse_name]
                if inverse.type == "many2one":
                    self.env.cache.insert_missing(lines, inverse, owners)
                if comodel._active_name:
                    self.env.cache.insert_missing(
                        lines, comodel._fields[comodel._active_name], actives
                    )
            self.env.cache.insert_missing(
                self, field, [tuple(group[id_]) for id_ in self._ids]
            )

    def _lco_lines_in_cache(self, *fnames):
        """Whether the lines of the one2many ``fnames`` of these saved cases
        are in the cache (a form read them)."""
        cache = self.env.cache
        return all(isinstance(id_, int) for id_ in self._ids) and all(
            cache.contains(case, self._fields[fname])
            for fname in fnames
            for case in self
        )

    def _read_format(self, fnames, load="_classic_read"):
        result = super()._read_format(fnames, load=load)
        if len(self) == 1 and "participant_ids" in fnames and not self.env.su:
            self._lco_prefetch_people()
        return result

    def _lco_prefetch_people(self):
        """The names of the people a form shows (the client, the coordinator,
        the participants and their services), in one query rather than one
        per field: web_read reads the display names of what the form links
        to as sudo, as here. Called once the user read the case."""
        participants = self.participant_ids
        if not self.env.user.has_group(MANAGER_GROUP):
            # sudo: into the cache only, the user gets nothing of it. The
            # record rules of the case's lines (participants, meetings,
            # agreements: "case_id.lco_member_user_ids") are one indexed
            # condition in SQL, but the ORM checks them in Python on lines it
            # has in its cache already (read() of a list whose lines a compute
            # fetched), reading the case's members as sudo: read here, their
            # users with the coordinator's in one query.
            self.sudo().lco_member_user_ids  # noqa: B018
        people = (
            self.client_id
            | self.sudo().coordinator_id.partner_id
            | participants.partner_id
            | participants.organisation_id
        )
        people.sudo().mapped("display_name")

    def _count_per_case(self, model, domain):
        """How many records of ``model`` matching ``domain`` each case has."""
        return dict(
            self.env[model]._read_group(
                [("case_id", "in", self.ids), *domain], ["case_id"], ["__count"]
            )
        )

    @api.depends("name", "client_name")
    def _compute_display_name(self):
        # The stored client name: who reads the case reads it, also a portal
        # user at the table, who does not read the client's contact.
        for case in self:
            case.display_name = (
                f"{case.name} - {case.client_name}" if case.client_name else case.name
            )

    @api.constrains("client_id", "state")
    def _check_client(self):
        for case in self:
            if not case.client_id and not case.anonymised_date:
                raise ValidationError(
                    self.env._("A case is the case of a client: choose him.")
                )

    @api.constrains("kind")
    def _check_kind_roles(self):
        # The youth roles at the table stay in a youth-care case.
        self.participant_ids._check_youth_role()

    @api.constrains("coordinator_id")
    def _check_coordinator_group(self):
        for case in self:
            coordinator = case.coordinator_id
            if coordinator.share or not coordinator.has_group(COORDINATOR_GROUP):
                raise ValidationError(
                    self.env._(
                        "%(user)s cannot coordinate case %(case)s: only a user of the "
                        "Coordinator group coordinates a client consultation.",
                        user=coordinator.name,
                        case=case.name,
                    )
                )

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

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            # Before the values are used (lco.checked.input checks them in super).
            self._check_input(vals)
            if not self.env.su:
                self._check_created_as_draft(vals)
                self._check_not_a_chair()
                vals.pop("name", None)
            if vals.get("name", self.env._("New")) == self.env._("New"):
                company = self.env["res.company"].browse(vals.get("company_id"))
                vals["name"] = self.env["ir.sequence"].with_company(
                    company or self.env.company
                ).next_by_code("lco.case") or self.env._("New")
        token = _CREATING.set(True)
        try:
            cases = super().create(vals_list)
        finally:
            _CREATING.reset(token)
        cases._add_client_as_participant()
        cases._lco_sync_followers()
        return cases

    def write(self, vals):
        # Before the values are used (lco.checked.input checks them in super).
        self._check_input(vals)
        if "coordinator_id" in vals:
            self._check_neutral(self.env["res.users"].browse(vals["coordinator_id"]))
            self._check_chair_neutral(vals["coordinator_id"])
        # Checked after the checks of super (anonymised, fields of record),
        # which tell more, on the state before this write.
        closed = self._lco_closed()
        if not self.env.su:
            self._check_protected_fields(vals)
        res = super().write(vals)
        closed._check_not_closed()
        if vals.get("state") == "closed" and "date_closed" not in vals:
            self._lco_action_write({"date_closed": fields.Date.context_today(self)})
        if "client_id" in vals:
            self._add_client_as_participant()
        if vals.get("state") == "active" and not self.env.su:
            self._check_ready_to_start()
        if vals.get("state") in ("closed", "cancelled"):
            self.meeting_ids.filtered(
                lambda m: m.state in ("draft", "scheduled")
            ).action_cancel()
        return res

    def copy(self, default=None):
        if not self.env.su:
            raise UserError(
                self.env._(
                    "A case cannot be duplicated: a client has one case, with its "
                    "own consent and participants. Open a new case for another "
                    "client."
                )
            )
        return super().copy(default)

    def unlink(self):
        # Through the ORM, so that their activities and calendar events go too.
        if not self.env.context.get(MODULE_UNINSTALL_FLAG):
            self._unlink_except_with_meetings()
        self.agreement_ids.unlink()
        self.meeting_ids.unlink()
        return super().unlink()

    def message_post(self, **kwargs):
        # Nothing of the client comes back into the chatter that was emptied
        # (defined here: mail.thread's message_post ends the chain).
        if not self.env.su:
            self._check_not_anonymised()
        return super().message_post(**kwargs)

    def _lco_cases(self):
        return self

    def _check_created_as_draft(self, vals):
        if vals.get("state", "draft") != "draft" or CLOSING_FIELDS & set(vals):
            raise UserError(
                self.env._(
                    "A new case starts in preparation: start it once the client "
                    "consents and there is a pivot figure."
                )
            )

    def _check_not_a_chair(self):
        """An external chair runs the cases the contact point gives him; he
        opens none himself."""
        if self.env.user.has_group(CHAIR_GROUP):
            raise AccessError(
                self.env._(
                    "An external chair opens no cases: the contact point proposes "
                    "him the cases he chairs."
                )
            )

    def _check_protected_fields(self, vals):
        if "name" in vals:
            raise UserError(
                self.env._(
                    "The case number is given when the case is opened and never "
                    "changes."
                )
            )
        if CLOSING_FIELDS & set(vals):
            if vals.get("state") != "closed":
                raise UserError(
                    self.env._(
                        "The closing reason, evaluation and date are recorded when "
                        "the case is closed."
                    )
                )
            if (
                not vals.get("close_reason_id")
                or not (vals.get("close_note") or "").strip()
            ):
                raise UserError(
                    self.env._("Give the reason for closing and a short evaluation.")
                )
        elif vals.get("state") == "closed":
            raise UserError(
                self.env._("Give the reason for closing and a short evaluation.")
            )

    def _lco_transition_hint(self, state):
        return {
            "active": self.env._("Only a case in preparation can be started."),
            "closed": self.env._("Only an active case can be closed."),
            "cancelled": self.env._(
                "Only a case in preparation or an active case can be cancelled."
            ),
            "draft": self.env._("Only a cancelled case can be prepared again."),
        }.get(state, "")

    def _check_ready_to_start(self):
        for case in self:
            if not case.has_consent:
                raise UserError(
                    self.env._(
                        "Case %s cannot start without the client's consent: record "
                        "the consent he gave in the Consents tab.",
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

    def _check_neutral(self, coordinator):
        """Raise if ``coordinator`` takes part in one of the cases. Checked before
        a hand-over: afterwards the former coordinator no longer reads the case."""
        for case in self:
            takes_part = case.with_context(active_test=False).participant_ids
            if coordinator.partner_id in takes_part.partner_id:
                raise ValidationError(
                    self.env._(
                        "%(person)s takes part in case %(case)s and cannot also "
                        "coordinate it: the coordinator is not involved in the help "
                        "to the client.",
                        person=coordinator.name,
                        case=case.name,
                    )
                )

    def _check_chair_neutral(self, user_id):
        """Raise if user ``user_id`` is a chair of the pool who works for a
        service at the table of one of the cases."""
        # sudo: whose employer the chair profile names, to refuse a hand-over
        # to a chair who is not neutral; nothing of it is returned.
        chairs = (
            self.env["lco.chair"]
            .sudo()
            .with_context(active_test=False)
            .search([("user_id", "=", user_id)])
        )
        for case in self:
            chairs._check_neutral_for(case)

    def action_propose_chair(self):
        """The contact point's chairs for this youth-care case, ranked."""
        self.ensure_one()
        self.check_access("write")
        if self.kind != "youth" or self.state not in ("draft", "active"):
            raise UserError(
                self.env._(
                    "Only an open youth-care case gets an external chair of the "
                    "contact point."
                )
            )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Propose a Chair"),
            "res_model": "lco.chair.assign",
            "view_mode": "form",
            "target": "new",
            "context": {"default_case_id": self.id},
        }

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
                not case.anonymised_date
                and case.client_id
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
        self._lco_check_transition("active")
        self._check_ready_to_start()
        self.write({"state": "active"})
        return True

    def action_open_close_wizard(self):
        self.check_access("write")
        self._lco_check_transition("closed")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Close Case"),
            "res_model": "lco.case.close",
            "view_mode": "form",
            "target": "new",
            "context": {"default_case_ids": self.ids},
        }

    def _close(self, reason, note):
        """Close the cases, and their work: coming meetings are cancelled, each
        open agreement ends as "Case Closed" with the closing note (its to-do
        done, no more reminders). A closed case is never reopened."""
        self._lco_check_transition("closed")
        token = _CLOSING.set(_CLOSING.get() | set(self.ids))
        try:
            self.write(
                {
                    "state": "closed",
                    "close_reason_id": reason.id,
                    "close_note": note,
                }
            )
            self.activity_ids.unlink()
            self.agreement_ids.filtered(lambda a: a.state == "open").write(
                {"state": "case_closed", "outcome_note": note}
            )
        finally:
            _CLOSING.reset(token)

    def _lco_closed(self):
        """The cases of ``self`` that are closed, and not being closed now;
        none for the superuser."""
        if self.env.su:
            return self.browse()
        # sudo: only the state of the cases of records the user changes.
        return (
            self.sudo()
            .filtered(
                lambda case: case.state == "closed" and case.id not in _CLOSING.get()
            )
            .with_env(self.env)
        )

    def _check_not_closed(self):
        """A closed case, its meetings and agreements are read-only (but for
        the superuser: data files, anonymisation); it is never reopened."""
        closed = self._lco_closed()
        if closed:
            raise UserError(
                self.env._(
                    "Case %s is closed: the case, its meetings and its agreements "
                    "can no longer be changed. A closed case is not reopened; "
                    "open a new case if the client needs one.",
                    closed[0].name,
                )
            )

    def action_cancel(self):
        self._lco_check_transition("cancelled")
        self.write({"state": "cancelled"})
        return True

    def action_reset_draft(self):
        self._lco_check_transition("draft")
        self.write({"state": "draft"})
        return True

    def action_plan_meeting(self):
        """A new meeting in preparation, with its checklist and invitations,
        opened full screen."""
        self.ensure_one()
        self.check_access("write")
        if self.state not in ("draft", "active"):
            raise UserError(
                self.env._(
                    "Case %s is no longer open: no new meetings can be planned.",
                    self.name,
                )
            )
        meeting = self.env["lco.meeting"].create(
            {"case_id": self.id, "start": self._default_meeting_start()}
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "lco.meeting",
            "res_id": meeting.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }

    def _default_meeting_start(self):
        """Next weekday, a week from now, at 10:00 in the user's time zone: a
        proposal the coordinator changes after asking the client."""
        tz = pytz.timezone(self.env.user.tz or DEFAULT_TZ)
        day = fields.Date.context_today(self) + timedelta(days=7)
        while day.weekday() >= 5:
            day += timedelta(days=1)
        local = tz.localize(datetime.combine(day, time(10, 0)))
        return local.astimezone(pytz.utc).replace(tzinfo=None)

    def action_new_consent(self):
        """A consent to ask the client for, covering every participant; the
        professionals who did not acknowledge the shared-secrecy rules get the
        work plan only."""
        self.ensure_one()
        self.check_access("write")
        previous = self.consent_id
        consent = self.env["lco.consent"].create(
            {
                "case_id": self.id,
                "given_by": previous.given_by or "client",
                "representative_id": previous.representative_id.id,
                "representative_capacity": previous.representative_capacity,
                "line_ids": [
                    Command.create({"participant_id": participant.id, "scope": scope})
                    for participant, scope in self._default_consent_scopes().items()
                ],
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "lco.consent",
            "res_id": consent.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def _default_consent_scopes(self):
        self.ensure_one()
        given = {line.participant_id: line.scope for line in self.consent_id.line_ids}
        return {
            participant: given.get(participant, "full")
            for participant in self.participant_ids
            if participant.role != "client"
        }

    def _report_scopes(self, partners):
        """What each of ``partners`` may receive of this case's reports: "full",
        "work_plan" or nothing (False). The client gets all; the others what the
        current consent gives them, and a professional who did not acknowledge
        the shared-secrecy rules the work plan only."""
        if not self:
            return dict.fromkeys(partners, False)
        self.ensure_one()
        given = {line.participant_id: line.scope for line in self.consent_id.line_ids}
        taking_part = {p.partner_id: p for p in self.participant_ids if p.active}
        scopes = {}
        for partner in partners:
            participant = taking_part.get(partner, self.env["lco.participant"])
            if partner == self.client_id or participant.role == "client":
                scopes[partner] = "full"
            elif (
                given.get(participant) == "full"
                and participant.role == "professional"
                and not participant.confidentiality_ack_date
            ):
                scopes[partner] = "work_plan"
            else:
                scopes[partner] = given.get(participant, False)
        return scopes

    def _report_scope(self, partner):
        """``_report_scopes`` for one partner; False for no partner (an
        attendee of an anonymised case)."""
        return self._report_scopes(partner)[partner] if partner else False

    def _compute_lco_full_reader_ids(self):
        for case in self:
            partners = (
                case.participant_ids.filtered("active").partner_id | case.client_id
            )
            scopes = case._report_scopes(partners)
            case.lco_full_reader_ids = partners.filtered(
                lambda p, scopes=scopes: scopes[p] == "full"
            )

    def _search_lco_full_reader_ids(self, operator, value):
        if operator not in ("in", "=") or isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on the readers."))
        partner_ids = [value] if isinstance(value, int) else list(value)
        # _report_scopes as one condition (the network's rule runs it at every
        # read of a network: a search of every case of these partners cost
        # eight queries): "full" for the client, an active participant in the
        # client's role, and an active participant the current consent gives
        # the full report, unless a professional did not acknowledge the
        # shared-secrecy rules (TestReportRecipients compares both). Rules
        # run without active_test: "active" is explicit.
        taking_part = [("partner_id", "in", partner_ids), ("active", "=", True)]
        return [
            "|",
            "|",
            ("client_id", "in", partner_ids),
            ("participant_ids", "any", [*taking_part, ("role", "=", "client")]),
            (
                "consent_id.line_ids",
                "any",
                [
                    ("scope", "=", "full"),
                    (
                        "participant_id",
                        "any",
                        [
                            *taking_part,
                            "|",
                            ("role", "!=", "professional"),
                            ("confidentiality_ack_date", "!=", False),
                        ],
                    ),
                ],
            ),
        ]

    def _lco_shown(self, records, scope):
        """What of ``records`` (agreements, agenda topics) a reader with
        ``scope`` reads: all in the full report; in the work plan those the
        client shares with everyone at the table; nothing without a scope."""
        if scope == "full":
            return records
        if scope == "work_plan":
            return records.filtered(lambda r: r.report_visibility == "table")
        return records.browse()

    def _sync_invitations(self):
        """The consent changed (given, replaced, withdrawn, expired): whom it
        no longer covers stops following the case, its meetings and
        agreements and leaves the calendar events of its meetings, coming and
        held; the coming meetings invite whom it covers now."""
        self.meeting_ids.filtered(
            lambda m: m.state == "scheduled"
        )._sync_calendar_event()
        for case in self:
            # sudo: followers and events of the case whose consent the user
            # just changed through its actions (which checked his access).
            records = [case.sudo(), case.sudo().meeting_ids, case.sudo().agreement_ids]
            for thread in records:
                for record in thread:
                    followers = record.message_partner_ids
                    gone = followers - record._lco_audience(followers)
                    if gone:
                        record.message_unsubscribe(gone.ids)
            for meeting in case.sudo().meeting_ids.filtered("calendar_event_id"):
                event = meeting.calendar_event_id
                invited = event.partner_ids - meeting.chair_id.partner_id
                gone = invited - meeting._lco_audience(invited)
                if gone:
                    event.with_context(mail_create_nosubscribe=True).write(
                        {"partner_ids": [Command.unlink(p.id) for p in gone]}
                    )
        self._lco_sync_followers()

    def _lco_sync_followers(self):
        """The people around the table follow the case and its coming meetings
        as the consent allows (``_report_scopes``), so that a message in the
        chatter reaches them: the coordinator, and every participant but the
        client and portal users (their channel is the portal page and the
        coordinator) whom the consent covers. Who left the case or is no longer covered stops
        following (``_lco_audience``)."""
        if _CREATING.get():
            return
        # sudo: the followers of a case whose participants, meetings or
        # consent the user just changed (those writes checked his access); who
        # follows is decided by the consent alone.
        for case in self.sudo():
            # A portal user reads his consultations on his portal page, never
            # the chatter (lco.case.thread.message_post): he does not follow.
            at_table = case.with_context(active_test=False).participant_ids
            portal = at_table.partner_id.filtered(
                lambda p: any(user.share for user in p.user_ids)
            )
            team = (
                at_table.filtered(lambda p: p.active and p.role != "client").partner_id
                - portal
            )
            scopes = case._report_scopes(team)
            covered = (
                team.filtered(lambda p, scopes=scopes: scopes[p])
                | case.coordinator_id.partner_id
            )
            coming = case.meeting_ids.filtered(
                lambda m: m.state in ("draft", "scheduled")
            )
            for record in [case, *coming]:
                followers = record.message_partner_ids
                gone = followers - record._lco_audience(followers)
                gone |= followers & portal
                if gone:
                    record.message_unsubscribe(gone.ids)
                new = covered - followers
                if new:
                    record.message_subscribe(new.ids)

    def _on_consent_withdrawn(self, consent):
        """Nothing reaches anyone but the client from now on: the others' open
        activities on the case stop, and the coordinator hears of it."""
        self.ensure_one()
        activities = (
            self.activity_ids
            | self.meeting_ids.activity_ids
            | self.agreement_ids.activity_ids
        )
        coordinator = self.coordinator_id
        activities.filtered(lambda a: a.user_id != coordinator).unlink()
        self._sync_invitations()
        # A system notice: in the organisation's language, not the user's.
        case = self.with_context(lang=self.company_id._lco_lang())
        case.message_post(
            body=case.env._(
                "The client's consent was withdrawn on %(date)s by %(user)s: nobody "
                "but the client receives invitations or reports of this case until "
                "he gives a new consent.",
                date=format_date(case.env, consent.withdrawn_date),
                user=self.env.user.name,
            ),
            subtype_xmlid="mail.mt_note",
        )
        if coordinator and coordinator != self.env.user:
            self.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=case.env._("The client withdrew his consent"),
                user_id=coordinator.id,
            )

    def action_view_access_log(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "lco_module.action_lco_access_log"
        )
        action["domain"] = [("case_id", "=", self.id)]
        return action

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

    # Portal --------------------------------------------------------------------

    def _lco_portal_participant(self, partner=None):
        """The active participation of ``partner`` (the user's) in this case."""
        self.ensure_one()
        partner = partner or self.env.user.partner_id
        return self.participant_ids.filtered(
            lambda p: p.partner_id == partner and p.active
        )[:1]

    def _lco_portal_scope(self):
        """What the current user may see of this case: "full", "work_plan" or
        False, as his consent scope (``_report_scopes``) says."""
        self.ensure_one()
        self.check_access("read")
        partner = self.env.user.partner_id
        # sudo: the consent lines are not for portal users to read; only the
        # user's own scope in a case he may read (checked above) is computed.
        return self.sudo()._report_scope(partner)

    def _lco_my_pending_evaluations(self):
        """The evaluations of this case the current user still has to give
        (with their meeting, in the search's one query)."""
        self.ensure_one()
        return self.env["lco.meeting.evaluation"].search_fetch(
            [
                ("case_id", "=", self.id),
                ("partner_id", "=", self.env.user.partner_id.id),
                ("state", "=", "pending"),
            ],
            ["meeting_id"],
            order="meeting_id",
        )

    # Retention (lco.anonymisable) ---------------------------------------------

    def _lco_ended_domain(self):
        return [("state", "in", ("closed", "cancelled"))]

    def _lco_not_ended_message(self, record):
        return self.env._(
            "Case %s still runs: only a closed or cancelled case is anonymised.",
            record.name,
        )

    def _lco_due_domain(self, company, limit):
        # A cancelled case has no closing date: its last change counts.
        return [
            ("company_id", "=", company.id),
            "|",
            "&",
            ("state", "=", "closed"),
            ("date_closed", "<", limit),
            "&",
            ("state", "=", "cancelled"),
            ("write_date", "<", limit),
        ]

    def _lco_records(self):
        """Every record holding data of the cases, the cases first."""
        cases = self.with_context(active_test=False)
        meetings = cases.meeting_ids
        return [
            cases,
            cases.participant_ids,
            cases.network_member_ids,
            cases.life_domain_line_ids,
            meetings,
            meetings.attendee_ids,
            meetings.checklist_item_ids,
            meetings.agenda_item_ids,
            # The topics proposed on the portal and not (yet) on the agenda.
            meetings.agenda_proposal_ids,
            cases.agreement_ids,
            cases.consent_ids,
            cases.consent_ids.line_ids,
            *self.env["lco.request"]
            .search([("case_id", "in", cases.ids)])
            ._lco_records(),
        ]

    def _lco_anonymise(self):
        """Remove the client, every contact and every text of the cases, with
        their chatter, files, activities and calendar events. Irreversible."""
        self._check_may_anonymise()
        self.env["lco.access.log"]._log(self, "anonymise")
        # sudo: checked above; the chatter, files, activities and events of
        # everyone who worked on the cases go.
        records = self.sudo()._lco_records()
        cases = records[0]
        evaluations = cases.env["lco.meeting.evaluation"].search(
            [("case_id", "in", cases.ids)]
        )
        # Before the people go: the register is scrubbed of their names.
        cases.env["lco.bottleneck"]._lco_scrub_cases(cases)
        # One path with tracking off from the first write (anonymised_date
        # included), which also drops what was tracked before in this
        # transaction; the calendar events go whole.
        erase(
            [*records, evaluations],
            unlink=cases.meeting_ids.calendar_event_id,
            mark=fields.Datetime.now(),
        )
        evaluations.with_context(**NO_TRACKING)._lco_forget_who()

    @api.depends_context("uid", "lang")
    @api.depends(
        "client_id.name",
        "network_member_ids.name",
        "network_member_ids.relationship",
        "network_member_ids.closeness",
        "network_member_ids.kind",
        "network_member_ids.status",
    )
    def _compute_network_map(self):
        for case in self:
            case.network_map = case._lco_network_svg()

    def _lco_network_members(self, partner=None):
        """The network members ``partner`` may see: all of them when the
        consent gives him the full picture (``_report_scopes``: the client
        always), none otherwise. Without ``partner``: those the current user's
        record rules let him read (the same rule for portal users)."""
        self.ensure_one()
        members = self.network_member_ids
        # The cache of the lines is shared by every user: the rules decide
        # again (the lines being added in a form are the user's own).
        saved = members.filtered("id")
        members = (members - saved) | saved._filtered_access("read")
        if partner is None:
            return members
        # sudo: only the scope of ``partner`` in this case is computed (the
        # consent lines are not for every reader); a letter to nobody (an
        # anonymised case) shows nothing of the network.
        scope = self.sudo()._report_scope(partner)
        return members if scope == "full" else members.browse()

    def _lco_network_svg(self, partner=None, svg_id="lco_network_map"):
        """The eco-map of the network ``partner`` may see (see
        ``_lco_network_members``), in the reader's language, as SVG markup."""
        self.ensure_one()
        members = self._lco_network_members(partner)
        # The stored copy first: the case's row has it (the client's contact
        # is read with the other people of the form, see _read_format).
        client = self.client_name or self.client_id.name or self.name or ""
        return network_svg(
            self.env._("Network around %s", client),
            client,
            [
                {
                    "name": member.name or "",
                    "closeness": member.closeness,
                    "kind": member.kind,
                    "status": member.status,
                    "text": member._lco_text(),
                }
                for member in members
            ],
            {"empty": self.env._("No one of the network recorded yet.")},
            svg_id=svg_id,
        )
