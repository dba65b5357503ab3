from odoo import models


class MailComposeMessage(models.TransientModel):
    _inherit = "mail.compose.message"

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
