from odoo import api, fields, models
from odoo.exceptions import ValidationError


class LcoBottleneckOccurrence(models.Model):
    """A case (and the meeting, when it came up there) that hit a bottleneck.

    For the coordinator's own follow-up: it follows the rules of its case, and
    never appears in a report, export or view meant for policy.
    """

    _name = "lco.bottleneck.occurrence"
    _description = "Case that Hit a Bottleneck"
    _inherit = ["lco.checked.input"]
    _lco_fixed_fields = ("bottleneck_id", "case_id")
    _order = "date desc, id desc"
    _check_company_auto = True

    bottleneck_id = fields.Many2one(
        "lco.bottleneck", required=True, index=True, ondelete="cascade"
    )
    case_id = fields.Many2one(
        "lco.case", required=True, index=True, ondelete="cascade", check_company=True
    )
    meeting_id = fields.Many2one(
        "lco.meeting",
        index="btree_not_null",
        ondelete="set null",
        check_company=True,
        domain="[('case_id', '=', case_id)]",
    )
    company_id = fields.Many2one(
        related="case_id.company_id", store=True, index=True, precompute=True
    )
    date = fields.Date(
        "Seen On", required=True, index=True, default=fields.Date.context_today
    )

    _sql_constraints = [
        (
            "bottleneck_case_uniq",
            "unique(bottleneck_id, case_id)",
            "A case is linked only once to a bottleneck.",
        ),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        occurrences = super().create(vals_list)
        if not self.env.su:
            for occurrence in occurrences:
                occurrence.bottleneck_id._check_anonymous(occurrence.case_id)
        return occurrences

    @api.constrains("meeting_id", "case_id")
    def _check_meeting_case(self):
        for occurrence in self:
            if occurrence.meeting_id and occurrence.meeting_id.case_id != (
                occurrence.case_id
            ):
                raise ValidationError(
                    self.env._("The meeting must belong to the case it is linked to.")
                )
