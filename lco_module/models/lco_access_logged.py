import functools
from contextlib import contextmanager
from contextvars import ContextVar

from odoo import api, models

# The call under way (see logged_call): what it read, written at its end in
# one INSERT. A context key would let the caller switch the log off.
CALL = ContextVar("lco_access_log_call", default=None)

# The public methods that read records: each is one call, one INSERT. The log
# has its own connection to the primary (lco.access.log._lco_write_lines): they
# stay read-only as Odoo has them (web.controllers.dataset._call_kw_readonly),
# so that a replica (db_replica_host) serves them.
LOGGED_CALLS = {
    "web_read": "open",
    "read": "read",
    "search_read": "read",
    "web_search_read": "read",
    "read_group": "read",
    "web_read_group": "read",
    "export_data": "export",
}


class _Call:
    """What one call read: per model, user and action, the records and the
    fields read (or the report printed)."""

    def __init__(self, action, model_name):
        self.action = action
        self.model_name = model_name
        self.read = {}

    def note(self, records, names, action=None):
        action = action or self.action
        if records.env.su:
            return
        # A form shows its record; the lines of its tabs are shown with it,
        # as in a list: one line, for the record opened.
        if action == "open" and records._name != self.model_name:
            return
        key = (records._name, records.env.uid, action)
        seen, known = self.read.get(key, (records.browse(), {}))
        self.read[key] = (seen | records, known | dict.fromkeys(names))

    def entries(self):
        for (_model, _uid, action), (records, names) in self.read.items():
            # Read again within a form being edited (see web_save, onchange).
            if action == "edit":
                continue
            yield records, action, None if action == "open" else ", ".join(names)


@contextmanager
def one_call(env, action, model_name):
    """What is read within is written in the access log at the end, in one
    INSERT; within a call already under way, it is part of that call."""
    if CALL.get() is not None:
        yield
        return
    current = _Call(action, model_name)
    token = CALL.set(current)
    try:
        yield
    finally:
        CALL.reset(token)
    env["lco.access.log"]._log_entries(current.entries())


def note_read(records, names, action):
    """``records`` were read (their fields ``names``, or the report
    ``names``): as part of the call under way, or alone."""
    current = CALL.get()
    if current is None:
        records.env["lco.access.log"]._log(records, action, ", ".join(names))
    else:
        current.note(records, names, action)


def logged_call(method):
    """One call of ``method``: the texts it reads (the records of
    ``_lco_logged_fields``) are written in the access log at its end, one line
    per record, in one INSERT. Calls made within it count as part of it."""
    action = LOGGED_CALLS[method.__name__]

    @functools.wraps(method)
    def call(self, *args, **kwargs):
        with one_call(self.env, action, self._name):
            return method(self, *args, **kwargs)

    return call


class LcoAccessLogged(models.AbstractModel):
    """Records about a client whose reading, printing and export is written
    in the access log (lco.access.log).

    Each model names the fields that say something about the client (what
    was said, his contact data) in ``_lco_logged_fields``: a call that reads
    any of them writes one line per record read (``read``, ``search_read``,
    ``web_search_read``: "read", ``web_read``: "open", a group by or an
    aggregate of them: "read", ``export_data``: "export"). Reading the other
    fields (names, states, dates) is not logged, nor what the system reads
    (sudo) or computes (``record.field``).
    """

    _name = "lco.access.logged"
    _description = "Client Consultation Record in the Access Log"

    _lco_logged_fields = ()

    def _lco_note_read(self, fnames):
        """``fnames`` of ``self`` were read by the user."""
        fnames = [fname for fname in fnames if fname in self._lco_logged_fields]
        if not fnames or self.env.su:
            return
        # New records (a form's onchange) are not read yet.
        records = self.browse([id_ for id_ in self._ids if isinstance(id_, int)])
        if not records:
            return
        note_read(records, fnames, None if CALL.get() else "read")

    # The funnel of read, search_read, web_read and web_search_read.
    def _read_format(self, fnames, load="_classic_read"):
        result = super()._read_format(fnames, load=load)
        self._lco_note_read(fnames)
        return result

    # The funnel of read_group, web_read_group and the figures.
    @api.model
    def _read_group(self, domain, groupby=(), aggregates=(), *args, **kwargs):
        result = super()._read_group(domain, groupby, aggregates, *args, **kwargs)
        grouped = {
            spec.split(":")[0].split(".")[0]
            for spec in (*groupby, *aggregates)
            if spec != "__count"
        }.intersection(self._lco_logged_fields)
        if grouped and not self.env.su:
            # The records whose texts the groups show (an empty one shows none).
            shown = [(fname, "!=", False) for fname in sorted(grouped)]
            shown = ["|"] * (len(shown) - 1) + shown
            self.search([*(domain or []), *shown])._lco_note_read(sorted(grouped))
        return result

    @logged_call
    def web_read(self, specification):
        return super().web_read(specification)

    def web_save(self, vals, specification, next_id=None):
        # The form saved is read again: it was logged when it was opened (the
        # next record, if any, is opened now).
        with one_call(self.env, "open" if next_id else "edit", self._name):
            return super().web_save(vals, specification, next_id=next_id)

    def onchange(self, values, field_names, fields_spec):
        # What the form being edited shows again (its lines) is not a new read.
        with one_call(self.env, "edit", self._name):
            return super().onchange(values, field_names, fields_spec)

    @logged_call
    def read(self, fields=None, load="_classic_read"):
        return super().read(fields, load=load)

    @api.model
    @logged_call
    def search_read(self, *args, **kwargs):
        return super().search_read(*args, **kwargs)

    @api.model
    @logged_call
    def web_search_read(self, *args, **kwargs):
        return super().web_search_read(*args, **kwargs)

    @api.model
    @logged_call
    def read_group(self, *args, **kwargs):
        return super().read_group(*args, **kwargs)

    @api.model
    @logged_call
    def web_read_group(self, *args, **kwargs):
        return super().web_read_group(*args, **kwargs)

    @logged_call
    def export_data(self, fields_to_export):
        result = super().export_data(fields_to_export)
        if not self.env.su:
            note_read(self, fields_to_export, "export")
        return result
