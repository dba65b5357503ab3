import functools

from odoo import http
from odoo.http import request
from odoo.tools import consteq

from odoo.addons.lco_module.controllers.evaluation import (
    EVALUATION_URL,
    LcoEvaluationController,
)


class LcoPortalEvaluationController(LcoEvaluationController):
    """The evaluation form behind the link of the mail (lco.meeting.evaluation's
    ``_lco_send_request``, which lco_portal makes mail it).

    It opens with the access token of the mail, for people without an account,
    or for the logged-in user whose evaluation it is; never for anyone else,
    not even a coordinator who may read the answers.
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

    def _lco_case_url(self, evaluation, tablet):
        if tablet or request.env.user._is_public():
            return super()._lco_case_url(evaluation, tablet)
        return f"/my/lco/{evaluation.case_id.id}"

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
