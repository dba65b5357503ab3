from odoo import Command, api, fields, models
from odoo.exceptions import UserError


class LcoChairAssign(models.TransientModel):
    """The chairs of the contact point's pool for a youth-care case, ranked
    (lco.chair._rank_for_case); the coordinator proposes one of them."""

    _name = "lco.chair.assign"
    _description = "Propose a Chair"

    case_id = fields.Many2one("lco.case", required=True, ondelete="cascade")
    line_ids = fields.One2many("lco.chair.assign.line", "wizard_id", "Ranking")
    chair_id = fields.Many2one(
        "lco.chair",
        "Chair to Ask",
        domain="[('id', 'in', eligible_chair_ids)]",
        help="The chair who gets the proposal: the first of the ranking unless "
        "you choose another.",
    )
    eligible_chair_ids = fields.Many2many("lco.chair", string="Chairs Ranked")
    left_out_note = fields.Char("Left Out", readonly=True)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        case = self.env["lco.case"].browse(values.get("case_id"))
        if not case:
            return values
        case.check_access("write")
        ranked, left_out = self.env["lco.chair"]._rank_for_case(case)
        values["line_ids"] = [
            Command.create(
                {
                    "sequence": rank,
                    "chair_id": line["chair"].id,
                    "in_region": line["in_region"],
                    "speaks": line["speaks"],
                    "load": line["load"],
                    "capacity": line["chair"].capacity,
                    "reasons": line["reasons"],
                }
            )
            for rank, line in enumerate(ranked, start=1)
        ]
        values["eligible_chair_ids"] = [
            Command.set([line["chair"].id for line in ranked])
        ]
        values["chair_id"] = ranked[0]["chair"].id if ranked else False
        if left_out:
            values["left_out_note"] = self.env._(
                "Not proposed, because they work for a service at the table: %s",
                ", ".join(left_out.mapped("name")),
            )
        return values

    def action_propose(self):
        self.ensure_one()
        if not self.chair_id:
            raise UserError(self.env._("Choose the chair to ask."))
        # Ranked again: the table may have changed since the window opened.
        ranked, _left_out = self.env["lco.chair"]._rank_for_case(self.case_id)
        reasons = [line["reasons"] for line in ranked if line["chair"] == self.chair_id]
        self.env["lco.chair.proposal"].create(
            {
                "case_id": self.case_id.id,
                "chair_id": self.chair_id.id,
                "reasons": reasons[0] if reasons else False,
            }
        )
        return {"type": "ir.actions.act_window_close"}
