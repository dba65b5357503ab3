import contextlib
import json
import logging
import os

import psycopg2
from dateutil.relativedelta import relativedelta

from odoo import SUPERUSER_ID, api, fields
from odoo.modules.registry import Registry
from odoo.tools import SQL, html2plaintext

from odoo.addons.mail.tools.parser import parse_res_ids

from .constants import ERASED

_logger = logging.getLogger(__name__)

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
    "lco.network.member": {"partner_id": False, "name": False, "note": False},
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
    "lco.request.intake": {"note": False},
    "lco.request": {
        "client_id": False,
        "client_name": ERASED,
        "client_birthdate": False,
        "client_street": False,
        "client_phone": False,
        "client_email": False,
        "question": ERASED,
        "services_involved": False,
        "decision_reason": False,
        "redirected_to": False,
        "requester_partner_id": False,
        "requester_name": False,
        "requester_organisation": False,
        "requester_email": False,
        "requester_phone": False,
    },
}


# Writes of an anonymisation: nothing is tracked, from the very first one.
NO_TRACKING = {"tracking_disable": True, "mail_notrack": True, "active_test": False}
# Fields of people whose values an anonymisation removes from what quotes them.
PERSON_FIELDS = ("name", "email", "phone", "mobile")
# Quoted texts shorter than this are too common to look for.
MIN_NEEDLE = 4
# The start of a longer text is looked for: a preview cuts the rest.
NEEDLE_LENGTH = 40
# cr.postcommit.data: the file names of the attachments removed.
ERASED_FILES = "lco_module.erased_files"


def erase(records, unlink=None, mark=False):
    """Remove the personal data of ``records`` (a recordset, or a list of
    recordsets of any models, each of one model): their personal fields,
    chatter, followers, files and activities, then delete ``unlink``
    (records that go whole, erased first), setting ``anonymised_date`` to
    ``mark`` on those that have it. Irreversible. See :class:`Erasure`."""
    erasure = Erasure(records if isinstance(records, list) else [records], unlink)
    erasure.run(mark)


class Erasure:
    """One anonymisation, in one path with tracking off from the first write:

    - the tracking that mail.thread captured for these records earlier in
      the transaction (its initial values, written at precommit) is dropped;
    - the personal fields are emptied; chatter (messages, their tracking
      values, mails and files), followers, activities and open wizards go;
    - the bus rows (a short-lived queue of what browsers are told, written at
      precommit) that quote any of the removed names, e-mail addresses,
      phone numbers or texts go, pending or written;
    - the files of the removed attachments leave the filestore right after
      the commit (not at Odoo's daily file GC) when nothing else uses them.

    Called as superuser once the caller checked the records may be
    anonymised: the messages, files and activities of other people are
    removed too.
    """

    def __init__(self, recordsets, unlink=None):
        self.recordsets = [
            records.with_context(**NO_TRACKING) for records in recordsets if records
        ]
        self.unlink_records = unlink.with_context(**NO_TRACKING) if unlink else None
        if self.unlink_records:
            self.recordsets.append(self.unlink_records)
        self.needles = set()

    def run(self, mark=False):
        if not self.recordsets:
            return
        # Before anything is written: what was captured must not come back.
        for records in self.recordsets:
            _discard_tracking(records)
            self.needles |= _quoted_values(records)
        if mark:
            for records in self.recordsets:
                if "anonymised_date" in records._fields:
                    records.write({"anonymised_date": mark})
        for records in self.recordsets:
            self._erase(records)
        if self.unlink_records:
            self.unlink_records.unlink()
        env = self.recordsets[0].env
        env.flush_all()
        # Whatever a write in between prepared is dropped as well.
        for records in self.recordsets:
            _discard_tracking(records)
        _erase_bus(env, self.needles)

    def _erase(self, records):
        env = records.env
        # lco.anonymisable models say it themselves: modules add their fields.
        if hasattr(records, "_lco_personal_values"):
            records.write(records._lco_personal_values())
        elif records._name in PERSONAL_FIELDS:
            records.write(PERSONAL_FIELDS[records._name])
        on_records = [("res_model", "=", records._name), ("res_id", "in", records.ids)]
        env["mail.activity"].search(on_records).unlink()
        in_thread = [("model", "=", records._name), ("res_id", "in", records.ids)]
        messages = env["mail.message"].search(in_thread)
        # Also the files of binary fields, which a plain search leaves out.
        attachments = messages.attachment_ids | env["ir.attachment"].search(
            [*on_records, "|", ("res_field", "=", False), ("res_field", "!=", False)]
        )
        _remove_files_after_commit(env, attachments)
        attachments.unlink()
        env["mail.followers"].search(on_records).unlink()
        env["mail.scheduled.message"].search(in_thread).unlink()
        # Their outgoing mails (mail.mail), notifications and tracking values
        # go with them (ondelete cascade).
        messages.unlink()
        _erase_wizards(records)


def _discard_tracking(records):
    """Drop what mail.thread prepared to write at precommit for ``records``:
    the initial values of their tracked fields (``_track_prepare``), the
    values of their creation, the log message and author of the tracking."""
    if not hasattr(records, "_track_discard"):
        return
    # The initial values become None: nothing is tracked for them any more.
    records._track_discard()
    data = records.env.cr.precommit.data
    for key in ("mail.tracking.message", "mail.tracking.author"):
        pending = data.get(f"{key}.{records._name}")
        for record_id in records.ids:
            if pending:
                pending.pop(record_id, None)
    for record_id in records.ids:
        data.pop(f"mail.tracking.create.{records._name}.{record_id}", None)


def _quoted_values(records):
    """The names, e-mail addresses and phone numbers of the people and the
    texts that anonymising ``records`` removes, as they may be quoted."""
    values = set()
    names = set(PERSONAL_FIELDS.get(records._name, ())) | set(
        QUOTED_FIELDS.get(records._name, ())
    )
    for name in names:
        field = records._fields.get(name)
        if not field:
            continue
        if field.type == "many2one" and field.comodel_name == "res.partner":
            # The people of the case, not the organisations nor the staff,
            # whose names are in every notification of their own work.
            people = records.mapped(name).filtered(
                lambda p: (
                    not p.is_company and not p.user_ids.filtered(lambda u: not u.share)
                )
            )
            for partner in people:
                values.update(partner[fname] for fname in PERSON_FIELDS)
        elif field.type in ("char", "text", "html"):
            for text in records.mapped(name):
                plain = html2plaintext(text or "") if field.type == "html" else text
                values.update((plain or "").splitlines())
    needles = set()
    for value in values:
        if not value or not isinstance(value, str):
            continue
        needle = " ".join(value.split())[:NEEDLE_LENGTH]
        if len(needle) >= MIN_NEEDLE:
            needles.add(needle)
    return needles


# Fields of records an anonymisation removes whole, whose texts are quoted.
QUOTED_FIELDS = {
    "calendar.event": ("name", "description", "location", "partner_ids"),
    "lco.meeting.evaluation": ("comment", "partner_id"),
}


def _erase_bus(env, needles):
    """Remove the bus rows, pending (written at precommit) and written, that
    quote one of ``needles``. The bus is a queue of what open browsers are
    told, kept a day: a row removed only means a browser misses a live
    update."""
    if not needles:
        return
    # The bus stores JSON: texts with other than ASCII letters appear escaped.
    forms = {form.lower() for needle in needles for form in _json_forms(needle)}
    pending = env.cr.precommit.data.get("bus.bus.values")
    if pending:
        pending[:] = [
            vals
            for vals in pending
            if not any(form in (vals.get("message") or "").lower() for form in forms)
        ]
    env.cr.execute(
        SQL(
            "DELETE FROM bus_bus WHERE message ILIKE ANY(%s)",
            [f"%{_like_escaped(form)}%" for form in sorted(forms)],
        )
    )


def _json_forms(text):
    return {text, json.dumps(text)[1:-1], json.dumps(text, ensure_ascii=False)[1:-1]}


def _like_escaped(text):
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _remove_files_after_commit(env, attachments):
    """Once the transaction commits, remove the files of ``attachments`` from
    the filestore when no attachment uses them any more (Odoo would only
    mark them for its daily garbage collection)."""
    fnames = set(attachments.filtered("store_fname").mapped("store_fname"))
    if not fnames:
        return
    data = env.cr.postcommit.data
    if ERASED_FILES not in data:
        data[ERASED_FILES] = set()
        dbname = env.cr.dbname

        @env.cr.postcommit.add
        def remove_files():
            _remove_unused_files(dbname, data.pop(ERASED_FILES, set()))

    data[ERASED_FILES] |= fnames


def _remove_unused_files(dbname, fnames):
    """Remove the files ``fnames`` no attachment uses, in a transaction of its
    own that locks out new attachments meanwhile, as Odoo's file GC does.
    Those not removed now stay marked for that GC."""
    if not fnames:
        return
    with Registry(dbname).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        attachment = env["ir.attachment"]
        if attachment._storage() != "file":
            return
        cr.execute("SET LOCAL lock_timeout TO '10s'")
        try:
            cr.execute("LOCK ir_attachment IN SHARE MODE")
        except psycopg2.errors.LockNotAvailable:
            _logger.warning("Anonymisation: files left to the file GC (locked).")
            return
        cr.execute(
            "SELECT store_fname FROM ir_attachment WHERE store_fname IN %s",
            [tuple(fnames)],
        )
        used = {row[0] for row in cr.fetchall()}
        for fname in fnames - used:
            with contextlib.suppress(OSError):
                os.unlink(attachment._full_path(fname))


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
