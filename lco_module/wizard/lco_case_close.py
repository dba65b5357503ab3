from odoo import fields, models


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

    def action_close(self):
        self.case_ids._close(self.close_reason_id, self.close_note)
        return {"type": "ir.actions.act_window_close"}
