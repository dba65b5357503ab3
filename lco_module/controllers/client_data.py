import re

from odoo import http
from odoo.http import content_disposition, request

from ..report.lco_client_data import EXPORT_URL

# The companies the manager worked in when he asked for the export, as the web
# client's cookie writes them ("1-2").
COMPANY_IDS_RE = re.compile(r"^[0-9]{1,9}(-[0-9]{1,9})*$")


class ClientData(http.Controller):
    """The right of access: a manager downloads everything the client
    consultation holds about one person, as a JSON file."""

    @http.route(
        EXPORT_URL % "<int:partner_id>", type="http", auth="user", methods=["GET"]
    )
    def client_data_json(self, partner_id, company_ids=None, **_kw):
        if company_ids and COMPANY_IDS_RE.match(company_ids):
            # Checked by the environment: only companies the user works in.
            request.update_context(
                allowed_company_ids=[int(id_) for id_ in company_ids.split("-")]
            )
        Report = request.env["report.lco_module.report_lco_client_data"]
        partner = request.env["res.partner"].browse(partner_id)
        filename, content = Report._export_json(partner)
        return request.make_response(
            content,
            headers=[
                ("Content-Type", "application/json; charset=utf-8"),
                ("Content-Length", str(len(content))),
                ("Content-Disposition", content_disposition(filename)),
                ("Cache-Control", "no-store"),
            ],
        )
