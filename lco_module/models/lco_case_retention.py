from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .anonymisation import NO_TRACKING, erase


class LcoCase(models.Model):
    """A closed or cancelled case is anonymised when its retention period
    has passed, with its meetings, agreements, consents and request."""

    _name = "lco.case"
    _inherit = ["lco.case", "lco.anonymisable"]
    _lco_anonymise_wizard_field = "case_ids"
    _lco_retention_field = "lco_retention_months"

    @api.constrains("client_id", "state")
    def _check_client(self):
        for case in self:
            if not case.client_id and not case.anonymised_date:
                raise ValidationError(
                    self.env._("A case is the case of a client: choose him.")
                )

    def _add_client_as_participant(self):
        return super(
            LcoCase, self.filtered(lambda case: not case.anonymised_date)
        )._add_client_as_participant()

    def message_post(self, **kwargs):
        # Nothing of the client comes back into the chatter that was emptied
        # (defined here: mail.thread's message_post ends the chain).
        if not self.env.su:
            self._check_not_anonymised()
        return super().message_post(**kwargs)

    def _lco_ended_domain(self):
        return [("state", "in", ("closed", "cancelled"))]

    def _lco_not_ended_message(self, record):
        return self.env._(
            "Case %s still runs: only a closed or cancelled case is anonymised.",
            record.name,
        )

    def _lco_due_domain(self, company, limit):
        # A cancelled case has no closing date: its last change counts.
        return [
            ("company_id", "=", company.id),
            "|",
            "&",
            ("state", "=", "closed"),
            ("date_closed", "<", limit),
            "&",
            ("state", "=", "cancelled"),
            ("write_date", "<", limit),
        ]

    def _lco_records(self):
        """Every record holding data of the cases, the cases first."""
        cases = self.with_context(active_test=False)
        meetings = cases.meeting_ids
        return [
            cases,
            cases.participant_ids,
            cases.life_domain_line_ids,
            meetings,
            meetings.attendee_ids,
            meetings.checklist_item_ids,
            meetings.agenda_item_ids,
            # The topics proposed on the portal and not (yet) on the agenda.
            meetings.agenda_proposal_ids,
            cases.agreement_ids,
            cases.consent_ids,
            cases.consent_ids.line_ids,
            self.env["lco.request"].search([("case_id", "in", cases.ids)]),
        ]

    def _lco_anonymise(self):
        """Remove the client, every contact and every text of the cases, with
        their chatter, files, activities and calendar events. Irreversible."""
        self._check_may_anonymise()
        self.env["lco.access.log"]._log(self, "anonymise")
        # sudo: checked above; the chatter, files, activities and events of
        # everyone who worked on the cases go.
        records = self.sudo()._lco_records()
        cases = records[0]
        evaluations = cases.env["lco.meeting.evaluation"].search(
            [("case_id", "in", cases.ids)]
        )
        # Before the people go: the register is scrubbed of their names.
        cases.env["lco.bottleneck"]._lco_scrub_cases(cases)
        # One path with tracking off from the first write (anonymised_date
        # included), which also drops what was tracked before in this
        # transaction; the calendar events go whole.
        erase(
            [*records, evaluations],
            unlink=cases.meeting_ids.calendar_event_id,
            mark=fields.Datetime.now(),
        )
        evaluations.with_context(**NO_TRACKING)._lco_forget_who()
