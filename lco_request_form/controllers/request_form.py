import re
from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import Command, http, tools
from odoo.exceptions import UserError, ValidationError
from odoo.http import request

from odoo.addons.lco_module.models.lco_request import (
    CLIENT_REQUESTER_TYPES,
    LOCAL_REQUESTER_TYPES,
    URGENCIES,
    YOUTH_REQUESTER_TYPES,
)
from odoo.addons.lco_module.tools.constants import YOUTH_MAX_AGE

FORM_URL = "/lco/aanvraag"
# The reference of the request the visitor just sent, kept in his own session
# only until the thanks page shows it: the page takes no reference from the URL.
REFERENCE_KEY = "lco_request_reference"
THANKS_URL = "/lco/aanvraag/bedankt"
# The youth-care variant (issue 24): its own page, in words a young person
# understands, that sends a request of kind youth to the regional contact point.
YOUTH_FORM_URL = "/lco/aanvraag/jeugd"
YOUTH_THANKS_URL = "/lco/aanvraag/jeugd/bedankt"
URLS = {"local": (FORM_URL, THANKS_URL), "youth": (YOUTH_FORM_URL, YOUTH_THANKS_URL)}
REQUESTER_TYPES_BY_KIND = {
    "local": LOCAL_REQUESTER_TYPES,
    "youth": YOUTH_REQUESTER_TYPES,
}
# The youth form asks the birth date in three fields (day, month, year): typed
# on a phone's number pad, in the order Dutch and French write it.
BIRTHDATE_PARTS = {"birth_day": 2, "birth_month": 2, "birth_year": 4}
# The longest text each field of the form takes.
MAX_LENGTHS = {
    "requester_name": 120,
    "requester_organisation": 120,
    "requester_email": 120,
    "requester_phone": 30,
    "client_name": 120,
    "client_street": 200,
    "client_zip": 10,
    "client_city": 100,
    "client_phone": 30,
    "client_email": 120,
    "question": 5000,
    "services_involved": 2000,
}
PHONE_RE = re.compile(r"^\+?[0-9 ()./-]{6,30}$")
# A record id as the form posts it: ASCII digits that fit PostgreSQL's integer
# ("²".isdigit() is true in Python, and int("²") fails).
ID_RE = re.compile(r"^[0-9]{1,9}$")
ZIP_RE = re.compile(r"^[0-9]{4}$")
DATE_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
DUTCH = ("nl_BE", "nl_NL")
MULTILINE = ("question", "services_involved")


def _posted(post, name):
    """The text posted for ``name``: never a file, never a NUL character."""
    value = post.get(name)
    return value.replace("\x00", "") if isinstance(value, str) else ""


class RequestForm(http.Controller):
    """The public request form: anyone asks for a client consultation.

    What is sent is never shown again: the confirmation page and mail carry
    no client data, and the public user cannot read requests.
    """

    @http.route(FORM_URL, type="http", auth="public", methods=["GET"], website=True)
    def request_form(self, **params):
        self._set_lang(params.get("lang"))
        return self._render_form({"urgency": "0"})

    @http.route(
        YOUTH_FORM_URL, type="http", auth="public", methods=["GET"], website=True
    )
    def youth_request_form(self, **params):
        self._set_lang(params.get("lang"))
        return self._render_form({"urgency": "0"}, kind="youth")

    @http.route(
        FORM_URL,
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
        csrf=True,
    )
    def request_form_submit(self, **post):
        return self._submit(post, "local")

    @http.route(
        YOUTH_FORM_URL,
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
        csrf=True,
    )
    def youth_request_form_submit(self, **post):
        return self._submit(post, "youth")

    def _submit(self, post, kind):
        """Store the request the form of ``kind`` posted, or show it again
        with its errors."""
        self._set_lang(_posted(post, "lang"))
        if post.get("homepage"):
            # Only robots fill the hidden field: they get the thanks page, and
            # nothing is stored.
            return request.redirect(self._thanks_url(kind))
        values, errors = self._validate(post, kind)
        if errors:
            return self._render_form(post, errors, status=400, kind=kind)
        Request = request.env["lco.request"]
        addr_hash = Request._remote_addr_hash(request.httprequest.remote_addr or "")
        # Waits for the posts of the same address before: the count and the new
        # request are one step (see _rate_limit_reached).
        if Request._rate_limit_reached(addr_hash):
            if kind == "youth":
                message = request.env._(
                    "Too many requests came from your internet connection in the "
                    "last hour. Try again later."
                )
            else:
                message = request.env._(
                    "Too many requests were sent from your internet connection in "
                    "the last hour. Try again later, or phone the OCMW of the "
                    "client's municipality."
                )
            return self._render_form(post, form_error=message, status=429, kind=kind)
        # sudo: the public user may not create requests himself; the values were
        # checked above, and nothing of the request is shown back.
        try:
            with request.env.cr.savepoint():
                new_request = (
                    Request.sudo()
                    .with_context(mail_create_nosubscribe=True)
                    .create({**values, "remote_addr_hash": addr_hash})
                )
        except (UserError, ValidationError) as error:
            # A check of the model the form does not make itself: the sender
            # reads it above the form, nothing is stored.
            return self._render_form(post, form_error=str(error), status=400, kind=kind)
        new_request._send_confirmation()
        request.session[REFERENCE_KEY] = new_request.name
        return request.redirect(self._thanks_url(kind))

    @http.route(THANKS_URL, type="http", auth="public", methods=["GET"], website=True)
    def request_form_thanks(self, **params):
        return self._render_thanks(params, "local")

    @http.route(
        YOUTH_THANKS_URL, type="http", auth="public", methods=["GET"], website=True
    )
    def youth_request_form_thanks(self, **params):
        return self._render_thanks(params, "youth")

    def _render_thanks(self, params, kind):
        self._set_lang(params.get("lang"))
        template = {
            "local": "lco_request_form.request_form_thanks",
            "youth": "lco_request_form.youth_request_form_thanks",
        }[kind]
        return request.render(
            template,
            {
                **self._page_values(kind),
                "reference": request.session.pop(REFERENCE_KEY, None),
            },
            status=200,
        )

    def _set_lang(self, lang):
        """Dutch unless the visitor chose another installed language: in the
        URL or the form, else earlier (Odoo's frontend language cookie, which
        keeps the language of the page he last saw)."""
        installed = dict(request.env["res.lang"].get_installed())
        if not lang:
            lang = request.cookies.get("frontend_lang")
        if lang not in installed:
            lang = next(code for code in (*DUTCH, *installed) if code in installed)
        request.update_context(lang=lang)
        request.future_response.set_cookie("frontend_lang", lang)

    def _thanks_url(self, kind="local"):
        return f"{URLS[kind][1]}?lang={request.env.lang}"

    def _page_values(self, kind="local"):
        return {
            "languages": request.env["res.lang"].get_installed(),
            "form_url": URLS[kind][0],
            "local_form_url": FORM_URL,
        }

    def _render_form(
        self, form, errors=None, form_error=None, status=200, kind="local"
    ):
        env = request.env
        Request = env["lco.request"]
        offered = REQUESTER_TYPES_BY_KIND[kind]
        template = {
            "local": "lco_request_form.request_form",
            "youth": "lco_request_form.youth_request_form",
        }[kind]
        return request.render(
            template,
            {
                **self._page_values(kind),
                "form": form,
                "errors": errors or {},
                "form_error": form_error,
                "requester_types": [
                    item
                    for item in Request._fields[
                        "requester_type"
                    ]._description_selection(env)
                    if item[0] in offered
                ],
                "urgencies": Request._fields["urgency"]._description_selection(env),
                # sudo: the life domains are the public list the form offers.
                "life_domains": env["lco.life.domain"].sudo().search([]),
                "chosen_domain_ids": self._posted_life_domain_ids(),
            },
            status=status,
        )

    def _posted_life_domain_ids(self):
        # The checkboxes post one value each: read them all, not the first.
        posted = request.httprequest.form.getlist("life_domain_ids")
        return {int(value) for value in posted if ID_RE.match(value)}

    def _validate(self, post, kind="local"):
        """The request values from the posted form of ``kind``, and an error
        per bad field."""
        env = request.env
        values = {
            name: _posted(post, name).strip()
            if name in MULTILINE
            else " ".join(_posted(post, name).split())
            for name in MAX_LENGTHS
        }
        errors = {
            name: env._("Keep this under %s characters.", MAX_LENGTHS[name])
            for name, value in values.items()
            if len(value) > MAX_LENGTHS[name]
        }
        checks = {
            "local": (self._check_requester, self._check_client, self._check_question),
            "youth": (
                self._check_requester,
                self._check_young_person,
                self._check_youth_question,
            ),
        }[kind]
        for check in checks:
            for name, error in check(post, values, kind=kind).items():
                errors.setdefault(name, error)
        values.update(
            kind=kind,
            requester_user_id=False,
            requester_partner_id=False,
            requester_lang=env.lang,
            channel="web",
            client_informed=True,
            client_agrees=True,
        )
        return values, errors

    def _check_requester(self, post, values, kind="local"):
        """Who asks, and how the coordinator reaches him."""
        env = request.env
        youth = kind == "youth"
        errors = {}
        values["requester_type"] = _posted(post, "requester_type")
        if values["requester_type"] not in REQUESTER_TYPES_BY_KIND[kind]:
            errors["requester_type"] = (
                env._("Choose who you are.")
                if youth
                else env._("Tell us who asks for the consultation.")
            )
        is_client = values["requester_type"] in CLIENT_REQUESTER_TYPES
        if is_client:
            for field in ("name", "email", "phone"):
                values[f"requester_{field}"] = (
                    values[f"requester_{field}"] or values[f"client_{field}"]
                )
        elif not values["requester_name"]:
            errors["requester_name"] = env._("Give your name.")
        for name in ("requester_email", "client_email"):
            if values[name] and not tools.single_email_re.match(values[name]):
                errors[name] = env._("This is not a valid e-mail address.")
        for name in ("requester_phone", "client_phone"):
            digits = re.sub(r"\D", "", values[name])
            if values[name] and not (PHONE_RE.match(values[name]) and len(digits) >= 6):
                errors[name] = env._("This is not a valid phone number.")
        if not (values["requester_email"] or values["requester_phone"]):
            errors["client_email" if is_client else "requester_email"] = (
                env._("Give an e-mail address or a phone number, so we can reach you.")
                if youth
                else env._(
                    "Give an e-mail address or a phone number, so the coordinator "
                    "can reach you."
                )
            )
        return errors

    def _check_client(self, post, values, kind="local"):
        env = request.env
        errors = {}
        if not values["client_name"]:
            errors["client_name"] = env._("Give the client's name.")
        if not ZIP_RE.match(values["client_zip"]):
            errors["client_zip"] = env._(
                "Give the postcode of the client's municipality: four digits."
            )
        values["client_birthdate"] = self._parse_birthdate(
            _posted(post, "client_birthdate").strip()
        )
        if values["client_birthdate"] is None:
            errors["client_birthdate"] = env._(
                "Give a date of birth in the past, or leave it empty."
            )
        return errors

    def _check_young_person(self, post, values, kind="youth"):
        """The young person: his name, postcode and birth date; youth care
        serves young people up to YOUTH_MAX_AGE."""
        env = request.env
        errors = {}
        if not values["client_name"]:
            errors["client_name"] = env._("Give the young person's name.")
        if not ZIP_RE.match(values["client_zip"]):
            errors["client_zip"] = env._("Give the postcode: four digits.")
        parts = {name: _posted(post, name).strip() for name in BIRTHDATE_PARTS}
        birthdate = None
        if all(
            value.isascii() and value.isdigit() and len(value) <= BIRTHDATE_PARTS[name]
            for name, value in parts.items()
        ):
            birthdate = self._parse_birthdate(
                "{birth_year:0>4}-{birth_month:0>2}-{birth_day:0>2}".format(**parts)
            )
        values["client_birthdate"] = birthdate
        if not birthdate:
            errors["client_birthdate"] = env._(
                "Give the date of birth as day, month and year, for example 27 3 2011."
            )
        elif relativedelta(date.today(), birthdate).years > YOUTH_MAX_AGE:
            errors["client_birthdate"] = env._(
                "This form is for young people up to %(age)s years old. Are you "
                "older, or do you ask for someone older? Then use the form for a "
                "local client consultation.",
                age=YOUTH_MAX_AGE,
            )
        return errors

    def _check_youth_question(self, post, values, kind="youth"):
        """What should change, how soon, and whether the young person knows
        and agrees (he does when he asks himself)."""
        env = request.env
        errors = {}
        if not values["question"]:
            errors["question"] = env._("Tell what you want to change.")
        values["life_domain_ids"] = []
        values["urgency"] = _posted(post, "urgency")
        if values["urgency"] not in dict(URGENCIES):
            errors["urgency"] = env._("Choose how soon it should happen.")
        if values.get("requester_type") != "young_person":
            if post.get("client_informed") != "on":
                errors["client_informed"] = env._(
                    "Only ask once the young person knows about it."
                )
            if post.get("client_agrees") != "on":
                errors["client_agrees"] = env._(
                    "Only ask when the young person wants it too."
                )
        return errors

    def _check_question(self, post, values, kind="local"):
        """The question, its life domains and urgency, and the client's agreement."""
        env = request.env
        errors = {}
        if not values["question"]:
            errors["question"] = env._("Tell what should change for the client.")
        posted = request.httprequest.form.getlist("life_domain_ids")
        # sudo: the life domains are the public list the form offers.
        life_domains = (
            env["lco.life.domain"]
            .sudo()
            .search([("id", "in", list(self._posted_life_domain_ids()))])
        )
        if len(life_domains) != len(posted):
            errors["life_domain_ids"] = env._("Choose life domains from the list.")
        values["life_domain_ids"] = [Command.set(life_domains.ids)]
        values["urgency"] = _posted(post, "urgency")
        if values["urgency"] not in dict(URGENCIES):
            errors["urgency"] = env._("Tell how urgent it is.")
        if post.get("client_informed") != "on":
            errors["client_informed"] = env._(
                "Only ask once the client knows about it."
            )
        if post.get("client_agrees") != "on":
            errors["client_agrees"] = env._("Only ask when the client agrees.")
        return errors

    def _parse_birthdate(self, value):
        """The date of birth, False when none was given, None when it is wrong."""
        if not value:
            return False
        if not DATE_RE.match(value):
            return None
        try:
            birthdate = date.fromisoformat(value)
        except ValueError:
            return None
        return birthdate if date(1900, 1, 1) <= birthdate <= date.today() else None
