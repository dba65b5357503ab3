from odoo import fields, http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import content_disposition, request

from odoo.addons.lco_module.tools.constants import (
    DEFAULT_TZ,
    MAX_NOTE_LENGTH,
    MAX_TOPIC_LENGTH,
    PORTAL_AGREEMENT_STATES,
    PORTAL_REPLY_STATUSES,
    REPORT_SENT_STATES,
)
from odoo.addons.portal.controllers.portal import CustomerPortal

CASES_URL = "/my/lco"
# The cases listed in "My consultations": not those called off.
LISTED_STATES = ("draft", "active", "closed")


def _fetched(model, domain, order=None, also=()):
    """``model.search(domain)`` with the columns a first read would fetch, in
    the search's one query (search_fetch): the record rules of the user apply
    in its SQL as in a search, and the fields his groups may not read are left
    out, as a read leaves them out. ``also``: relations read with them."""
    names = [
        name
        for name, field in model._fields.items()
        if field.prefetch is True and field.is_accessible(model.env)
    ]
    names += also
    return model.search_fetch(domain, names, order=order)


def _posted_text(post, name):
    """The text posted for ``name``: never a file, no NUL, not too long."""
    value = post.get(name)
    if not isinstance(value, str):
        return ""
    return value.replace("\x00", "").strip()[:MAX_NOTE_LENGTH]


class LcoCustomerPortal(CustomerPortal):
    """My consultations: the client and the people around his table follow
    their cases between meetings.

    Everything is read as the portal user: the record rules of base.group_portal
    decide which cases, meetings, agendas and agreements he sees, and the
    consent decides (through them) how long. Cases never open with an access
    token: a forwarded link must not open a client's case, and access ends with
    the consent.
    """

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "lco_case_count" in counters:
            self._lco_user_companies()
            Case = request.env["lco.case"]
            values["lco_case_count"] = (
                Case.search_count(self._lco_case_domain())
                if Case.has_access("read")
                else 0
            ) + len(request.env["lco.consent"]._lco_portal_consents())
        return values

    def _lco_case_domain(self):
        return [("state", "in", LISTED_STATES)]

    def _lco_user_companies(self):
        """Read as the user in all his own companies: Website narrows a
        request to the website's company, while a portal user may take part in
        cases of several organisations. His record rules still decide."""
        # Odoo's cached list of the user's active companies: no query.
        company_ids = request.env.user._get_company_ids()
        if company_ids and set(request.env.companies.ids) != set(company_ids):
            request.update_context(allowed_company_ids=list(company_ids))

    def _lco_case(self, case_id):
        """The case ``case_id`` if the user may read it, else None.

        No access token: see the class docstring. Searched as the user, so
        that his record rules decide in the query that reads the case, as
        check_access would after it (one query instead of three).
        """
        Case = request.env["lco.case"]
        if not Case.has_access("read"):
            return None
        # Who takes part and the network (as his rules let him read them)
        # come with it: read through the case afterwards, each would have Odoo
        # check the rule of the case again, in Python, reading its members.
        return (
            _fetched(
                Case,
                [("id", "=", case_id)],
                also=["participant_ids", "network_member_ids"],
            )
            or None
        )

    def _lco_tz(self):
        return request.env.user.tz or DEFAULT_TZ

    def _lco_next_meetings(self, cases):
        """{case: its next scheduled meeting}, as the user sees them."""
        meetings = _fetched(
            request.env["lco.meeting"],
            [
                ("case_id", "in", cases.ids),
                ("state", "=", "scheduled"),
                ("start", ">=", fields.Datetime.now()),
            ],
            order="start, id",
        )
        nexts = {}
        for meeting in meetings:
            nexts.setdefault(meeting.case_id, meeting)
        return nexts

    def _lco_contacts(self, case):
        """The people to contact about ``case``: its pivot figure and its
        coordinator.

        sudo: a portal user reads only his own contact (res.partner rules);
        like Odoo's portal pages, the page shows the name and work contact
        details of these two people of a case he may read (checked by the
        caller), nothing else of them.
        """
        case_sudo = case.sudo()
        pivot = case_sudo.pivot_id
        coordinator = case_sudo.coordinator_id
        return {
            "pivot": pivot
            and {
                "name": pivot.partner_id.name,
                "organisation": pivot.organisation_id.name,
                "function": pivot.function,
                "phone": pivot.phone,
                "email": pivot.email,
            },
            "coordinator": {
                "name": coordinator.name,
                "organisation": case_sudo.company_id.name,
                "phone": coordinator.partner_id.phone or case_sudo.company_id.phone,
                "email": coordinator.email or case_sudo.company_id.email,
            },
            # The case is about the client: everyone at the table knows him.
            "client_name": case_sudo.client_id.name,
        }

    @http.route([CASES_URL], type="http", auth="user", website=True, methods=["GET"])
    def portal_my_lco_cases(self, **kw):
        self._lco_user_companies()
        Case = request.env["lco.case"]
        cases = (
            _fetched(
                Case,
                self._lco_case_domain(),
                order="state, id desc",
                also=["participant_ids"],
            )
            if Case.has_access("read")
            else Case
        )
        nexts = self._lco_next_meetings(cases)
        # sudo: the people the cards name (_lco_contacts), the user and his
        # organisation in the layout, in one read for all the cases.
        cases_sudo = cases.sudo()
        (
            request.env.user.partner_id
            | cases_sudo.coordinator_id.partner_id
            | cases_sudo.pivot_id.partner_id
            | cases_sudo.pivot_id.organisation_id
            | cases_sudo.client_id
        ).mapped("name")
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "lco_cases",
                "tz": self._lco_tz(),
                "consents_to_give": request.env["lco.consent"]._lco_portal_consents(),
                "entries": [
                    {
                        "case": case,
                        "next_meeting": nexts.get(case),
                        "is_client": case._lco_portal_participant().role == "client",
                        **self._lco_contacts(case),
                    }
                    for case in cases
                ],
            }
        )
        return request.render("lco_portal.portal_my_lco_cases", values)

    @http.route(
        [f"{CASES_URL}/<int:case_id>"],
        type="http",
        auth="user",
        website=True,
        methods=["GET"],
    )
    def portal_my_lco_case(self, case_id, **kw):
        self._lco_user_companies()
        case = self._lco_case(case_id)
        if case is None:
            return request.redirect("/my")
        request.env["lco.access.log"]._log(case, "open")
        done = (
            kw.get("done")
            if kw.get("done")
            in ("reply", "agreement", "ack", "topic", "network", "endorse")
            else None
        )
        return self._lco_render_case(case, done=done, found=True)

    def _lco_render_case(
        self,
        case,
        error=None,
        done=None,
        status=200,
        topic=None,
        topic_meeting=None,
        found=False,
    ):
        """The page of ``case``; ``found``: by ``_lco_case``, under his record
        rules (else they are checked here)."""
        if not found:
            case.check_access("read")
        # Each list of the page is one query, whatever its length (issue 21):
        # searched as the user (his record rules in the SQL) with the columns
        # the page shows, never read again record by record.
        env = request.env
        partner = env.user.partner_id
        participant = case._lco_portal_participant()
        # sudo: as case._lco_portal_scope(), without checking the rule of the
        # case twice (_lco_case found it under his record rules, or it was
        # checked above).
        # Only his own scope in this case is computed (_report_scopes).
        scope = case.sudo()._report_scope(partner)
        meetings = _fetched(
            env["lco.meeting"], [("case_id", "=", case.id)], "start desc, id desc"
        )
        now = fields.Datetime.now()
        coming = meetings.filtered(
            lambda m: m.state == "scheduled" and m.start and m.start >= now
        ).sorted(lambda m: (m.start, m.id))
        # His invitations to the coming meetings and the reports sent to him
        # (one per meeting he was invited to) in one search: the rules let him
        # read his own attendances only.
        attendances = _fetched(
            env["lco.meeting.attendee"],
            [
                ("case_id", "=", case.id),
                ("partner_id", "=", partner.id),
                "|",
                ("meeting_id", "in", coming.ids),
                ("meeting_state", "in", REPORT_SENT_STATES),
            ],
        )
        invitations = {
            attendee.meeting_id: attendee
            for attendee in attendances
            if attendee.meeting_id in coming
        }
        reports = {
            attendee.meeting_id: attendee
            for attendee in attendances
            if attendee.meeting_state in REPORT_SENT_STATES
        }
        # The agenda of the coming meetings and his own proposals for them,
        # waiting for the coordinator, in one search (the others' proposals
        # are for the coordinator to accept; the rules decide which accepted
        # topics he reads, as meeting.agenda_item_ids would).
        items = _fetched(
            env["lco.agenda.item"],
            [
                ("meeting_id", "in", coming.ids),
                "|",
                ("state", "=", "accepted"),
                "&",
                ("state", "=", "proposed"),
                ("proposed_by_id.partner_id", "=", partner.id),
            ],
        )
        proposals = items.filtered(lambda item: item.state == "proposed")
        agenda = {meeting: items.browse() for meeting in coming}
        for item in items - proposals:
            agenda[item.meeting_id] |= item
        agreements = _fetched(
            env["lco.agreement"],
            [("case_id", "=", case.id), ("state", "!=", "cancelled")],
        )
        own = agreements.filtered(
            lambda a: a.responsible_partner_id == partner and a.state == "open"
        )
        # sudo: the people the page names (_lco_contacts, the work plan below,
        # the network's readers, the user and his organisation in the layout)
        # in one read instead of one per kind; nothing more of them is shown.
        case_sudo = case.sudo()
        (
            partner
            | case_sudo.coordinator_id.partner_id
            | case_sudo.participant_ids.partner_id
            | case_sudo.participant_ids.organisation_id
            | case_sudo.client_id
            | agreements.sudo().responsible_partner_id
        ).mapped("name")
        texts = {}
        if scope == "full":
            # sudo: what was said about the client is not readable by portal
            # users over RPC (field groups); the consent gives this user the
            # full report of this case (scope checked just above). Read with
            # the consent (_report_scopes): no query of its own.
            texts = {
                fname: case_sudo[fname] for fname in ("question", "goals", "strengths")
            }
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "lco_case",
                "case": case,
                "tz": self._lco_tz(),
                "participant": participant,
                "is_client": participant.role == "client",
                "scope": scope,
                "texts": texts,
                "next_meeting": coming[:1],
                "coming_meetings": coming,
                "past_meetings": (meetings - coming).filtered(
                    lambda m: m.state in ("held", "reported")
                ),
                "invitations": invitations,
                "agenda": agenda,
                "proposals": proposals,
                "reports": reports if scope else {},
                "topic": topic,
                "topic_meeting": topic_meeting,
                "max_topic_length": MAX_TOPIC_LENGTH,
                "own_agreements": own,
                # sudo: the names of who does what, as the work plan he receives
                # shows them (res.partner rules hide other people's contacts).
                "work_plan": [
                    (agreement, agreement.sudo().responsible_partner_id.name)
                    for agreement in agreements - own
                ],
                "endorse_meeting": self._lco_endorse_meeting(
                    case, participant, scope, meetings
                ),
                "needs_ack": participant.role == "professional"
                and not participant.confidentiality_ack_date,
                "error": error,
                "done": done,
                **self._lco_contacts(case),
            }
        )
        return request.render("lco_portal.portal_my_lco_case", values, status=status)

    @http.route(
        [f"{CASES_URL}/attendance/<int:attendee_id>"],
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_my_lco_reply(self, attendee_id, **post):
        self._lco_user_companies()
        attendee = self._lco_record("lco.meeting.attendee", attendee_id, "write")
        if attendee is None:
            return request.redirect("/my")
        case = attendee.case_id
        status = post.get("status")
        if status not in PORTAL_REPLY_STATUSES:
            return self._lco_render_case(
                case, error=request.env._("Say whether you come or not."), status=400
            )
        return self._lco_post(
            case,
            "reply",
            lambda: attendee._lco_portal_reply(
                status, _posted_text(post, "practical_needs")
            ),
        )

    @http.route(
        [f"{CASES_URL}/agreement/<int:agreement_id>"],
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_my_lco_agreement(self, agreement_id, **post):
        self._lco_user_companies()
        agreement = self._lco_record("lco.agreement", agreement_id, "write")
        if agreement is None:
            return request.redirect("/my")
        case = agreement.case_id
        state = post.get("state")
        if state not in PORTAL_AGREEMENT_STATES:
            return self._lco_render_case(
                case,
                error=request.env._("Say whether you did it or not."),
                status=400,
            )
        return self._lco_post(
            case,
            "agreement",
            lambda: agreement._lco_portal_report(state, _posted_text(post, "note")),
        )

    @http.route(
        [f"{CASES_URL}/<int:case_id>/acknowledge"],
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_my_lco_acknowledge(self, case_id, **post):
        self._lco_user_companies()
        case = self._lco_case(case_id)
        if case is None:
            return request.redirect("/my")
        participant = case._lco_portal_participant()
        if not participant:
            return request.redirect("/my")
        participant._lco_portal_acknowledge()
        return request.redirect(f"{CASES_URL}/{case.id}?done=ack")

    def _lco_record(self, model, record_id, operation):
        """The record ``record_id`` of ``model`` if the portal user may
        ``operation`` it (his access rights and rules), else None."""
        record = request.env[model].browse(record_id)
        try:
            record.check_access(operation)
        except (AccessError, MissingError):
            return None
        return record

    def _lco_post(self, case, done, step, **shown):
        """Run ``step`` (a checked step of the models) in a savepoint: back to
        the case page saying ``done``, or the page again with the error and
        what he wrote (``shown``)."""
        try:
            with request.env.cr.savepoint():
                step()
        except (UserError, ValidationError, AccessError) as error:
            return self._lco_render_case(case, error=str(error), status=400, **shown)
        return request.redirect(f"{CASES_URL}/{case.id}?done={done}")

    def _lco_endorse_meeting(self, case, participant, scope, meetings):
        """The meeting whose work plan this portal user endorses, or an empty
        record: when he receives it and did not endorse it yet. ``meetings``:
        the case's meetings as he reads them (his rules), read already."""
        meeting = case._lco_work_plan_meeting(meetings)
        if not (participant and participant.active and scope and meeting):
            return request.env["lco.meeting"]
        endorsed = request.env["lco.endorsement"].search_count(
            [("meeting_id", "=", meeting.id), ("participant_id", "=", participant.id)]
        )
        return request.env["lco.meeting"] if endorsed else meeting

    @http.route(
        [f"{CASES_URL}/<int:case_id>/endorse"],
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_my_lco_endorse(self, case_id, **post):
        """He endorses the current work plan himself (lco.endorsement)."""
        self._lco_user_companies()
        case = self._lco_case(case_id)
        if case is None:
            return request.redirect("/my")
        participant = case._lco_portal_participant()
        if not participant:
            return request.redirect("/my")
        return self._lco_post(case, "endorse", participant.action_endorse_portal)

    @http.route(
        [f"{CASES_URL}/<int:case_id>/network"],
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_my_lco_add_network(self, case_id, **post):
        """He adds a person he trusts to the network, as a proposal for the
        coordinator: the create rule of base.group_portal lets only whom the
        consent gives the full picture do so (no sudo)."""
        self._lco_user_companies()
        case = self._lco_case(case_id)
        if case is None:
            return request.redirect("/my")
        values = {
            "case_id": case.id,
            "name": _posted_text(post, "name"),
            "relationship": post.get("relationship") or "other",
            "closeness": post.get("closeness") or "further",
        }
        return self._lco_post(
            case,
            "network#lco_network",
            lambda: request.env["lco.network.member"].create(values),
        )

    @http.route(
        [f"{CASES_URL}/meeting/<int:meeting_id>/topic"],
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_my_lco_propose_topic(self, meeting_id, **post):
        """He proposes a topic for a coming meeting: the create rule of
        base.group_portal lets him add his own proposal only (no sudo)."""
        self._lco_user_companies()
        meeting = self._lco_record("lco.meeting", meeting_id, "read")
        if meeting is None:
            return request.redirect("/my")
        case = meeting.case_id
        topic = post.get("topic")
        # What he wrote comes back in the form if it cannot be kept.
        shown = topic.replace("\x00", "")[:5000] if isinstance(topic, str) else ""
        return self._lco_post(
            case,
            f"topic#lco_meeting_{meeting.id}",
            lambda: request.env["lco.agenda.item"].create(
                {"meeting_id": meeting.id, "name": topic}
            ),
            topic=shown,
            topic_meeting=meeting,
        )

    @http.route(
        [f"{CASES_URL}/report/<int:attendee_id>"],
        type="http",
        auth="user",
        website=True,
        methods=["GET"],
    )
    def portal_my_lco_report(self, attendee_id, **kw):
        """The report of a meeting, as sent to him: the version his consent
        allows, in his language."""
        self._lco_user_companies()
        attendee = request.env["lco.meeting.attendee"].browse(attendee_id)
        try:
            attendee._lco_portal_report_check()
        except (AccessError, MissingError):
            return request.redirect("/my")
        pdf, filename = attendee._lco_portal_report_pdf()
        return request.make_response(
            pdf,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Length", len(pdf)),
                ("Content-Disposition", content_disposition(filename)),
            ],
        )

    # Consent given in the portal -------------------------------------------

    @http.route(
        [f"{CASES_URL}/consent/<int:consent_id>"],
        type="http",
        auth="user",
        website=True,
        methods=["GET"],
    )
    def portal_my_lco_consent(self, consent_id, **kw):
        """What the client (or his representative) agrees to share, with whom,
        before he agrees: only a requested consent he gives himself."""
        consent = request.env["lco.consent"]._lco_portal_consents(consent_id)
        if not consent:
            raise request.not_found()
        return self._lco_render_consent(consent)

    @http.route(
        [f"{CASES_URL}/consent/<int:consent_id>/agree"],
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_my_lco_consent_agree(self, consent_id, **post):
        consent = request.env["lco.consent"]._lco_portal_consents(consent_id)
        if not consent:
            raise request.not_found()
        try:
            with request.env.cr.savepoint():
                consent._lco_portal_give()
        except (UserError, ValidationError) as error:
            return self._lco_render_consent(consent, error=str(error), status=400)
        return self._lco_render_consent(consent, given=True)

    def _lco_render_consent(self, consent, error=None, given=False, status=200):
        case = consent.case_id
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "lco_consent",
                "consent": consent,
                "is_client": consent.given_by == "client",
                "client_name": case.client_id.name,
                "coordinator_name": case.coordinator_id.name,
                "organisation": case.company_id.name,
                "shared_with": consent._lco_portal_shared_with(),
                "valid_until": consent.valid_until,
                "months": consent.company_id.lco_consent_validity_months,
                "error": error,
                "given": given,
            }
        )
        return request.render("lco_portal.portal_my_lco_consent", values, status=status)
