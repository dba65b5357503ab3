from odoo import fields, models


class LcoMeetingEvaluation(models.Model):
    """The tokenised link of the mail: whoever was at the table answers
    without an account (controllers/evaluation.py), the portal user also from
    his case page. Tokens come from ``portal.mixin``, as on the rest of the
    portal."""

    _name = "lco.meeting.evaluation"
    _inherit = ["lco.meeting.evaluation", "portal.mixin"]

    # The link of the mail opens the form without an account: only the system
    # reads the token, never a coordinator who could answer in someone's name.
    access_token = fields.Char(groups="base.group_system")

    def _compute_access_url(self):
        res = super()._compute_access_url()
        for evaluation in self:
            evaluation.access_url = f"/lco/evaluation/{evaluation.id}"
        return res

    def _lco_mail_links(self):
        """Mail each person with an e-mail address his tokenised link, in his
        language."""
        mailed = self.filtered(lambda e: e.partner_id.email)
        for evaluation in mailed:
            evaluation.sudo()._portal_ensure_token()
        if mailed:
            template = self.env.ref("lco_portal.mail_template_lco_meeting_evaluation")
            # sudo: the mail carries the token, which only the system reads.
            # Nor is the mail kept as a message of the evaluation or of its
            # sender, which who reads the evaluation (the coordinator who held
            # the meeting) could read: he could answer in someone's name.
            mails = template.sudo().send_mail_batch(
                mailed.ids,
                email_values={
                    "model": False,
                    "res_id": False,
                    "author_id": self.env.ref("base.partner_root").id,
                },
                email_layout_xmlid="mail.mail_notification_light",
            )
            for evaluation, mail in zip(mailed.sudo(), mails, strict=True):
                evaluation.mail_id = mail
        return mailed

    def _lco_evaluation_url(self):
        """The link of the mail: opens the form without an account."""
        self.ensure_one()
        return self.get_base_url() + self.sudo().get_portal_url()

    def _lco_forget_who(self):
        # The link goes with the person (the scores stay for the figures).
        res = super()._lco_forget_who()
        self.write({"access_token": False})
        return res
