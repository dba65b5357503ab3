import json
from datetime import timezone

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.osv import expression
from odoo.tools import SQL, email_normalize, escape_psql

from ..models.lco_meeting_evaluation import SCORE_FIELDS
from ..models.lco_request import _phone_digits
from ..tools.constants import MANAGER_GROUP

# The URL of the export of one person's data, as a file (see
# controllers/client_data.py).
EXPORT_URL = "/lco/client_data/%s/json"
# The version of the export's structure: raised when a key changes meaning.
EXPORT_FORMAT = "lco_module.client_data"
EXPORT_VERSION = 1


class ReportLcoClientData(models.AbstractModel):
    """Everything the client consultation holds about one person: the answer
    to his right of access, printed (PDF) or exported (JSON) by a manager."""

    _name = "report.lco_module.report_lco_client_data"
    _description = "Client Consultation Data of a Person"

    @api.model
    def _check_manager(self, export=False):
        if self.env.user.has_group(MANAGER_GROUP):
            return
        if export:
            raise AccessError(
                self.env._(
                    "Only a manager of the client consultation exports what it "
                    "holds about a person."
                )
            )
        raise AccessError(
            self.env._(
                "Only a manager of the client consultation prints what it holds "
                "about a person."
            )
        )

    @api.model
    def _get_report_values(self, docids, data=None):
        self._check_manager()
        partners = self.env["res.partner"].browse(docids)
        return {
            "doc_ids": docids,
            "doc_model": "res.partner",
            "docs": partners,
            "held": {partner.id: self._held_about(partner) for partner in partners},
        }

    def _held_about(self, partner):
        """What is held about ``partner``, as far as the user may read it: a
        manager gets what his organisations (the companies he works in) hold."""
        cases = self.env["lco.case"].search([("client_id", "=", partner.id)])
        attended = self.env["lco.meeting.attendee"].search(
            [("partner_id", "=", partner.id)]
        )
        requests = self._requests_about(partner)
        return {
            "cases": cases,
            "requests": requests,
            "consents": cases.consent_ids,
            "attended": attended,
            "agreements": self.env["lco.agreement"].search(
                [
                    "|",
                    ("responsible_partner_id", "=", partner.id),
                    ("case_id", "in", cases.ids),
                ]
            ),
            "reports": self.env["mail.message"].search(
                [
                    ("model", "=", "lco.meeting"),
                    ("partner_ids", "in", partner.id),
                    ("attachment_ids", "!=", False),
                ]
            ),
            "evaluations": self.env["lco.meeting.evaluation"].search(
                [("partner_id", "=", partner.id)]
            ),
            "access_log": self._access_log_about(partner, cases, requests),
        }

    def _requests_about(self, partner):
        """The requests about ``partner``: linked to his contact, or naming him
        only as typed in (his name, e-mail address or phone number as the
        client or the requester, as lco_privacy_lookup finds them), unless
        they are linked to someone else."""
        Request = self.env["lco.request"]
        typed = {"client": [], "requester": []}
        name = (partner.name or "").strip()
        email = email_normalize(partner.email or "")
        phones = tuple(
            {_phone_digits(partner.phone), _phone_digits(partner.mobile)} - {""}
        )
        for who, found_by in typed.items():
            if name:
                found_by.append([(f"{who}_name", "=ilike", escape_psql(name))])
            if email:
                found_by.append([(f"{who}_email", "=ilike", escape_psql(email))])
            if phones:
                # The same number written +32 470 ... or 0470 ... (see
                # lco.request's _phone_digits).
                query = Request._search([(f"{who}_phone", "!=", False)])
                query.add_where(
                    SQL(
                        r"right(regexp_replace(%s, '\D', '', 'g'), 9) IN %s",
                        Request._field_to_sql(Request._table, f"{who}_phone", query),
                        phones,
                    )
                )
                found_by.append([("id", "in", query)])
        return Request.search(
            expression.OR(
                [
                    [("client_id", "=", partner.id)],
                    [("requester_partner_id", "=", partner.id)],
                    *(
                        expression.AND(
                            [
                                [(link, "in", [False, partner.id])],
                                expression.OR(typed[who]),
                            ]
                        )
                        for who, link in (
                            ("client", "client_id"),
                            ("requester", "requester_partner_id"),
                        )
                        if typed[who]
                    ),
                ]
            )
        )

    def _access_log_about(self, partner, cases, requests):
        """Who opened, read, printed or exported his cases, his requests and
        what is held about him: one line per opening (the lines written at the
        same moment for the same case by the same hand are one)."""
        lines = self.env["lco.access.log"].search(
            expression.OR(
                [
                    [("case_id", "in", cases.ids)],
                    [("res_model", "=", "lco.request"), ("res_id", "in", requests.ids)],
                    [("res_model", "=", partner._name), ("res_id", "=", partner.id)],
                ]
            )
        )
        seen = set()
        shown = []
        for line in lines:
            key = (
                line.date,
                line.user_id,
                line.action,
                line.case_id or (line.res_model, line.res_id),
                line.detail,
            )
            if key not in seen:
                seen.add(key)
                shown.append(line.id)
        return lines.browse(shown)

    # The export (JSON) --------------------------------------------------------

    @api.model
    def action_export_json(self, partners):
        """Download what is held about ``partners`` (one person) as a JSON
        file, for the organisations the manager works in now."""
        self._check_manager(export=True)
        if len(partners) != 1:
            raise UserError(self.env._("Export the data of one person at a time."))
        partners.check_access("read")
        companies = "-".join(str(company_id) for company_id in self.env.companies.ids)
        return {
            "type": "ir.actions.act_url",
            "url": f"{EXPORT_URL % partners.id}?company_ids={companies}",
            "target": "download",
        }

    @api.model
    def _export_json(self, partner):
        """The file of what is held about ``partner``: (name, JSON bytes).

        Built as the user, within his record rules; the export is written in
        the access log, for the person and for each of his cases.
        """
        self._check_manager(export=True)
        partner.check_access("read")
        lang = partner.lang or self.env.lang
        report = self.with_context(lang=lang)
        held = report._held_about(partner.with_context(lang=lang))
        values = report._export_values(partner, held)
        detail = self.env._("Client consultation data (JSON)")
        self.env["lco.access.log"]._log_entries(
            [(partner, "export", detail), (held["cases"], "export", detail)]
        )
        name = report.env._("Client consultation data - %s", partner.name)
        content = json.dumps(values, ensure_ascii=False, indent=2)
        return f"{name.replace('/', '-')}.json", content.encode()

    def _export_values(self, partner, held):
        """The content of the PDF, as plain data: codes with their label in
        the person's language, dates in ISO 8601, times in UTC."""
        choice, day, moment = self._choice, self._day, self._moment
        return {
            "format": EXPORT_FORMAT,
            "version": EXPORT_VERSION,
            "exported_on": moment(fields.Datetime.now()),
            "exported_by": self.env.user.name,
            "organisations": self.env.companies.mapped("name"),
            "person": {"id": partner.id, "name": partner.name},
            "cases": [
                {
                    "reference": case.name,
                    **choice(case, "state"),
                    "requested_on": day(case.date_requested),
                    "coordinator": case.coordinator_id.name or None,
                    "question": case.question or None,
                }
                for case in held["cases"]
            ],
            "requests": [
                {
                    "reference": request.name,
                    "received_on": moment(request.create_date),
                    **choice(request, "state"),
                }
                for request in held["requests"]
            ],
            "consents": [
                {
                    "case": consent.case_id.name,
                    "given_on": day(consent.date_given),
                    "valid_until": day(consent.valid_until),
                    **choice(consent, "state"),
                    "shared_with": consent.line_ids.partner_id.mapped("name"),
                }
                for consent in held["consents"]
            ],
            "meetings": [
                {
                    "case": attendee.meeting_id.case_id.name,
                    **choice(attendee.meeting_id, "kind", "kind"),
                    "number": attendee.meeting_id.number,
                    "start": moment(attendee.meeting_id.start),
                    **choice(attendee, "status", "attendance"),
                }
                for attendee in held["attended"]
            ],
            "agreements": [
                {
                    "case": agreement.case_id.name,
                    "what": agreement.name,
                    "who": agreement.responsible_partner_id.name or None,
                    "deadline": day(agreement.deadline),
                    **choice(agreement, "state"),
                }
                for agreement in held["agreements"]
            ],
            "reports_sent": [
                {
                    "sent_on": moment(message.date),
                    "subject": message.subject or None,
                    "documents": message.attachment_ids.mapped("name"),
                }
                for message in held["reports"]
            ],
            "evaluations": [
                {
                    "case": evaluation.case_id.name,
                    "meeting_start": moment(evaluation.meeting_date),
                    **choice(evaluation, "state"),
                    "answered_on": moment(evaluation.answered_date),
                    **{name: evaluation[name] or None for name in SCORE_FIELDS},
                    "comment": evaluation.comment or None,
                }
                for evaluation in held["evaluations"]
            ],
            "access_log": [
                {
                    "when": moment(line.date),
                    "who": line.user_id.name,
                    **choice(line, "action"),
                    "detail": line.detail or None,
                    "case": line.case_id.name,
                }
                for line in held["access_log"]
            ],
        }

    @staticmethod
    def _choice(record, field_name, key=None):
        """The code of a selection field and its label, under ``key``."""
        key = key or field_name
        value = record[field_name]
        labels = dict(record._fields[field_name]._description_selection(record.env))
        return {key: value or None, f"{key}_label": labels.get(value)}

    @staticmethod
    def _day(value):
        return value.isoformat() if value else None

    @staticmethod
    def _moment(value):
        return value.replace(tzinfo=timezone.utc).isoformat() if value else None
