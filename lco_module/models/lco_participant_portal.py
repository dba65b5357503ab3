from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError

from .portal_rules import INTERNAL


class LcoParticipant(models.Model):
    _inherit = "lco.participant"

    # A participant's private contact details are for who runs the case: a
    # portal user reads them over RPC of nobody, not even of his own row (his
    # own contact he reads in /my/account).
    email = fields.Char(groups=INTERNAL)
    phone = fields.Char(groups=INTERNAL)

    has_portal_access = fields.Boolean(
        "Portal Access",
        compute="_compute_has_portal_access",
        groups=INTERNAL,
        help="This person opens his consultations in the portal.",
    )

    @api.depends("partner_id.user_ids")
    def _compute_has_portal_access(self):
        for participant in self:
            participant.has_portal_access = any(
                user._is_portal() and participant.company_id in user.company_ids
                for user in participant.partner_id.sudo().user_ids
            )

    def _lco_portal_covered(self):
        """Whether the consent of the case lets this participant in."""
        self.ensure_one()
        case = self.case_id
        return (
            self.active
            and case.has_consent
            and (
                self.role == "client" or self in case.consent_id.line_ids.participant_id
            )
        )

    def action_grant_portal_access(self):
        """Odoo's portal wizard for this person, once the consent covers him."""
        self.ensure_one()
        self.case_id.check_access("write")
        if self.case_id.state not in ("draft", "active"):
            raise UserError(self.env._("Case %s is no longer open.", self.case_id.name))
        if not self._lco_portal_covered():
            raise UserError(
                self.env._(
                    "%s is not covered by the client's consent: record a consent "
                    "that covers him before giving him access to the portal.",
                    self.partner_id.name,
                )
            )
        users = self.partner_id.sudo().with_context(active_test=False).user_ids
        if users.filtered(lambda u: not u.share):
            raise UserError(
                self.env._(
                    "%s works in Odoo: he opens the case there, not in the portal.",
                    self.partner_id.name,
                )
            )
        portal_user = users.filtered(lambda u: u.active and u._is_portal())[:1]
        if portal_user:
            if self.company_id not in portal_user.company_ids:
                # sudo: a coordinator does not manage users; the portal user is
                # let into this case's organisation only, for a participant the
                # consent covers in a case the coordinator runs (checked above).
                portal_user.sudo().company_ids = [Command.link(self.company_id.id)]
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "success",
                    "message": self.env._(
                        "%s already uses the portal: he now finds this case there.",
                        self.partner_id.name,
                    ),
                },
            }
        wizard = (
            self.env["portal.wizard"]
            .with_company(self.company_id)
            .create({"partner_ids": [Command.set(self.partner_id.ids)]})
        )
        return wizard._action_open_modal()

    def _lco_portal_acknowledge(self):
        """The portal user acknowledges the shared-secrecy rules of this case."""
        self.ensure_one()
        self.case_id.check_access("read")
        if self.partner_id != self.env.user.partner_id or not self.active:
            raise AccessError(
                self.env._("You can acknowledge the rules for yourself only.")
            )
        if self.confidentiality_ack_date:
            return
        # sudo: participants are not written by portal users; he records his
        # own acknowledgement in a case he may read (checked above), nothing
        # else.
        self.sudo()._lco_action_write(
            {
                "confidentiality_ack_date": fields.Date.context_today(self),
                "confidentiality_ack_method": "portal",
            }
        )
