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
            # One message for all, in the language the template renders it in
            # (the client's): say so per recipient, and who reads another one.
            mail_lang = composer.lang if composer.lang in names else self.env.lang
            lines = [
                self.env._(
                    "Mail and report language: %(lang)s. Each recipient:",
                    lang=names.get(mail_lang, mail_lang),
                )
            ]
            for partner in composer.partner_ids:
                line = f"{partner.name} — {names.get(mail_lang, mail_lang)}"
                if partner.lang and partner.lang != mail_lang:
                    line += " " + self.env._(
                        "(own language: %s)", names.get(partner.lang, partner.lang)
                    )
                lines.append(line)
            composer.lco_language_note = "\n".join(lines)

    def _action_send_mail_comment(self, res_ids):
        """Sending a meeting's report marks the meeting reported and files what
        was sent in its case: decided here, from the template and the messages
        the composer posted, never from a flag of the caller."""
        messages = super()._action_send_mail_comment(res_ids)
        if self.model == "lco.meeting" and self.template_id == self.env.ref(
            "lco_module.mail_template_lco_meeting_report", raise_if_not_found=False
        ):
            for message in messages:
                self.env["lco.meeting"].browse(message.res_id)._log_report_sent(message)
        return messages
