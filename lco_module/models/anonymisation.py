from dateutil.relativedelta import relativedelta

from odoo import fields

from odoo.addons.mail.tools.parser import parse_res_ids

# What stands in a required text once its content is gone.
ERASED = "—"

# The personal data of each model of a case, and what replaces it. The rest
# stays for the figures: numbers, dates, states, life domains, roles, counts,
# close reasons and scores.
PERSONAL_FIELDS = {
    "lco.case": {
        "client_id": False,
        "question": False,
        "goals": False,
        "strengths": False,
        "legal_basis_reference": False,
        "close_note": False,
    },
    "lco.participant": {
        "partner_id": False,
        "organisation_id": False,
        "function": False,
    },
    "lco.case.life.domain": {"note": False},
    "lco.meeting": {
        "location": False,
        "video_url": False,
        "client_perspective": False,
        "went_well": False,
        "strengths": False,
        "minutes": False,
    },
    "lco.meeting.attendee": {"practical_needs": False},
    "lco.meeting.checklist.item": {"note": False},
    "lco.agenda.item": {"name": ERASED, "summary": False},
    "lco.agreement": {"name": ERASED, "outcome_note": False},
    "lco.consent": {"representative_id": False, "witness_id": False, "note": False},
    "lco.request": {
        "client_id": False,
        "client_name": ERASED,
        "client_birthdate": False,
        "client_street": False,
        "client_phone": False,
        "client_email": False,
        "question": ERASED,
        "services_involved": False,
        "intake_note": False,
        "decision_reason": False,
        "redirected_to": False,
        "requester_partner_id": False,
        "requester_name": False,
        "requester_organisation": False,
        "requester_email": False,
        "requester_phone": False,
        "remote_addr_hash": False,
    },
}


def erase(records):
    """Remove the personal data of ``records`` (one model): their personal
    fields, chatter, followers, files and activities. Irreversible.

    Called as superuser once the caller checked the records may be
    anonymised: the messages, files and activities of other people are
    removed too.
    """
    if not records:
        return
    records = records.with_context(
        tracking_disable=True, mail_notrack=True, active_test=False
    )
    env = records.env
    if records._name in PERSONAL_FIELDS:
        records.write(PERSONAL_FIELDS[records._name])
    on_records = [("res_model", "=", records._name), ("res_id", "in", records.ids)]
    env["mail.activity"].search(on_records).unlink()
    # Also the files of binary fields, which a plain search leaves out.
    env["ir.attachment"].search(
        [*on_records, "|", ("res_field", "=", False), ("res_field", "!=", False)]
    ).unlink()
    env["mail.followers"].search(on_records).unlink()
    in_thread = [("model", "=", records._name), ("res_id", "in", records.ids)]
    env["mail.scheduled.message"].search(in_thread).unlink()
    env["mail.message"].search(in_thread).unlink()
    _erase_wizards(records)


def _erase_wizards(records):
    """Remove the open windows (wizards, composers) on ``records``; they hold
    their texts until Odoo vacuums them."""
    env = records.env
    for model in env.registry.values():
        if not model._transient or model._abstract:
            continue
        links = [
            name
            for name, field in model._fields.items()
            if field.store
            and field.type in ("many2one", "many2many")
            and field.comodel_name == records._name
        ]
        if links:
            env[model._name].search(
                ["|"] * (len(links) - 1) + [(name, "in", records.ids) for name in links]
            ).unlink()
    ids = set(records.ids)
    env["mail.compose.message"].search([("model", "=", records._name)]).filtered(
        lambda composer: ids & set(parse_res_ids(composer.res_ids, env) or [])
    ).unlink()


def due_before(env, months):
    """The day before which what ended ``months`` ago is due for
    anonymisation."""
    today = fields.Date.context_today(env["res.company"])
    return today - relativedelta(months=months)
