from odoo import fields, models

from .portal_rules import INTERNAL


class LcoCase(models.Model):
    _inherit = "lco.case"

    # What was said about the client and the consent behind it: internal users
    # read it; the portal shows it on the case page to whom may see it.
    question = fields.Text(groups=INTERNAL)
    goals = fields.Text(groups=INTERNAL)
    strengths = fields.Text(groups=INTERNAL)
    close_note = fields.Text(groups=INTERNAL)
    consent_ids = fields.One2many(groups=INTERNAL)
    consent_id = fields.Many2one(groups=INTERNAL)
    consent_valid_until = fields.Date(groups=INTERNAL)

    def _compute_uncovered_participant_ids(self):
        if self.env.user.share:
            # Whom the consent covers is for who runs the case.
            self.uncovered_participant_ids = False
            return
        super()._compute_uncovered_participant_ids()

    def _lco_portal_participant(self, partner=None):
        """The active participation of ``partner`` (the user's) in this case."""
        self.ensure_one()
        partner = partner or self.env.user.partner_id
        return self.participant_ids.filtered(
            lambda p: p.partner_id == partner and p.active
        )[:1]

    def _lco_portal_scope(self):
        """What the current user may see of this case: "full", "work_plan" or
        False, as his consent scope (``_report_scopes``) says."""
        self.ensure_one()
        self.check_access("read")
        partner = self.env.user.partner_id
        # sudo: the consent lines are not for portal users to read; only the
        # user's own scope in a case he may read (checked above) is computed.
        return self.sudo()._report_scopes(partner)[partner]

    def _lco_my_pending_evaluations(self):
        """The evaluations of this case the current user still has to give."""
        self.ensure_one()
        return self.env["lco.meeting.evaluation"].search(
            [
                ("case_id", "=", self.id),
                ("partner_id", "=", self.env.user.partner_id.id),
                ("state", "=", "pending"),
            ],
            order="meeting_id",
        )
