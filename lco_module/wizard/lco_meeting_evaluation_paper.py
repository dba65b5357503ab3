from odoo import api, fields, models

from ..models.lco_meeting_evaluation import SCORE_FIELDS

SCORES = [(str(score), str(score)) for score in range(1, 6)]
# Required in the window; left to _lco_parse_answer here, which says what is
# missing in the words of the public form.


class LcoMeetingEvaluationPaper(models.TransientModel):
    """The answers a person ticked on the printed evaluation form, typed in by
    the coordinator: saved on the evaluation through its answer method, as
    answered on paper, once."""

    _name = "lco.meeting.evaluation.paper"
    _description = "Evaluation Answers from the Paper Form"
    _check_company_auto = True

    evaluation_id = fields.Many2one(
        "lco.meeting.evaluation", required=True, readonly=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="evaluation_id.company_id")
    partner_id = fields.Many2one(related="evaluation_id.partner_id")
    meeting_date = fields.Datetime(related="evaluation_id.meeting_date")
    score_listened = fields.Selection(SCORES, "I was listened to")
    score_spoken_with = fields.Selection(SCORES, "People spoke with me, not about me")
    score_view_valued = fields.Selection(
        SCORES, "My view had a place next to the professionals'"
    )
    score_supported = fields.Selection(SCORES, "I felt supported")
    score_understanding = fields.Selection(SCORES, "I understand my situation better")
    score_decided = fields.Selection(SCORES, "I decided along")
    comment = fields.Text(help="What the person wrote on the form, if anything.")

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        for record in records:
            # Who may not enter it hears so before typing anything.
            record.evaluation_id._lco_check_answer_for_person()
        return records

    def action_save(self):
        self.ensure_one()
        Evaluation = self.env["lco.meeting.evaluation"]
        # The same checks as the public form: 1 to 5, the comment's length.
        vals = Evaluation._lco_parse_answer(
            {
                **{name: self[name] or "" for name in SCORE_FIELDS},
                "comment": self.comment or "",
            }
        )
        self.evaluation_id._lco_answer_for_person(vals, "paper")
        return {"type": "ir.actions.act_window_close"}
