from odoo import api, models
from odoo.tools import SQL

from ..tools.constants import COORDINATOR_GROUP


class MailMessage(models.Model):
    """The intake stays with the coordinators.

    On a request, internal notes (log notes, the notice of a new request) are
    read and changed only by the coordinators of
    its organisation, by their author and by the people they are addressed to:
    not by the requester, also when he is a coordinator elsewhere. He reads the
    other messages of his request, such as the decision.
    """

    _inherit = "mail.message"

    @api.model
    def _find_allowed_model_wise(self, doc_model, doc_dict):
        """Prevents a portal user or a requester finding the chatter, resp. the
        internal notes, of a client consultation record in a search."""
        allowed = super()._find_allowed_model_wise(doc_model, doc_dict)
        if doc_model.startswith("lco.") and self._lco_chatter_closed():
            return set()
        if doc_model == "lco.request" and allowed:
            allowed -= set(self.browse(allowed)._lco_hidden_intake_messages().ids)
        return allowed

    def _get_forbidden_access(self, operation):
        """Prevents a portal user or a requester reading the chatter, resp.
        the internal notes, of a client consultation record."""
        forbidden = super()._get_forbidden_access(operation)
        if self._lco_chatter_closed():
            forbidden |= (self - forbidden)._lco_messages()
        if operation != "create":
            forbidden |= (self - forbidden)._lco_hidden_intake_messages()
        return forbidden

    @api.model
    def _lco_chatter_closed(self):
        """Portal users follow their consultations on their portal pages,
        which show what their consent allows; the chatter, with every report
        sent and every note, stays closed to them."""
        return not self.env.su and self.env.user.share

    def _lco_messages(self):
        """The messages of ``self`` on client consultation records."""
        if not self.ids:
            return self.browse()
        self.flush_recordset(["model"])
        rows = self.env.execute_query(
            SQL(
                "SELECT id FROM mail_message WHERE id = ANY(%s) AND model LIKE %s",
                self.ids,
                "lco.%",
            )
        )
        return self.browse(id_ for (id_,) in rows)

    def _lco_hidden_intake_messages(self):
        """The internal messages of ``self`` on requests the user does not take
        in, that he neither wrote nor was addressed."""
        if self.env.su or not self.ids:
            return self.browse()
        self.flush_recordset(
            ["model", "res_id", "author_id", "message_type", "is_internal"]
        )
        self.env["mail.notification"].flush_model(["mail_message_id", "res_partner_id"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT message.id, message.res_id
                  FROM mail_message message
             LEFT JOIN mail_message_subtype subtype
                    ON subtype.id = message.subtype_id
                 WHERE message.id = ANY(%(ids)s)
                   AND message.model = 'lco.request'
                   AND (message.is_internal OR subtype.internal
                        OR (message.subtype_id IS NULL
                            AND message.message_type = 'comment'))
                   AND message.author_id IS DISTINCT FROM %(partner)s
                   AND NOT EXISTS (
                        SELECT 1 FROM mail_message_res_partner_rel recipient
                         WHERE recipient.mail_message_id = message.id
                           AND recipient.res_partner_id = %(partner)s)
                   AND NOT EXISTS (
                        SELECT 1 FROM mail_notification notification
                         WHERE notification.mail_message_id = message.id
                           AND notification.res_partner_id = %(partner)s)
                """,
                ids=self.ids,
                partner=self.env.user.partner_id.id,
            )
        )
        if not rows:
            return self.browse()
        user = self.env.user
        taken = set()
        if user.has_group(COORDINATOR_GROUP):
            # sudo: the organisation of each request, only compared with the
            # user's organisations.
            requests = self.env["lco.request"].sudo().browse({row[1] for row in rows})
            taken = {
                request.id
                for request in requests.exists()
                if request.company_id in user.company_ids
            }
        return self.browse(id_ for id_, res_id in rows if res_id not in taken)
