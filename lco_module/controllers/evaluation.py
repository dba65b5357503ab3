import functools

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request
from odoo.tools import format_datetime

from ..models.lco_meeting_evaluation import MAX_COMMENT_LENGTH, SCORE_FIELDS

EVALUATION_URL = "/lco/evaluation"
# What the form posts: the answers, and what proves who answers.
POSTED_FIELDS = {*SCORE_FIELDS, "comment", "csrf_token", "access_token"}


class LcoEvaluationController(http.Controller):
    """The short evaluation of a held meeting, by the client or another person
    who was there (see lco.meeting.evaluation), on the coordinator's tablet.
    The page shows nothing of the case: only the meeting's date and the
    organisation. The tokenised link of the mail (and the portal user's own
    evaluation) is lco_portal's route on the same page."""

    def _lco_render(
        self,
        evaluation,
        access_token,
        answers=None,
        error=None,
        status=200,
        tablet=False,
    ):
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
            "case_url": self._lco_case_url(evaluation, tablet),
            # On the coordinator's tablet: the person's name, big buttons,
            # and nothing that leads into the coordinator's session.
            "tablet": tablet,
            "person_name": evaluation.partner_id.name if tablet else False,
            "form_action": f"{EVALUATION_URL}/{evaluation.id}"
            + ("/tablet" if tablet else ""),
        }
        return request.render("lco_module.portal_lco_evaluation", values, status=status)

    def _lco_case_url(self, evaluation, tablet):
        """Where the page's "back to the consultation" link leads: nowhere in
        the base (the tablet leads nowhere); lco_portal's case page."""
        return False

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
