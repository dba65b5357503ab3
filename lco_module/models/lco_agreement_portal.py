from markupsafe import Markup

from odoo import fields, models
from odoo.exceptions import AccessError, UserError

from .portal_rules import (
    INTERNAL,
    MAX_NOTE_LENGTH,
    PORTAL_AGREEMENT_FIELDS,
    PORTAL_AGREEMENT_STATES,
)


class LcoAgreement(models.Model):
    _inherit = "lco.agreement"

    # How it went is part of the full report: internal over RPC; the person
    # responsible writes his own through _lco_portal_report.
    outcome_note = fields.Text(groups=INTERNAL)

    def write(self, vals):
        if self.env.user.share and not self.env.su:
            if (
                set(vals) - PORTAL_AGREEMENT_FIELDS
                or vals.get("state", PORTAL_AGREEMENT_STATES[0])
                not in PORTAL_AGREEMENT_STATES
            ):
                raise AccessError(
                    self.env._(
                        "You can only say whether your agreement is done, with a "
                        "short note."
                    )
                )
        return super().write(vals)

    def _sync_responsible_activity(self):
        if self.env.user.share and not self.env.su:
            # sudo: a portal user reported on his own agreement (the write rule
            # let him); its to-do belongs to the agreement, not to him.
            return super(LcoAgreement, self.sudo())._sync_responsible_activity()
        return super()._sync_responsible_activity()

    def _lco_portal_report(self, state, note):
        """The portal user says his agreement is done or not done; the
        coordinator of the case hears of it."""
        self.ensure_one()
        if state not in PORTAL_AGREEMENT_STATES:
            raise UserError(self.env._("Choose done or not done."))
        if self.state != "open":
            raise UserError(
                self.env._("This agreement is no longer open: ask the coordinator.")
            )
        note = (note or "").strip()[:MAX_NOTE_LENGTH]
        self.check_access("write")
        # sudo: outcome_note is internal (field groups); the write rule let
        # this user report on this very agreement of his (checked above), and
        # only its state and his note are written.
        self.sudo().write({"state": state, "outcome_note": note or False})
        states = dict(self._fields["state"]._description_selection(self.env))
        body = self.env._(
            "%(person)s reports on the agreement: %(state)s.",
            person=self.env.user.partner_id.name,
            state=states[state],
        )
        if note:
            body = Markup("%s<br/>%s") % (body, note)
        self._lco_tell_coordinator(body)
