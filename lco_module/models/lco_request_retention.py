from odoo import fields, models

from .anonymisation import erase


class LcoRequest(models.Model):
    """A declined or redirected request is anonymised when its retention
    period has passed; an accepted one goes with its case."""

    _name = "lco.request"
    _inherit = ["lco.request", "lco.anonymisable"]
    _lco_anonymise_wizard_field = "request_ids"
    _lco_retention_field = "lco_request_retention_months"

    def message_post(self, **kwargs):
        # Nothing of the client comes back into the chatter that was emptied
        # (defined here: mail.thread's message_post ends the chain).
        if not self.env.su:
            self._check_not_anonymised()
        return super().message_post(**kwargs)

    def _lco_ended_domain(self):
        return [("state", "in", ("declined", "redirected"))]

    def _lco_not_ended_message(self, record):
        return self.env._(
            "Request %s was not declined or redirected: an accepted request is "
            "anonymised with its case, an open one not at all.",
            record.name,
        )

    def _lco_due_domain(self, company, limit):
        return [("company_id", "=", company.id), ("date_decided", "<", limit)]

    def _lco_anonymise(self):
        """Remove the client's and the requester's data, every text, the
        chatter, files and activities of the requests."""
        self._check_may_anonymise()
        self.env["lco.access.log"]._log(self, "anonymise")
        # sudo: checked above; the chatter, files and activities of everyone
        # who handled the requests go.
        # One path with tracking off from the first write (anonymised_date
        # included), which also drops what was tracked before.
        erase(self.sudo(), mark=fields.Datetime.now())
