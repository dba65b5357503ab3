from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import fields, models

# The cases whose consent can still be given.
OPEN_CASE_STATES = ("draft", "active")


class LcoConsent(models.Model):
    _inherit = "lco.consent"

    def _lco_portal_consents(self, consent_id=None):
        """The requested consents the portal user gives himself on /my/lco:
        as the client of an open case, or as the representative the consent
        names (who gives it, ``given_by``, decides which of them).

        Returned in sudo: portal users read no consent over RPC. Only these
        consents, found by the user's own partner, are shown and given.
        """
        user = self.env.user
        if not user.share:
            return self.sudo().browse()
        partner = user.partner_id
        domain = [
            ("state", "=", "requested"),
            ("case_id.state", "in", OPEN_CASE_STATES),
            "|",
            "&",
            ("given_by", "=", "client"),
            ("case_id.client_id", "=", partner.id),
            "&",
            ("given_by", "=", "representative"),
            ("representative_id", "=", partner.id),
        ]
        if consent_id is not None:
            domain.append(("id", "=", consent_id))
        # sudo: see the docstring; the domain holds the user's own partner.
        return self.sudo().search(domain, order="id")

    def _lco_portal_give(self):
        """The client (or his representative) agrees in the portal, today:
        the consent is given through its action and the coordinator is told.
        ``self`` comes from ``_lco_portal_consents`` (sudo, checked there)."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        months = self.company_id.lco_consent_validity_months
        valid_until = self.valid_until
        if valid_until and not (
            today < valid_until
            and (not months or valid_until <= today + relativedelta(months=months))
        ):
            # The end the coordinator proposed no longer fits: the
            # organisation's validity, counted from today.
            valid_until = False
        self._lco_action_write(
            {
                "method": "portal",
                "date_given": today,
                "witness_id": False,
                "valid_until": valid_until,
            }
        )
        self.action_give()
        # A notice to the coordinator: in the organisation's language.
        case = self.case_id.with_context(lang=self.company_id._lco_lang())
        case.message_post(
            body=Markup("<p>%s</p>")
            % case.env._(
                "%(person)s gave consent %(consent)s in the portal.",
                person=self.env.user.partner_id.name,
                consent=self.display_name,
            ),
            author_id=self.env.user.partner_id.id,
            partner_ids=case.coordinator_id.partner_id.ids,
            subtype_xmlid="mail.mt_note",
        )
        return True

    def _lco_portal_shared_with(self):
        """(name, organisation or function, scope) per person the consent
        covers, as the client reads them before he agrees."""
        self.ensure_one()
        return [
            (
                line.participant_id.partner_id.name,
                line.participant_id.organisation_id.name
                or line.participant_id.function
                or "",
                line.scope,
            )
            for line in self.line_ids
        ]
