from odoo import fields, models
from odoo.exceptions import AccessError, UserError

from ..tools.constants import MANAGER_GROUP


class LcoBottleneckMerge(models.TransientModel):
    """Bundle bottlenecks recorded twice, in one organisation or in two: the
    cases of the duplicates are linked to the one kept, the duplicates are
    cancelled. A manager does it for the organisations he works for."""

    _name = "lco.bottleneck.merge"
    _description = "Merge Structural Bottlenecks"

    bottleneck_ids = fields.Many2many(
        "lco.bottleneck", string="Duplicates", required=True
    )
    target_id = fields.Many2one(
        "lco.bottleneck",
        "Keep",
        required=True,
        domain="[('id', 'not in', bottleneck_ids), ('state', 'in', ('new', 'signalled'))]",
        help="The bottleneck the cases of the duplicates are linked to.",
    )

    def action_merge(self):
        self.ensure_one()
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(
                self.env._(
                    "Only a manager of the client consultation merges bottlenecks."
                )
            )
        target = self.target_id
        duplicates = self.bottleneck_ids - target
        if not duplicates:
            raise UserError(self.env._("Choose the duplicates to merge into another."))
        if target.state not in ("new", "signalled") or any(
            duplicate.state not in ("new", "signalled") for duplicate in duplicates
        ):
            raise UserError(self.env._("Only open bottlenecks are merged."))
        target.check_access("read")
        duplicates.check_access("write")
        # The links the manager reads: all of them, unless a case of an
        # organisation he does not work for hit a duplicate.
        occurrences = duplicates.visible_occurrence_ids
        if len(occurrences) != sum(duplicates.mapped("case_count")):
            raise UserError(
                self.env._(
                    "Cases of an organisation you do not work for hit one of these "
                    "bottlenecks: ask a manager who also works for that "
                    "organisation to merge them."
                )
            )
        linked = target.visible_occurrence_ids.case_id
        moved = [
            {
                "bottleneck_id": target.id,
                "case_id": occurrence.case_id.id,
                "meeting_id": occurrence.meeting_id.id,
                "date": occurrence.date,
            }
            for occurrence in occurrences
            if occurrence.case_id not in linked
        ]
        occurrences.unlink()
        self.env["lco.bottleneck.occurrence"].create(moved)
        for duplicate in duplicates:
            duplicate.message_post(
                body=self.env._("Merged into bottleneck “%s”.", target.name)
            )
        duplicates.action_cancel()
        return {
            "type": "ir.actions.act_window",
            "res_model": "lco.bottleneck",
            "res_id": target.id,
            "view_mode": "form",
            "target": "current",
        }
