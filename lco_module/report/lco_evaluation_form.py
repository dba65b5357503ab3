from odoo import api, models
from odoo.exceptions import UserError

# Who is expected to evaluate a meeting not yet held: not who sent his excuses.
NOT_EXPECTED = ("absent", "excused")


def _form(meeting, partner):
    """One printed form: the meeting, the person, and his language."""
    return (
        meeting,
        partner,
        partner.lang or meeting.company_id.partner_id.lang or meeting.env.lang,
    )


def _meeting_forms(meetings):
    """The forms of the people of each meeting: once it is held, those whose
    evaluation waits for an answer; before, those invited whom the consent
    covers (printed with the participant list, filled in at the end)."""
    forms = {}
    for meeting in meetings:
        if meeting.state in ("held", "reported"):
            pending = meeting.evaluation_ids.filtered(
                lambda e: e.state == "pending" and e.partner_id
            )
            forms[meeting.id] = [_form(meeting, e.partner_id) for e in pending]
        else:
            expected = meeting.attendee_ids.filtered(
                lambda a: a.participant_id.active and a.status not in NOT_EXPECTED
            ).sorted(lambda a: a.role != "client")
            covered = meeting._covered(expected)
            forms[meeting.id] = [
                _form(meeting, a.partner_id)
                for a in expected
                if a.partner_id in covered
            ]
    return forms


class ReportLcoEvaluationForm(models.AbstractModel):
    """The printed evaluation form of evaluations waiting for an answer."""

    _name = "report.lco_module.report_lco_evaluation_form"
    _description = "Printed Evaluation Form"

    @api.model
    def _get_report_values(self, docids, data=None):
        evaluations = self.env["lco.meeting.evaluation"].browse(docids)
        evaluations.check_access("read")
        return {
            "doc_ids": docids,
            "doc_model": "lco.meeting.evaluation",
            "docs": evaluations,
            "forms_by_doc": {
                e.id: [_form(e.meeting_id, e.partner_id)] if e.partner_id else []
                for e in evaluations
            },
        }


class ReportLcoMeetingEvaluationForms(models.AbstractModel):
    """The printed evaluation forms of a meeting's people."""

    _name = "report.lco_module.report_lco_meeting_evaluation_forms"
    _description = "Printed Evaluation Forms of a Meeting"

    @api.model
    def _get_report_values(self, docids, data=None):
        meetings = self.env["lco.meeting"].browse(docids)
        meetings.check_access("read")
        forms = _meeting_forms(meetings)
        if not any(forms.values()):
            raise UserError(
                self.env._(
                    "Nobody's evaluation waits for an answer: there is no form "
                    "to print."
                )
            )
        return {
            "doc_ids": docids,
            "doc_model": "lco.meeting",
            "docs": meetings,
            "forms_by_doc": forms,
        }


class ReportLcoAttendanceEvaluation(models.AbstractModel):
    """The participant list to sign, followed by the evaluation forms."""

    _name = "report.lco_module.report_lco_attendance_evaluation"
    _description = "Participant List with Evaluation Forms"

    @api.model
    def _get_report_values(self, docids, data=None):
        meetings = self.env["lco.meeting"].browse(docids)
        meetings.check_access("read")
        return {
            "doc_ids": docids,
            "doc_model": "lco.meeting",
            "docs": meetings,
            "forms_by_doc": _meeting_forms(meetings),
        }
