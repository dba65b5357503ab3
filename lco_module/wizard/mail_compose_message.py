from odoo import api, fields, models
from odoo.tools.safe_eval import safe_eval, time

from ..models.lco_case_thread import lco_report_version

# The version of a meeting's report each scope of consent receives.
REPORTS = {
    "full": "lco_module.action_report_lco_meeting",
    "work_plan": "lco_module.action_report_lco_work_plan",
}


class MailComposeMessage(models.TransientModel):
    _inherit = "mail.compose.message"

    lco_language_note = fields.Text(
        "Languages",
        compute="_compute_lco_language_note",
        help="The language in which each recipient gets the meeting report.",
    )

    def _lco_is_report_mail(self):
        self.ensure_one()
        return self.model == "lco.meeting" and self.template_id == self.env.ref(
            "lco_module.mail_template_lco_meeting_report", raise_if_not_found=False
        )

    @api.depends("model", "template_id", "lang", "partner_ids")
    def _compute_lco_language_note(self):
        names = dict(self.env["res.lang"].get_installed())
        for composer in self:
            if (
                not composer._lco_is_report_mail()
                or not composer.partner_ids
                or len(composer._lco_res_ids()) != 1
            ):
                composer.lco_language_note = False
                continue
            mail_lang = composer.lang if composer.lang in names else self.env.lang
            versions = composer._lco_versions(composer._lco_res_ids()[0], mail_lang)
            received = {
                partner: (lang, scope)
                for (lang, scope), partners in versions.items()
                for partner in partners
            }
            labels = {
                "full": self.env._("full report"),
                "work_plan": self.env._("work plan only"),
            }
            lines = [
                self.env._(
                    "Language of this mail and its report: %(lang)s. Each recipient:",
                    lang=names.get(mail_lang, mail_lang),
                )
            ]
            for partner in composer.partner_ids:
                if partner not in received:
                    lines.append(
                        self.env._(
                            "%s — nothing: the client's consent does not cover him.",
                            partner.name,
                        )
                    )
                    continue
                lang, scope = received[partner]
                lines.append(
                    f"{partner.name} — {names.get(lang, lang)}, {labels[scope]}"
                )
            if set(versions) - {(mail_lang, "full")}:
                lines.append(
                    self.env._(
                        "Who reads another language or gets the work plan only "
                        "receives the standard text of this mail: changes made here "
                        "go only to the full report in the language above."
                    )
                )
            composer.lco_language_note = "\n".join(lines)

    def _lco_res_ids(self):
        return self._evaluate_res_ids() if self.res_ids else []

    def _lco_versions(self, res_id, mail_lang):
        """{(language, "full" or "work_plan"): partners}: which version of the
        report of meeting ``res_id`` each recipient gets. Whom the client's
        consent does not cover gets none."""
        installed = {code for code, _name in self.env["res.lang"].get_installed()}
        meeting = self.env["lco.meeting"].browse(res_id)
        scopes = meeting.case_id._report_scopes(self.partner_ids)
        versions = {}
        for partner in self.partner_ids.filtered(lambda p: scopes[p]):
            lang = partner.lang if partner.lang in installed else mail_lang
            key = (lang, scopes[partner])
            versions[key] = versions.get(key, self.env["res.partner"]) | partner
        return versions

    def _action_send_mail_comment(self, res_ids):
        """Prevents a meeting's report reaching a recipient in more than his
        consent allows.

        Sending a meeting's report: each recipient gets the version the
        client's consent allows him, in his own language; the meeting becomes
        reported and its case files what was sent. Decided here, from the
        template and the messages the composer posted, never from a flag of the
        caller."""
        if not self._lco_is_report_mail():
            return super()._action_send_mail_comment(res_ids)
        langs = self._render_field("lang", res_ids)
        everyone = self.partner_ids
        messages = self.env["mail.message"]
        for res_id in res_ids:
            mail_lang = langs[res_id] or self.env.lang
            self.partner_ids = everyone
            versions = self._lco_versions(res_id, mail_lang)
            self.partner_ids = versions.pop((mail_lang, "full"), self.partner_ids[:0])
            if self.partner_ids or not versions:
                # Followers hear of it only if the full report is theirs.
                with lco_report_version("full"):
                    messages += super()._action_send_mail_comment([res_id])
            for (lang, scope), partners in versions.items():
                with lco_report_version(scope):
                    messages += self._lco_post_report_in(res_id, lang, scope, partners)
        self.partner_ids = everyone
        for message in messages:
            self.env["lco.meeting"].browse(message.res_id)._log_report_sent(message)
        return messages

    def _lco_post_report_in(self, res_id, lang, scope, partners):
        """Post the template's mail, rendered in ``lang``, with the report of
        ``scope``, to ``partners`` on the meeting ``res_id``."""
        template = self.template_id.with_context(lang=lang)
        meeting = self.env["lco.meeting"].browse(res_id).with_context(lang=lang)
        report = self.env.ref(REPORTS[scope])
        content, _format = (
            self.env["ir.actions.report"]
            .with_context(lang=lang, lco_report_lang=lang)
            ._render_qweb_pdf(report, [res_id])
        )
        name = safe_eval(
            report.with_context(lang=lang).print_report_name,
            {"object": meeting, "time": time},
        )
        if scope == "work_plan":
            body, subject = meeting._lco_work_plan_mail()
        else:
            body = template._render_field("body_html", [res_id], set_lang=lang)[res_id]
            subject = template._render_field("subject", [res_id], set_lang=lang)[res_id]
        return meeting.message_post(
            body=body,
            subject=subject,
            email_from=self.email_from,
            partner_ids=partners.ids,
            attachments=[(f"{name}.pdf", content)],
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            email_layout_xmlid=self.email_layout_xmlid,
            force_email_lang=lang,
        )
