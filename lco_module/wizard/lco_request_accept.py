from odoo import api, fields, models
from odoo.exceptions import UserError


class LcoRequestAccept(models.TransientModel):
    _name = "lco.request.accept"
    _description = "Accept Request"

    request_id = fields.Many2one(
        "lco.request", required=True, readonly=True, ondelete="cascade"
    )
    # Read as the user (compute_sudo=False): the wizard shows nothing of the
    # request he could not read on the request itself.
    company_id = fields.Many2one(related="request_id.company_id", compute_sudo=False)
    client_name = fields.Char(related="request_id.client_name", compute_sudo=False)
    requester_email = fields.Char(
        related="request_id.requester_email", compute_sudo=False
    )
    match_partner_ids = fields.Many2many(
        related="request_id.match_partner_ids", compute_sudo=False
    )
    client_choice = fields.Selection(
        [("existing", "An existing contact"), ("new", "A new contact")],
        "Client's Contact",
        required=True,
        compute="_compute_client_choice",
        compute_sudo=False,
        store=True,
        readonly=False,
    )
    partner_id = fields.Many2one(
        "res.partner",
        "Contact",
        compute="_compute_client_choice",
        compute_sudo=False,
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
            case = (
                wizard.client_choice == "existing"
                and wizard.partner_id
                and wizard.request_id._open_case_of(wizard.partner_id)
            )
            # Only a case the user may read himself: accepting tells him about
            # a colleague's case (_join_case).
            wizard.open_case_id = case if case and case.has_access("read") else False

    @api.model_create_multi
    def create(self, vals_list):
        # Checked before anything of the request is computed or stored: a
        # request that does not exist answers as one the user may not take in.
        for vals in vals_list:
            request_id = vals.get("request_id") or self.default_get(["request_id"]).get(
                "request_id"
            )
            if not isinstance(request_id, int) or isinstance(request_id, bool):
                raise UserError(self._open_from_request_message())
            request = self.env["lco.request"].browse(request_id)
            request._check_intake_access()
            self._check_partner(vals.get("partner_id"), request)
        wizards = super().create(vals_list)
        wizards.request_id._check_intake_access()
        return wizards

    def write(self, vals):
        if "request_id" in vals:
            raise UserError(self._open_from_request_message())
        if vals.get("partner_id"):
            for wizard in self:
                self._check_partner(vals["partner_id"], wizard.request_id)
        return super().write(vals)

    def _open_from_request_message(self):
        return self.env._("Open this window with the buttons of a request.")

    @api.model
    def _check_partner(self, partner_id, request):
        """The client's contact: one the user sees, of the request's organisation
        or shared by all organisations."""
        if not partner_id:
            return
        if not isinstance(partner_id, int) or isinstance(partner_id, bool):
            raise UserError(self.env._("Choose the client's contact in the list."))
        partner = self.env["res.partner"].browse(partner_id)
        if not (
            partner.exists()
            and partner.has_access("read")
            and partner.company_id in (request.company_id, partner.browse())
        ):
            raise UserError(
                self.env._(
                    "Choose the client's contact among the contacts of %s you can "
                    "see, or create a new contact.",
                    request.company_id.name,
                )
            )

    def action_accept(self):
        self.ensure_one()
        self.request_id._check_intake_access()
        if self.client_choice == "existing" and not self.partner_id:
            raise UserError(
                self.env._("Choose the client's contact, or create a new contact.")
            )
        client = self.partner_id if self.client_choice == "existing" else None
        if client:
            self._check_partner(client.id, self.request_id)
        case = self.request_id._accept(client, self.reason)
        if self.send_mail and self.requester_email:
            self.request_id._mail_requester()
        return {
            "type": "ir.actions.act_window",
            "res_model": "lco.case",
            "res_id": case.id,
            "view_mode": "form",
        }
