import contextlib
import contextvars

from odoo import models
from odoo.exceptions import AccessError, UserError

# The version of a meeting's report the message being posted carries, set by
# the report composer only (lco_report_version): a Python variable of this
# request, which no RPC caller (context, arguments) can set.
_REPORT_VERSION = contextvars.ContextVar("lco_report_version", default=None)


@contextlib.contextmanager
def lco_report_version(scope):
    """Messages posted inside carry the report in ``scope`` ("full" or
    "work_plan"): only who gets that version is notified of them."""
    token = _REPORT_VERSION.set(scope)
    try:
        yield
    finally:
        _REPORT_VERSION.reset(token)


# The records whose messages, notifications and followers concern a client.
LCO_THREAD_MODELS = (
    "lco.case",
    "lco.meeting",
    "lco.agreement",
    "lco.request",
    "lco.consent",
)


def lco_readable_records(env):
    """(model, query of the records the user may read) for each of these models
    he has access to."""
    return [
        (model, env[model]._search([]))
        for model in LCO_THREAD_MODELS
        if env[model].has_access("read")
    ]


class LcoCaseThread(models.AbstractModel):
    """The chatter of a case and of what belongs to it: its messages and
    followers stay among the people around the client's table."""

    _name = "lco.case.thread"
    _inherit = ["mail.thread"]
    _description = "Chatter of a Client Consultation Case"

    def _lco_cases(self):
        return self.case_id

    def message_post(self, *, partner_ids=None, **kwargs):
        if not self.env.su and self.env.user.share:
            raise AccessError(
                self.env._(
                    "The chatter of a consultation is for the people who run it: "
                    "answer on your portal page, or write to the coordinator."
                )
            )
        self._check_lco_recipients(partner_ids)
        return super().message_post(partner_ids=partner_ids, **kwargs)

    def _lco_tell_coordinator(self, body):
        """Tell the coordinator of the case what the portal user did on this
        record (his agreement, his proposed topic): a note to him alone, in
        the user's name."""
        self.ensure_one()
        self.check_access("read")
        # sudo: portal users read neither users nor followers (which
        # _check_lco_recipients compares with); the record is one he may read
        # (checked above) and only its case's coordinator is told.
        record = self.sudo()
        record.message_post(
            body=body,
            author_id=self.env.user.partner_id.id,
            partner_ids=record.case_id.coordinator_id.partner_id.ids,
            subtype_xmlid="mail.mt_note",
        )

    def _notify_get_recipients(self, message, msg_vals=False, **kwargs):
        """Followers and addressees alike: nobody the client's consent does not
        cover hears of a message of the case (see ``_lco_audience``)."""
        recipients = super()._notify_get_recipients(message, msg_vals, **kwargs)
        if not self or not recipients:
            return recipients
        addressed = set(
            msg_vals.get("partner_ids") or []
            if msg_vals
            else message.sudo().partner_ids.ids
        )
        if _REPORT_VERSION.get():
            # A report goes to whom the coordinator sends it, not to every
            # follower of the meeting (who follow it as the consent allows).
            recipients = [r for r in recipients if r["id"] in addressed]
        partners = self.env["res.partner"].browse(r["id"] for r in recipients)
        allowed = self._lco_audience(partners, _REPORT_VERSION.get() or "full")
        return [r for r in recipients if r["id"] in allowed.ids]

    def _lco_audience(self, partners, scope=None):
        """The partners among ``partners`` who may receive this record's
        messages: a message carrying the report in ``scope`` (the chatter of a
        case is the full picture: "full" for any other message), or anything
        at all when ``scope`` is None. The client's consent decides for whoever
        is at the table (``lco.case._report_scopes``, the one place that does);
        who runs the case (an internal user who reads this record and is no
        participant) keeps getting its notes."""
        self.ensure_one()
        # sudo: the consent and the participants decide, whoever posts or is
        # told; only who may receive what is computed here.
        record = self.sudo()
        case = record._lco_cases()
        scopes = case._report_scopes(partners)
        at_table = (
            case.with_context(active_test=False).participant_ids.partner_id
            | case.client_id
        )
        allowed = partners.browse()
        for partner in partners.sudo():
            if partner in at_table:
                if scopes[partner] and scopes[partner] == (scope or scopes[partner]):
                    allowed |= partner
                continue
            users = partner.user_ids.filtered(lambda u: not u.share)
            if any(record.with_user(user).has_access("read") for user in users):
                allowed |= partner
        return allowed

    def message_subscribe(self, partner_ids=None, subtype_ids=None):
        self._check_lco_recipients(partner_ids)
        return super().message_subscribe(
            partner_ids=partner_ids, subtype_ids=subtype_ids
        )

    def _check_lco_recipients(self, partner_ids):
        if self.env.su or not partner_ids:
            return
        cases = self._lco_cases()
        around_table = (
            cases.participant_ids.partner_id
            | cases.coordinator_id.partner_id
            | self.message_partner_ids
            | self.env.user.partner_id
        )
        outsiders = self.env["res.partner"].browse(partner_ids) - around_table
        if outsiders:
            raise UserError(
                self.env._(
                    "Only the people taking part in the case receive its messages: "
                    "add them as participants first (shared professional secrecy)."
                )
            )
