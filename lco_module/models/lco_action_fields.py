import contextvars
from contextlib import contextmanager

from odoo import api, models
from odoo.exceptions import UserError

# The models whose own action is writing their fields of record right now, in
# this thread. A context key would not do: whoever calls over RPC sets the
# context. Only Python code of the addon sets this variable, around the write
# its action does (``_lco_action_write``).
_ACTION_WRITING = contextvars.ContextVar("lco_action_writing", default=frozenset())


class LcoActionFields(models.AbstractModel):
    """Fields of record (a state, a date of closing, who withdrew) are written
    only by the model's own actions, at create as at write.

    A model lists them in ``_lco_action_fields``; ``_lco_action_values`` names
    the values of other fields only an action gives (``{field: (values)}``),
    e.g. a consent given in the portal. At create, a field of record may be
    given its default value, nothing else. Superuser code (data files,
    migrations) is not checked: nobody calls it over RPC.
    """

    _name = "lco.action.fields"
    _description = "Fields of Record Written by Actions"
    _lco_action_fields = ()
    _lco_action_values = {}

    @api.model_create_multi
    def create(self, vals_list):
        records = self
        if self._lco_action_checked():
            records = self._lco_without_action_defaults()
            defaults = {
                name: field.default(records) if field.default else False
                for name in {*self._lco_action_fields, *self._lco_action_values}
                for field in [self._fields[name]]
            }
            for vals in vals_list:
                self._lco_check_action_fields(
                    {
                        name: value
                        for name, value in vals.items()
                        if name not in defaults or value != defaults[name]
                    }
                )
        return super(LcoActionFields, records).create(vals_list)

    def _lco_without_action_defaults(self):
        """This model without the context's defaults of the fields of record:
        whoever calls over RPC sets the context."""
        names = {*self._lco_action_fields, *self._lco_action_values}
        return self.with_context(
            {
                key: value
                for key, value in self.env.context.items()
                if not (key.startswith("default_") and key[8:] in names)
            }
        )

    def write(self, vals):
        if self._lco_action_checked():
            self._lco_check_action_fields(vals)
        return super().write(vals)

    def _lco_action_checked(self):
        return not self.env.su and self._name not in _ACTION_WRITING.get()

    def _lco_check_action_fields(self, vals):
        names = set(self._lco_action_fields) & set(vals)
        names |= {
            name
            for name, values in self._lco_action_values.items()
            if vals.get(name) in values
        }
        if names:
            # Who may not write the record at all hears that first.
            self.check_access("write" if self else "create")
            raise UserError(
                self.env._(
                    "%(fields)s of a %(record)s cannot be changed directly: its "
                    "own buttons and steps record them.",
                    fields=", ".join(
                        self._fields[name]._description_string(self.env)
                        for name in sorted(names)
                    ),
                    record=self.env["ir.model"]._get(self._name).name,
                )
            )

    @contextmanager
    def _lco_action(self):
        """Within this block the model's action writes its fields of record.
        Only call it from an action, with values the action decided."""
        token = _ACTION_WRITING.set(_ACTION_WRITING.get() | {self._name})
        try:
            yield
        finally:
            _ACTION_WRITING.reset(token)

    def _lco_action_write(self, vals):
        with self._lco_action():
            return self.write(vals)
