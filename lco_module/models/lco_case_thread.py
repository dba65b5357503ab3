from odoo import models
from odoo.exceptions import AccessError, UserError

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
