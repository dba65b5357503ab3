import base64

from odoo import api, fields, models


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
            if not composer._lco_is_report_mail() or not composer.partner_ids:
                composer.lco_language_note = False
                continue
            mail_lang = composer.lang if composer.lang in names else self.env.lang
            lines = [
                self.env._(
                    "Language of this mail and its report: %(lang)s. Each recipient:",
                    lang=names.get(mail_lang, mail_lang),
                )
            ]
            others = composer._lco_other_language_partners(mail_lang)
            for partner in composer.partner_ids:
                lang = partner.lang if partner in others else mail_lang
                lines.append(f"{partner.name} — {names.get(lang, lang)}")
            if others:
                lines.append(
                    self.env._(
                        "Who reads another language gets the standard text of this "
                        "mail and the report in his own language: changes made here "
                        "go only to the version in the language above."
                    )
                )
            composer.lco_language_note = "\n".join(lines)

    def _lco_other_language_partners(self, mail_lang):
        """The recipients whose own (installed) language is not ``mail_lang``."""
        installed = {code for code, _name in self.env["res.lang"].get_installed()}
        return self.partner_ids.filtered(
            lambda p: p.lang in installed and p.lang != mail_lang
        )

    def _action_send_mail_comment(self, res_ids):
        """Sending a meeting's report: each recipient reads it in his own
        language, the meeting becomes reported and its case files what was
        sent. Decided here, from the template and the messages the composer
        posted, never from a flag of the caller."""
        if not self._lco_is_report_mail():
            return super()._action_send_mail_comment(res_ids)
        langs = self._render_field("lang", res_ids)
        everyone = self.partner_ids
        messages = self.env["mail.message"]
        for res_id in res_ids:
            mail_lang = langs[res_id] or self.env.lang
            others = self._lco_other_language_partners(mail_lang)
            self.partner_ids = everyone - others
            if self.partner_ids or not others:
                messages += super()._action_send_mail_comment([res_id])
            for lang, partners in others.grouped("lang").items():
                messages += self._lco_post_report_in(res_id, lang, partners)
        self.partner_ids = everyone
        for message in messages:
            self.env["lco.meeting"].browse(message.res_id)._log_report_sent(message)
        return messages

    def _lco_post_report_in(self, res_id, lang, partners):
        """Post the template's mail and report, rendered in ``lang``, to
        ``partners`` on the meeting ``res_id``."""
        template = self.template_id.with_context(lang=lang, lco_report_lang=lang)
        rendered = template._generate_template_attachments(
            [res_id], ["report_template_ids"]
        )
        meeting = self.env["lco.meeting"].browse(res_id)
        return meeting.message_post(
            body=template._render_field("body_html", [res_id], set_lang=lang)[res_id],
            subject=template._render_field("subject", [res_id], set_lang=lang)[res_id],
            email_from=self.email_from,
            partner_ids=partners.ids,
            attachments=[
                (name, base64.b64decode(content))
                for name, content in rendered[res_id].get("attachments", [])
            ],
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            email_layout_xmlid=self.email_layout_xmlid,
            force_email_lang=lang,
        )
