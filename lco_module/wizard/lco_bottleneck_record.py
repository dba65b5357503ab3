import re

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression

from ..models.lco_bottleneck import KINDS, POLICY_TEXT_FIELDS

# Words shorter than this say too little to find a similar bottleneck.
MIN_WORD_LENGTH = 5
MAX_WORDS = 8
MAX_SIMILAR = 8


class LcoBottleneckRecord(models.TransientModel):
    """Record a bottleneck met in a case or a meeting: link the case to a
    similar bottleneck already recorded (bundling), or record a new one."""

    _name = "lco.bottleneck.record"
    _description = "Record a Structural Bottleneck"

    case_id = fields.Many2one("lco.case", required=True, readonly=True)
    meeting_id = fields.Many2one("lco.meeting", readonly=True)
    company_id = fields.Many2one(related="case_id.company_id")
    name = fields.Char("Bottleneck", help="In a few words, for policy makers.")
    description = fields.Text(
        help="What goes wrong and for whom, written for policy: without names, "
        "case numbers or details that identify a client."
    )
    kind = fields.Selection(KINDS, required=True, default="no_offer")
    life_domain_id = fields.Many2one(
        "lco.life.domain",
        compute="_compute_life_domain_id",
        store=True,
        readonly=False,
    )
    concerned = fields.Char("Service or Policy Level")
    similar_ids = fields.Many2many(
        "lco.bottleneck",
        string="Similar Bottlenecks",
        compute="_compute_similar_ids",
        help="Bottlenecks already recorded of the same kind and life domain, or "
        "with the same words: link this case to one of them rather than "
        "recording it twice.",
    )
    bottleneck_id = fields.Many2one(
        "lco.bottleneck",
        "Link to",
        domain="[('id', 'in', similar_ids)]",
        help="The bottleneck already recorded that this case hits too.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        wizards = super().create(vals_list)
        wizards._check_policy_text()
        return wizards

    def write(self, vals):
        res = super().write(vals)
        if set(vals) & set(POLICY_TEXT_FIELDS):
            self._check_policy_text()
        return res

    def _check_policy_text(self):
        """What is typed for policy names no client of the organisation and no
        case number, as on the bottleneck itself."""
        if self.env.su:
            return
        for wizard in self:
            wizard.env["lco.bottleneck"]._lco_check_policy_text(
                {
                    name: wizard[name]
                    for name in POLICY_TEXT_FIELDS
                    if name in wizard._fields
                },
                wizard.case_id.company_id or self.env.company,
                wizard.case_id,
            )

    @api.depends("case_id")
    def _compute_life_domain_id(self):
        for wizard in self:
            lines = wizard.case_id.life_domain_line_ids.filtered(
                lambda line: line.priority != "on_hold"
            )
            wizard.life_domain_id = (lines or wizard.case_id.life_domain_line_ids)[
                :1
            ].life_domain_id

    @api.depends("kind", "life_domain_id", "name", "description", "case_id")
    def _compute_similar_ids(self):
        Bottleneck = self.env["lco.bottleneck"]
        for wizard in self:
            alternatives = []
            if wizard.kind and wizard.life_domain_id:
                alternatives.append(
                    [
                        ("kind", "=", wizard.kind),
                        ("life_domain_id", "=", wizard.life_domain_id.id),
                    ]
                )
            text = f"{wizard.name or ''} {wizard.description or ''}"
            words = list(
                dict.fromkeys(
                    word.casefold()
                    for word in re.findall(rf"\w{{{MIN_WORD_LENGTH},}}", text)
                )
            )[:MAX_WORDS]
            for word in words:
                alternatives.append(
                    ["|", ("name", "ilike", word), ("description", "ilike", word)]
                )
            if not alternatives:
                wizard.similar_ids = Bottleneck
                continue
            # As the user: only the bottlenecks he may read are proposed.
            wizard.similar_ids = Bottleneck.search(
                [
                    ("state", "in", ("new", "signalled")),
                    ("id", "not in", wizard._linked_bottlenecks().ids),
                    *expression.OR(alternatives),
                ],
                order="case_count desc, date_last_seen desc, id desc",
                limit=MAX_SIMILAR,
            )

    def _linked_bottlenecks(self):
        if not self.case_id.id:
            return self.env["lco.bottleneck"]
        return (
            self.env["lco.bottleneck.occurrence"]
            .search([("case_id", "=", self.case_id.id)])
            .bottleneck_id
        )

    def _check_case(self):
        """Only who runs the case records what it met."""
        self.case_id.check_access("write")
        if self.meeting_id and self.meeting_id.case_id != self.case_id:
            raise UserError(
                self.env._("The meeting must belong to the case it is linked to.")
            )
        if self.bottleneck_id in self._linked_bottlenecks():
            raise UserError(
                self.env._(
                    "Case %(case)s is already linked to bottleneck “%(bottleneck)s”.",
                    case=self.case_id.name,
                    bottleneck=self.bottleneck_id.name,
                )
            )

    def _link(self, bottleneck):
        self.env["lco.bottleneck.occurrence"].create(
            {
                "bottleneck_id": bottleneck.id,
                "case_id": self.case_id.id,
                "meeting_id": self.meeting_id.id,
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "lco.bottleneck",
            "res_id": bottleneck.id,
            "view_mode": "form",
            "target": "current",
        }

    def action_link(self):
        self.ensure_one()
        if not self.bottleneck_id:
            raise UserError(
                self.env._(
                    "Choose the bottleneck this case hits too, or record a new one."
                )
            )
        self._check_case()
        return self._link(self.bottleneck_id)

    def action_create(self):
        self.ensure_one()
        if not (self.name or "").strip():
            raise UserError(
                self.env._("Describe the bottleneck in a few words, for policy.")
            )
        self._check_case()
        values = {
            "name": self.name,
            "description": self.description,
            "kind": self.kind,
            "life_domain_id": self.life_domain_id.id,
            "concerned": self.concerned,
            "company_id": self.case_id.company_id.id,
        }
        self.env["lco.bottleneck"]._check_anonymous(self.case_id, values)
        bottleneck = self.env["lco.bottleneck"].create(values)
        return self._link(bottleneck)
