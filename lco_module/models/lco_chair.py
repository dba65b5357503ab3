from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools.constants import CHAIR_GROUP, OPEN_CASE_STATES


class LcoChair(models.Model):
    """An external chair of a regional contact point's pool: a professional
    with youth-care experience who chairs client consultations besides his own
    work. He works for no service at the table (see _check_neutral_for)."""

    _name = "lco.chair"
    _description = "External Chair"
    _inherit = ["lco.checked.input"]
    _order = "name, id"
    _check_company_auto = True

    user_id = fields.Many2one(
        "res.users",
        "Chair",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
        domain=lambda self: [
            ("share", "=", False),
            ("groups_id", "in", self.env.ref(CHAIR_GROUP).ids),
        ],
        help="The chair's login: he becomes the coordinator of the cases he "
        "accepts to chair.",
    )
    name = fields.Char(related="user_id.name", store=True, index="trigram")
    partner_id = fields.Many2one(related="user_id.partner_id", string="Chair's Contact")
    company_id = fields.Many2one(
        "res.company",
        "Contact Point",
        required=True,
        index=True,
        default=lambda self: self.env.company,
        help="The regional contact point whose pool the chair belongs to.",
    )
    employer_id = fields.Many2one(
        "res.partner",
        "Works For",
        index="btree_not_null",
        domain=[("is_company", "=", True)],
        help="The service that employs the chair in his own work. He is never "
        "proposed for, and never chairs, a case at whose table that service "
        "takes part.",
    )
    route_ids = fields.Many2many(
        "lco.postcode.route",
        string="Regions",
        domain="[('company_id', '=', company_id), ('kind', '=', 'youth')]",
        help="The postcodes of the contact point where the chair prefers to chair.",
    )
    lang_ids = fields.Many2many(
        "res.lang",
        string="Languages",
        help="The languages in which the chair runs a meeting.",
    )
    training_date = fields.Date(
        "Trained On", help="When the chair followed the training for chairs."
    )
    intervision_ids = fields.One2many(
        "lco.chair.intervision", "chair_id", "Intervision Sessions"
    )
    capacity = fields.Integer(
        "Cases at Once",
        default=3,
        required=True,
        help="How many open cases the chair takes at the same time.",
    )
    engagement = fields.Selection(
        [("volunteer", "Volunteer"), ("paid", "Paid Side Job")],
        required=True,
        default="volunteer",
    )
    active = fields.Boolean(default=True)
    open_case_count = fields.Integer(
        "Open Cases",
        compute="_compute_case_counts",
        help="The open cases the chair chairs now.",
    )
    case_count = fields.Integer(
        "Cases Chaired",
        compute="_compute_case_counts",
        help="All cases the chair chairs or chaired.",
    )
    days_to_first_meeting = fields.Float(
        "Days to First Meeting",
        compute="_compute_case_counts",
        digits=(16, 1),
        help="On average over the cases he chairs, the days from the request to "
        "the first meeting.",
    )

    _sql_constraints = [
        ("user_uniq", "unique(user_id)", "A user has one chair profile."),
        (
            "capacity_positive",
            "CHECK(capacity > 0)",
            "A chair takes at least one case at once.",
        ),
    ]

    @api.constrains("user_id", "company_id")
    def _check_user(self):
        for chair in self:
            user = chair.user_id
            if not user.has_group(CHAIR_GROUP) or user.share:
                raise ValidationError(
                    self.env._(
                        "%s is not in the External Chair group: give him that "
                        "group before adding him to the pool.",
                        user.name,
                    )
                )
            if chair.company_id not in user.company_ids:
                raise ValidationError(
                    self.env._(
                        "%(user)s does not work in %(company)s: allow him that "
                        "organisation before adding him to its pool.",
                        user=user.name,
                        company=chair.company_id.name,
                    )
                )

    def _compute_case_counts(self):
        # sudo: counts and an average only, of the cases the pool's chairs
        # coordinate (his whole load, in any organisation): the contact point
        # weighs it without reading the cases they chair.
        groups = (
            self.env["lco.case"]
            .sudo()
            ._read_group(
                [("coordinator_id", "in", self.user_id.ids)],
                ["coordinator_id", "state"],
                ["__count", "days_to_first_meeting:sum", "date_first_meeting:count"],
            )
            if self.user_id
            else []
        )
        # Per chair's user: [open cases, all cases, days to a first meeting
        # summed, cases with a first meeting].
        totals = defaultdict(lambda: [0, 0, 0, 0])
        for user, state, count, days, met in groups:
            total = totals[user]
            total[0] += count if state in OPEN_CASE_STATES else 0
            total[1] += count
            total[2] += days or 0
            total[3] += met
        for chair in self:
            open_count, count, days, met = totals[chair.user_id]
            chair.open_case_count = open_count
            chair.case_count = count
            chair.days_to_first_meeting = days / met if met else 0.0

    # Neutrality

    def _employer_partners(self):
        """The chair's employer as any contact of the service names it."""
        employer = self.employer_id
        return employer | employer.commercial_partner_id | employer.parent_id

    @api.model
    def _services_at_table(self, case):
        """The people and services that take part in ``case``, each with the
        organisation he works for."""
        participants = case.participant_ids.filtered("active")
        partners = participants.partner_id | participants.organisation_id
        return partners | partners.parent_id | partners.commercial_partner_id

    def _conflicts_with(self, case):
        """The services at ``case``'s table that employ the chair (or the
        chair himself at the table)."""
        self.ensure_one()
        at_table = self._services_at_table(case)
        return (self._employer_partners() | self.partner_id) & at_table

    def _check_neutral_for(self, case):
        """Raise unless each chair works for no service at ``case``'s table."""
        for chair in self:
            conflict = chair._conflicts_with(case)
            if conflict:
                raise ValidationError(
                    self.env._(
                        "%(chair)s cannot chair case %(case)s: he works for "
                        "%(service)s, which takes part in it. A chair works for no "
                        "service at the table.",
                        chair=chair.name,
                        case=case.name,
                        service=", ".join(conflict.mapped("display_name")),
                    )
                )

    # Ranking

    @api.model
    def _rank_for_case(self, case):
        """The active chairs of ``case``'s contact point who work for no service
        at its table, best first: the client's region, his language, then the
        lightest load (open cases against capacity). Chairs at capacity come
        last. Returns (chairs ranked as dicts, chairs left out for neutrality)."""
        chairs = self.search([("company_id", "=", case.company_id.id)])
        neutral = chairs.filtered(lambda chair: not chair._conflicts_with(case))
        # Their load as it is now (a computed count is kept in the cache).
        neutral.invalidate_recordset(["open_case_count"])
        client = case.client_id
        zip_code = self.env["lco.postcode.route"]._normalize_zip(client.zip)
        lang = self.env["res.lang"]._lang_get(client.lang) if client.lang else False
        ranked = []
        for chair in neutral:
            load = chair.open_case_count
            in_region = bool(zip_code) and zip_code in chair.route_ids.mapped("zip")
            speaks = bool(lang) and lang in chair.lang_ids
            full = load >= chair.capacity
            reasons = [
                self._region_reason(zip_code, in_region),
                self._language_reason(lang, speaks),
                self.env._(
                    "Chairs %(load)s of %(capacity)s cases at once",
                    load=load,
                    capacity=chair.capacity,
                ),
            ]
            ranked.append(
                {
                    "chair": chair,
                    "in_region": in_region,
                    "speaks": speaks,
                    "load": load,
                    "full": full,
                    "reasons": "\n".join(reasons),
                    "key": (
                        full,
                        not in_region,
                        not speaks,
                        load / chair.capacity,
                        chair.name or "",
                        chair.id,
                    ),
                }
            )
        ranked.sort(key=lambda line: line["key"])
        return ranked, chairs - neutral

    @api.model
    def _region_reason(self, zip_code, in_region):
        if not zip_code:
            return self.env._("The client's postcode is not known")
        if in_region:
            return self.env._("Chairs in postcode %s", zip_code)
        return self.env._("Does not chair in postcode %s", zip_code)

    @api.model
    def _language_reason(self, lang, speaks):
        if not lang:
            return self.env._("The client's language is not known")
        if speaks:
            return self.env._("Speaks %s", lang.name)
        return self.env._("Does not speak %s", lang.name)
