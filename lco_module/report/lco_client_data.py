from odoo import api, models
from odoo.exceptions import AccessError


class ReportLcoClientData(models.AbstractModel):
    """Everything the client consultation holds about one person: the answer
    to his right of access, printed by a manager."""

    _name = "report.lco_module.report_lco_client_data"
    _description = "Client Consultation Data of a Person"

    @api.model
    def _get_report_values(self, docids, data=None):
        if not self.env.user.has_group("lco_module.group_lco_manager"):
            raise AccessError(
                self.env._(
                    "Only a manager of the client consultation prints what it holds "
                    "about a person."
                )
            )
        partners = self.env["res.partner"].browse(docids)
        return {
            "doc_ids": docids,
            "doc_model": "res.partner",
            "docs": partners,
            "held": {partner.id: self._held_about(partner) for partner in partners},
        }

    def _held_about(self, partner):
        cases = self.env["lco.case"].search([("client_id", "=", partner.id)])
        attended = self.env["lco.meeting.attendee"].search(
            [("partner_id", "=", partner.id)]
        )
        return {
            "cases": cases,
            "requests": self.env["lco.request"].search(
                [
                    "|",
                    ("client_id", "=", partner.id),
                    ("requester_partner_id", "=", partner.id),
                ]
            ),
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
            "access_log": self.env["lco.access.log"].search(
                [("case_id", "in", cases.ids)]
            ),
        }
