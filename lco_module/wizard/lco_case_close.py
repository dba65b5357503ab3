from odoo import api, fields, models


class LcoCaseClose(models.TransientModel):
    _name = "lco.case.close"
    _description = "Close Case"

    case_ids = fields.Many2many("lco.case", string="Cases", required=True)
    close_reason_id = fields.Many2one("lco.close.reason", "Reason", required=True)
    close_note = fields.Text(
        "Closing Evaluation",
        required=True,
        help="How did the trajectory go, for the client and for the team?",
    )

    @api.model_create_multi
    def create(self, vals_list):
        wizards = super().create(vals_list)
        wizards._check_cases()
        return wizards

    def _check_cases(self):
        """Only the cases the user runs, and only active ones, are closed."""
        self.case_ids.check_access("write")
        self.case_ids._lco_check_transition("closed")

    def action_close(self):
        self._check_cases()
        self.case_ids._close(self.close_reason_id, self.close_note)
        return {"type": "ir.actions.act_window_close"}
