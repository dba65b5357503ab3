from odoo import Command, api, fields, models
from odoo.exceptions import UserError


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
    redirected_to = fields.Char(
        help="Where the requester is sent instead: a service, an aid worker or the "
        "OCMW of the client's municipality. Recorded on the request and mailed to "
        "the requester.",
    )
    can_mail = fields.Boolean(compute="_compute_can_mail")
    send_mail = fields.Boolean("Mail the Requester", default=True)

    @api.depends("request_ids.requester_email")
    def _compute_can_mail(self):
        for wizard in self:
            wizard.can_mail = all(wizard.request_ids.mapped("requester_email"))

    @api.model_create_multi
    def create(self, vals_list):
        # Checked before the requests are linked: a request that does not exist
        # answers as one the user may not decide on.
        for vals in vals_list:
            commands = vals.get("request_ids") or self.default_get(["request_ids"]).get(
                "request_ids"
            )
            self._requests_of(commands)._check_intake_access()
        wizards = super().create(vals_list)
        # sudo: the requests linked, also those the user may not read, are
        # checked as the user.
        wizards.sudo().request_ids.sudo(False)._check_intake_access()
        return wizards

    def write(self, vals):
        if "request_ids" in vals:
            self._requests_of(vals["request_ids"])._check_intake_access()
        return super().write(vals)

    @api.model
    def _requests_of(self, commands):
        """The requests that ``commands`` of the field request_ids link."""
        ids = []
        for command in commands or ():
            if isinstance(command, int) and not isinstance(command, bool):
                ids.append(command)
            elif (
                isinstance(command, (list, tuple))
                and len(command) == 3
                and command[0] == Command.SET
                and isinstance(command[2], (list, tuple))
            ):
                ids = list(command[2])
            elif (
                isinstance(command, (list, tuple))
                and len(command) >= 2
                and command[0] == Command.LINK
            ):
                ids.append(command[1])
            else:
                raise UserError(self._open_from_requests_message())
        if not ids or not all(
            isinstance(id_, int) and not isinstance(id_, bool) for id_ in ids
        ):
            raise UserError(self._open_from_requests_message())
        return self.env["lco.request"].browse(ids)

    def _open_from_requests_message(self):
        return self.env._("Open this window with the buttons of the requests.")

    def action_confirm(self):
        self.ensure_one()
        # sudo: all the requests linked, also one the user no longer reads, are
        # decided on (and checked) as the user.
        requests = self.sudo().request_ids.sudo(False)
        if self.decision == "redirected" and not (self.redirected_to or "").strip():
            raise UserError(
                self.env._(
                    "Say where the requester is redirected to: a service, an aid "
                    "worker or the OCMW of the client's municipality."
                )
            )
        requests._decide(self.decision, self.reason, self.redirected_to)
        if self.send_mail and self.can_mail:
            requests._mail_requester()
        return {"type": "ir.actions.act_window_close"}
