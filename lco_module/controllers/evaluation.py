import functools

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request
from odoo.tools import consteq, format_datetime

from ..models.lco_meeting_evaluation import MAX_COMMENT_LENGTH, SCORE_FIELDS

EVALUATION_URL = "/lco/evaluation"
# What the form posts: the answers, and what proves who answers.
POSTED_FIELDS = {*SCORE_FIELDS, "comment", "csrf_token", "access_token"}


class LcoEvaluationController(http.Controller):
    """The short evaluation of a held meeting, by the client or another person
    who was there (see lco.meeting.evaluation).

    It opens with the access token of the mail, for people without an account,
    or for the logged-in user whose evaluation it is; never for anyone else,
    not even a coordinator who may read the answers. The page shows nothing of
    the case: only the meeting's date and the organisation.
    """

    def _lco_evaluation(self, evaluation_id, access_token):
        """The evaluation (as superuser) if the token or the user opens it,
        else None."""
        # sudo: the person evaluating may have no account; the token or his
        # own partner is checked right below, and only this record is used.
        evaluation = (
            request.env["lco.meeting.evaluation"].sudo().browse(evaluation_id).exists()
        )
        if not evaluation or not evaluation._lco_covered():
            return None
        token = evaluation.access_token
        if isinstance(access_token, str) and token and consteq(token, access_token):
            return evaluation
        user = request.env.user
        if not user._is_public() and evaluation.partner_id == user.partner_id:
            return evaluation
        return None

    def _lco_render(
        self,
        evaluation,
        access_token,
        answers=None,
        error=None,
        status=200,
        tablet=False,
    ):
        user = request.env.user
        meeting = evaluation.meeting_id
        values = {
            "evaluation_id": evaluation.id,
            "access_token": access_token if isinstance(access_token, str) else "",
            "meeting_date": format_datetime(
                request.env,
                meeting.start,
                tz=meeting._get_report_tz(),
                dt_format="EEEE d MMMM y",
            ),
            "organisation": evaluation.company_id.name,
            # The page wears the colours of the meeting's organisation.
            "res_company": evaluation.company_id,
            "answered": evaluation.state == "answered",
            "answers": answers or {},
            "error": error,
            "max_comment_length": MAX_COMMENT_LENGTH,
            "case_url": f"/my/lco/{evaluation.case_id.id}"
            if not user._is_public() and not tablet
            else False,
            # On the coordinator's tablet: the person's name, big buttons,
            # and nothing that leads into the coordinator's session.
            "tablet": tablet,
            "person_name": evaluation.partner_id.name if tablet else False,
            "form_action": f"{EVALUATION_URL}/{evaluation.id}"
            + ("/tablet" if tablet else ""),
        }
        return request.render("lco_module.portal_lco_evaluation", values, status=status)

    @http.route(
        [f"{EVALUATION_URL}/<int:evaluation_id>"],
        type="http",
        auth="public",
        website=True,
        methods=["GET", "POST"],
    )
    def lco_evaluation(self, evaluation_id, access_token=None, **post):
        evaluation = self._lco_evaluation(evaluation_id, access_token)
        if evaluation is None:
            # A wrong link says nothing of what exists behind it.
            raise request.not_found()
        lang = evaluation.partner_id.lang
        if request.env.user._is_public() and lang in dict(
            request.env["res.lang"].get_installed()
        ):
            # Without an account: in the language of whom the link was mailed.
            request.update_context(lang=lang)
            evaluation = evaluation.with_context(lang=lang)
        if request.httprequest.method != "POST":
            return self._lco_render(evaluation, access_token)
        if evaluation.state == "answered":
            return self._lco_render(
                evaluation,
                access_token,
                error=evaluation._lco_already_answered_message(),
                status=409,
            )
        # sudo (see _lco_evaluation): only the answer of this one evaluation
        # is written, and only its scores and comment.
        return self._lco_save_posted(
            post,
            evaluation._lco_answer,
            functools.partial(self._lco_render, evaluation, access_token),
        )

    @http.route(
        [f"{EVALUATION_URL}/<int:evaluation_id>/tablet"],
        type="http",
        auth="user",
        website=True,
        methods=["GET", "POST"],
    )
    def lco_evaluation_tablet(self, evaluation_id, **post):
        """The form on the coordinator's tablet or phone, handed to the person
        at the end of the meeting (opened by "Answer on this Device")."""
        evaluation = request.env["lco.meeting.evaluation"].browse(evaluation_id)
        refusal = None
        try:
            evaluation._lco_check_answer_for_person()
        except (AccessError, MissingError):
            # Not the coordinator of the case nor a manager: nothing exists.
            raise request.not_found() from None
        except UserError as error:
            refusal = error
        # sudo: the user was checked right above (coordinator of the case or
        # manager); the page shows the meeting's date and the person's name.
        evaluation = evaluation.sudo()
        if refusal and evaluation.state != "answered":
            # No longer his to enter (the consent ended): nothing to show.
            raise request.not_found()
        lang = evaluation.partner_id.lang
        if lang in dict(request.env["res.lang"].get_installed()):
            # In the language of the person holding the tablet.
            request.update_context(lang=lang)
            evaluation = evaluation.with_context(lang=lang)
        if refusal and request.httprequest.method == "POST":
            return self._lco_render(
                evaluation, None, error=str(refusal), status=409, tablet=True
            )
        if request.httprequest.method != "POST" or evaluation.state == "answered":
            return self._lco_render(evaluation, None, tablet=True)
        # As the coordinator: the checks of who may enter it run again.
        as_user = evaluation.with_env(request.env)
        return self._lco_save_posted(
            post,
            lambda vals: as_user._lco_answer_for_person(vals, "tablet"),
            functools.partial(self._lco_render, evaluation, None, tablet=True),
        )

    def _lco_save_posted(self, post, save, render):
        """Save the six answers and the comment of ``post`` with ``save``, then
        ``render`` the page: with the answers kept and a message (400) when
        something else was sent or an answer is refused."""
        answers = {
            name: value
            for name, value in post.items()
            if name in POSTED_FIELDS and isinstance(value, str)
        }
        if set(post) - POSTED_FIELDS:
            return render(
                answers=answers,
                error=request.env._(
                    "This form only takes your six answers and a comment: "
                    "nothing else was saved. Please send it again."
                ),
                status=400,
            )
        try:
            with request.env.cr.savepoint():
                save(request.env["lco.meeting.evaluation"]._lco_parse_answer(post))
        except (UserError, ValidationError) as error:
            return render(answers=answers, error=str(error), status=400)
        return render()
