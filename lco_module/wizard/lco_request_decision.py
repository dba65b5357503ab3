from odoo import api, fields, models


class LcoRequestDecision(models.TransientModel):
    _name = "lco.request.decision"
    _description = "Decline or Redirect Requests"

    request_ids = fields.Many2many("lco.request", string="Requests", required=True)
    decision = fields.Selection(
        [("declined", "Decline"), ("redirected", "Redirect")], required=True
    )
    reason = fields.Text(
        required=True,
        help="Recorded on the request and told to the requester if you mail him.",
    )
    can_mail = fields.Boolean(compute="_compute_can_mail")
    send_mail = fields.Boolean("Mail the Requester", default=True)

    @api.depends("request_ids.requester_email")
    def _compute_can_mail(self):
        for wizard in self:
            wizard.can_mail = all(wizard.request_ids.mapped("requester_email"))

    def action_confirm(self):
        self.request_ids._decide(self.decision, self.reason)
        if self.send_mail and self.can_mail:
            self.request_ids._mail_requester()
        return {"type": "ir.actions.act_window_close"}
