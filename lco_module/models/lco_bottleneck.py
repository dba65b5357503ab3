import re

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import remove_accents

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
# Words of a name that say nothing on their own ("Van de Velde": "Velde").
NAME_PARTICLES = frozenset(
    "van de der den het ten ter te op in t d la le du des di da del von zu el al"
    " bin ben".split()
)
# A case or request number in any spelling: LCO/2026/0001, LCO-2026-0001,
# LCO 2026 1, LCO20260001 after its prefix, with or without the organisation's
# code (LCO/HEI/2026/0001, aanv-hei-2026-1); 2026/0001, 2026-1 without (a date
# such as 2026-03-01 is not one).
NUMBER_WITH_PREFIX = re.compile(
    r"\b(?:lco|aanv)\s*[/._-]?\s*(?:[a-z0-9]{1,10}\s*[/._-]\s*)?"
    r"(\d{4})\s*[/._-]?\s*(\d{1,6})\b"
)
NUMBER_WITHOUT_PREFIX = re.compile(
    r"(?<![\w/.-])(\d{4})\s*[/._-]\s*(\d{1,6})(?!\w|\s*[/.-]\s*\d)"
)
ACCENTED = "àáâãäåçèéêëìíîïñòóôõöùúûüýÿ"
UNACCENTED = "aaaaaaceeeeiiiinooooouuuuyy"
# What replaces a client's name or number when his case is anonymised.
SCRUBBED = "…"
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
    _inherit = [
        # First: the move of the state is checked before anything else.
        "lco.state.flow",
        "lco.checked.input",
        "mail.thread",
        "mail.activity.mixin",
    ]
    # The moves of its state (lco.state.flow).
    _lco_transitions = {
        "new": ("signalled", "closed", "cancelled"),
        "signalled": ("signalled", "closed", "cancelled"),
        "closed": ("new",),
        "cancelled": ("new",),
    }
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
                self._check_input(vals)
                self._check_figures_untouched(vals)
                vals.pop("state", None)
                company = self.env["res.company"].browse(vals.get("company_id"))
                self._lco_check_policy_text(
                    vals, company or self.env.company, self.env["lco.case"]
                )
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            self._check_input(vals)
            self._check_figures_untouched(vals)
            if set(vals) & set(POLICY_TEXT_FIELDS):
                for bottleneck in self:
                    # The cases of its organisation, and the cases linked to it
                    # that the user reads (record rules).
                    bottleneck._lco_check_policy_text(
                        vals,
                        bottleneck.company_id,
                        bottleneck.visible_occurrence_ids.case_id,
                    )
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

    def _lco_transition_hint(self, state):
        return {
            "signalled": self.env._("Only a new bottleneck can be signalled."),
            "closed": self.env._("Only an open bottleneck can be closed."),
            "cancelled": self.env._("Only an open bottleneck can be cancelled."),
            "new": self.env._("Only a closed or cancelled bottleneck can be reopened."),
        }.get(state, "")

    def action_signal(self):
        self._lco_check_transition("signalled")
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
        self._lco_check_transition("closed")
        if any(not (bottleneck.outcome or "").strip() for bottleneck in self):
            raise UserError(
                self.env._(
                    "Write the outcome (what came of it) before closing the bottleneck."
                )
            )
        self.write({"state": "closed", "date_closed": fields.Date.context_today(self)})
        return True

    def action_cancel(self):
        self._lco_check_transition("cancelled")
        self.write({"state": "cancelled"})
        return True

    def action_reopen(self):
        self._lco_check_transition("new")
        self.write({"state": "new", "date_closed": False})
        return True

    def _check_anonymous(self, cases, vals=None):
        """Refuse text for policy (``vals``, else the bottlenecks' own) that
        names the client or a participant of ``cases``, or their case number.

        Only cases the user may read are given here, so the check tells
        nothing about the cases of others.
        """
        texts = [
            value
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
        names, numbers = self._lco_case_identifiers(cases)
        if any(lco_identifier_spans(text, names, numbers) for text in texts):
            raise self._lco_not_anonymous()

    @api.model
    def _lco_check_policy_text(self, vals, company, cases):
        """Refuse text for policy in ``vals`` that names a client of a case of
        ``company`` (in any order, with initials, accents and case ignored) or
        a case number of it (in any spelling), or a participant or number of
        ``cases`` (which the user reads). The message says not which."""
        texts = [
            value
            for name, value in vals.items()
            if name in POLICY_TEXT_FIELDS and value and isinstance(value, str)
        ]
        if not texts:
            return
        self._check_anonymous(cases, vals)
        for text in texts:
            names, numbers = self._lco_company_identifiers(company, text)
            if lco_identifier_spans(text, names, numbers):
                raise self._lco_not_anonymous()

    def _lco_not_anonymous(self):
        return ValidationError(
            self.env._(
                "The text of the bottleneck names a client or a case number. Write "
                "it for policy, without names, case numbers or anything else that "
                "identifies a client."
            )
        )

    @api.model
    def _lco_case_identifiers(self, cases):
        """The names of the client and participants of ``cases`` and their
        numbers."""
        partners = (
            cases.client_id
            | cases.with_context(active_test=False).participant_ids.partner_id
        )
        names = set(partners.mapped("name")) | set(cases.mapped("client_name"))
        return {name for name in names if name}, {
            number for number in map(lco_case_number, cases.mapped("name")) if number
        }

    @api.model
    def _lco_company_identifiers(self, company, text):
        """The names of the clients and the case numbers of ``company`` that
        ``text`` may name (those sharing a word or a number with it)."""
        folded = lco_fold(text)
        words = {
            word
            for word in re.findall(r"\w+", folded)
            if len(word) > 1 and word not in NAME_PARTICLES and not word.isdigit()
        }
        numbers = lco_text_numbers(folded)
        names, found = set(), set()
        cr = self.env.cr
        # SQL: every case of the organisation, whoever runs it, without reading
        # any of them as the user; only names and numbers the text shares a
        # word or number with are fetched, and the message says not which.
        self.env["lco.case"].flush_model(["name", "client_id", "company_id"])
        self.env["lco.participant"].flush_model(["case_id", "partner_id", "role"])
        if words:
            cr.execute(
                """
                SELECT DISTINCT p.name
                  FROM lco_participant pa
                  JOIN lco_case c ON c.id = pa.case_id
                  JOIN res_partner p ON p.id = pa.partner_id
                 WHERE c.company_id = %s AND pa.role = 'client'
                   AND translate(lower(p.name), %s, %s) ~ %s
                """,
                [
                    company.id,
                    ACCENTED,
                    UNACCENTED,
                    r"\m(" + "|".join(sorted(words)) + r")\M",
                ],
            )
            names = {name for (name,) in cr.fetchall() if name}
        if numbers:
            cr.execute(
                "SELECT name FROM lco_case WHERE company_id = %s AND name LIKE ANY(%s)",
                [company.id, [f"%{year}%{number}" for year, number in numbers]],
            )
            found = {lco_case_number(name) for (name,) in cr.fetchall()} & numbers
        return names, found

    def _lco_scrub_cases(self, cases):
        """Remove the names of the client and participants of ``cases`` and
        their numbers from the bottlenecks' texts, their tracking and their
        messages (called as superuser when the cases are anonymised, before
        their people are erased)."""
        names, numbers = self._lco_case_identifiers(cases)
        if not (names or numbers):
            return
        companies = cases.company_id
        bottlenecks = self.sudo().search(
            [
                "|",
                "|",
                ("company_id", "in", companies.ids),
                ("company_ids", "in", companies.ids),
                ("occurrence_ids.case_id", "in", cases.ids),
            ]
        )
        for bottleneck in bottlenecks:
            values = _scrubbed_values(bottleneck, POLICY_TEXT_FIELDS, names, numbers)
            if values:
                bottleneck.with_context(tracking_disable=True).write(values)
        messages = (
            self.env["mail.message"]
            .sudo()
            .search([("model", "=", self._name), ("res_id", "in", bottlenecks.ids)])
        )
        for message in messages:
            values = _scrubbed_values(message, ("subject",), names, numbers)
            body = str(message.body or "")
            scrubbed = "".join(
                part if part.startswith("<") else lco_scrub(part, names, numbers)
                for part in re.split(r"(<[^>]*>)", body)
            )
            if scrubbed != body:
                values["body"] = Markup(scrubbed)
            if values:
                message.write(values)
        tracked = (
            "old_value_char",
            "new_value_char",
            "old_value_text",
            "new_value_text",
        )
        for tracking in messages.tracking_value_ids:
            values = _scrubbed_values(tracking, tracked, names, numbers)
            if values:
                tracking.write(values)


def _scrubbed_values(record, field_names, names, numbers):
    """The values of ``field_names`` of ``record`` that name one of ``names``
    or ``numbers``, scrubbed."""
    values = {}
    for name in field_names:
        text = record[name]
        if text and (scrubbed := lco_scrub(text, names, numbers)) != text:
            values[name] = scrubbed
    return values


def lco_fold(text):
    """``text`` in lower case without accents, one character for one (so that
    a place in it is the same place in ``text``)."""
    return "".join((remove_accents(char).lower() or char)[:1] for char in text)


def lco_case_number(name):
    """(year, number) of a case number such as LCO/HEI/2026/0001 or
    LCO/2026/0001, else None."""
    digits = re.findall(r"\d+", name or "")
    if len(digits) < 2 or len(digits[-2]) != 4:
        return None
    return int(digits[-2]), int(digits[-1])


def lco_text_numbers(folded, spans=None):
    """The (year, number) pairs written in ``folded`` text like a case number;
    their places are added to ``spans`` when given."""
    numbers = set()
    for pattern in (NUMBER_WITH_PREFIX, NUMBER_WITHOUT_PREFIX):
        for match in pattern.finditer(folded):
            number = int(match.group(1)), int(match.group(2))
            numbers.add(number)
            if spans is not None:
                spans.append((match.start(), match.end(), number))
    return numbers


def lco_name_spans(tokens, name):
    """Where ``tokens`` (start, end, word) name the person called ``name``: all
    the words of his name next to each other in any order, or some of them
    with initials ("K. Vermeulen", "Vermeulen Kim"), at least two that are not
    particles and one written out."""
    parts = re.findall(r"\w+", lco_fold(name))
    main = [part for part in parts if part not in NAME_PARTICLES]
    if not main:
        return []
    if len(main) == 1:
        return [(start, end) for start, end, word in tokens if word == main[0]]
    spans = []
    i = 0
    while i < len(tokens):
        free = list(parts)
        matched = 0
        written = False
        j = i
        while j < len(tokens):
            word = tokens[j][2]
            if word in free:
                free.remove(word)
                if word not in NAME_PARTICLES:
                    matched += 1
                    written = written or len(word) > 1
            else:
                initial = next(
                    (
                        part
                        for part in free
                        if len(word) == 1
                        and part not in NAME_PARTICLES
                        and part[0] == word
                    ),
                    None,
                )
                if initial is None:
                    break
                free.remove(initial)
                matched += 1
            j += 1
        if matched >= 2 and written:
            spans.append((tokens[i][0], tokens[j - 1][1]))
            i = j
        else:
            i += 1
    return spans


def lco_identifier_spans(text, names, numbers):
    """Where ``text`` names one of ``names`` or writes one of ``numbers``
    ((year, number) pairs), as (start, end) places in ``text``."""
    if not text:
        return []
    folded = lco_fold(text)
    spans = []
    if numbers:
        found = []
        lco_text_numbers(folded, found)
        spans += [(start, end) for start, end, number in found if number in numbers]
    if names:
        tokens = [
            (match.start(), match.end(), match.group())
            for match in re.finditer(r"\w+", folded)
        ]
        words = {word for _start, _end, word in tokens}
        for name in names:
            if words & set(re.findall(r"\w+", lco_fold(name))):
                spans += lco_name_spans(tokens, name)
    return sorted(spans)


def lco_scrub(text, names, numbers):
    """``text`` with every name of ``names`` and number of ``numbers`` replaced."""
    spans = lco_identifier_spans(text, names, numbers)
    for start, end in reversed(_merge(spans)):
        text = text[:start] + SCRUBBED + text[end:]
    return text


def _merge(spans):
    merged = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
