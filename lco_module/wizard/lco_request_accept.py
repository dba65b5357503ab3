from odoo import api, fields, models
from odoo.exceptions import UserError


class LcoRequestAccept(models.TransientModel):
    _name = "lco.request.accept"
    _description = "Accept Request"

    request_id = fields.Many2one(
        "lco.request", required=True, readonly=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="request_id.company_id")
    client_name = fields.Char(related="request_id.client_name")
    requester_email = fields.Char(related="request_id.requester_email")
    match_partner_ids = fields.Many2many(related="request_id.match_partner_ids")
    client_choice = fields.Selection(
        [("existing", "An existing contact"), ("new", "A new contact")],
        "Client's Contact",
        required=True,
        compute="_compute_client_choice",
        store=True,
        readonly=False,
    )
    partner_id = fields.Many2one(
        "res.partner",
        "Contact",
        compute="_compute_client_choice",
        store=True,
        readonly=False,
        domain="[('company_id', 'in', [company_id, False]), ('is_company', '=', False)]",
    )
    open_case_id = fields.Many2one(
        "lco.case", "Client's Open Case", compute="_compute_open_case_id"
    )
    reason = fields.Text(
        required=True,
        help="Why a client consultation is the right answer now.",
    )
    send_mail = fields.Boolean("Mail the Requester", default=True)

    @api.depends("request_id")
    def _compute_client_choice(self):
        for wizard in self:
            request = wizard.request_id
            matches = request.match_partner_ids
            wizard.partner_id = request.client_id or (
                matches if len(matches) == 1 else False
            )
            wizard.client_choice = "existing" if request.client_id or matches else "new"

    @api.depends("client_choice", "partner_id")
    def _compute_open_case_id(self):
        for wizard in self:
            wizard.open_case_id = (
                wizard.client_choice == "existing"
                and wizard.partner_id
                and wizard.request_id._open_case_of(wizard.partner_id)
            )

    def action_accept(self):
        self.ensure_one()
        if self.client_choice == "existing" and not self.partner_id:
            raise UserError(
                self.env._("Choose the client's contact, or create a new contact.")
            )
        client = self.partner_id if self.client_choice == "existing" else None
        case = self.request_id._accept(client, self.reason)
        if self.send_mail and self.requester_email:
            self.request_id._mail_requester()
        return {
            "type": "ir.actions.act_window",
            "res_model": "lco.case",
            "res_id": case.id,
            "view_mode": "form",
        }
