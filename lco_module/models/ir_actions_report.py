import functools
import io
import subprocess
from collections import OrderedDict

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from odoo import fields, models
from odoo.tools.pdf import PdfFileReader, PdfFileWriter

from odoo.addons.base.models.ir_actions_report import _get_wkhtmltopdf_bin

from .lco_access_logged import note_read, one_call

REPORT_PREFIX = "lco_module."


@functools.cache
def wkhtmltopdf_prints_headers():
    """Only wkhtmltopdf built on its patched Qt prints the separate header and
    footer in which Odoo's report layouts put the letterhead and page numbers."""
    try:
        version = subprocess.run(
            [_get_wkhtmltopdf_bin(), "--version"], capture_output=True, check=False
        ).stdout
    except OSError:
        return True
    return b"patched qt" in version


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _lco_letterhead_in_body(self, report):
        return report.report_name.startswith(REPORT_PREFIX) and (
            not wkhtmltopdf_prints_headers()
        )

    def _get_rendering_context(self, report, docids, data):
        """The addon's documents keep their letterhead where wkhtmltopdf does
        not print Odoo's header."""
        data = super()._get_rendering_context(report, docids, data)
        if report.report_name.startswith(REPORT_PREFIX):
            data["lco_today"] = fields.Date.context_today(self)
            data["lco_letterhead_in_body"] = self._lco_letterhead_in_body(report)
            if data["lco_letterhead_in_body"]:
                data["data_report_margin_top"] = 12
        return data

    def _render_qweb_html(self, report_ref, docids, data=None):
        """Prevents a print of a client consultation record without a line in
        the access log."""
        report = self._get_report(report_ref)
        if report.report_name.startswith(REPORT_PREFIX) and docids:
            note_read(self.env[report.model].browse(docids), [report.name], "print")
        return super()._render_qweb_html(report_ref, docids, data=data)

    def _render_qweb_pdf(self, report_ref, res_ids=None, data=None):
        """One access-log write for a PDF of many documents."""
        # A PDF of several documents is printed one at a time (see below): one
        # INSERT in the access log for them all.
        report = self._get_report(report_ref)
        with one_call(self.env, "print", report.model):
            return super()._render_qweb_pdf(report_ref, res_ids=res_ids, data=data)

    def _render_qweb_pdf_prepare_streams(self, report_ref, data, res_ids=None):
        """Where wkhtmltopdf prints no footer, each document gets the
        organisation's contact line and its own page count."""
        report = self._get_report(report_ref)
        if not res_ids or not self._lco_letterhead_in_body(report):
            return super()._render_qweb_pdf_prepare_streams(
                report_ref, data, res_ids=res_ids
            )
        # One document at a time, so that each letter counts its own pages.
        streams = OrderedDict()
        for res_id in res_ids:
            stream = super()._render_qweb_pdf_prepare_streams(
                report_ref, dict(data or {}), res_ids=[res_id]
            )[res_id]
            if stream["stream"] and not stream["attachment"]:
                company = self.env[report.model].browse(res_id).company_id
                stream["stream"] = _stamp_footer(stream["stream"], company)
            streams[res_id] = stream
        return streams


def _stamp_footer(pdf_stream, company):
    """Print the organisation's contact line and "page / pages" at the foot of
    every page, where a patched wkhtmltopdf would print the layout's footer."""
    reader = PdfFileReader(pdf_stream, strict=False)
    pages = reader.getNumPages()
    contact = " · ".join(
        part
        for part in (
            company.name,
            ", ".join(
                p
                for p in (
                    company.street,
                    f"{company.zip or ''} {company.city or ''}".strip(),
                )
                if p
            ),
            company.phone,
            company.email,
            company.website,
        )
        if part
    )
    overlay = io.BytesIO()
    pen = canvas.Canvas(overlay)
    for number in range(pages):
        page = reader.getPage(number)
        width = float(page.mediaBox.getWidth())
        pen.setPageSize((width, float(page.mediaBox.getHeight())))
        pen.setStrokeColor(colors.HexColor("#b0b7bd"))
        pen.setLineWidth(0.4)
        pen.line(18 * mm, 14 * mm, width - 18 * mm, 14 * mm)
        pen.setFillColor(colors.HexColor("#5f6b73"))
        pen.setFont("Helvetica", 7.5)
        pen.drawString(18 * mm, 10 * mm, contact)
        pen.drawRightString(width - 18 * mm, 10 * mm, f"{number + 1} / {pages}")
        pen.showPage()
    pen.save()
    stamps = PdfFileReader(overlay)
    writer = PdfFileWriter()
    for number in range(pages):
        page = reader.getPage(number)
        page.mergePage(stamps.getPage(number))
        writer.addPage(page)
    stamped = io.BytesIO()
    writer.write(stamped)
    return stamped
