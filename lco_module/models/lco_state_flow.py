from odoo import models
from odoo.exceptions import UserError, ValidationError


class LcoStateFlow(models.AbstractModel):
    """The moves of a record's ``state``, from one table per model.

    A model lists in ``_lco_transitions`` the states each state may move to
    (``{from: (to, ...)}``). Every write of ``state`` asks the one guard,
    ``_lco_check_transition``, for the records that move (writing a record's
    state again is no move), then ``_lco_check_state_write`` for what the new
    state needs; an action asks the guard before it acts, for all its records.
    Superuser code (data files, migrations, crons) is not checked unless the
    model sets ``_lco_transitions_superuser``.
    """

    _name = "lco.state.flow"
    _description = "State Moves from a Table"
    _lco_transitions = {}
    _lco_transitions_superuser = False

    def write(self, vals):
        if "state" in vals and (self._lco_transitions_superuser or not self.env.su):
            state = vals["state"]
            self.filtered(lambda record: record.state != state)._lco_check_transition(
                state
            )
            self._lco_check_state_write(state, vals)
        return super().write(vals)

    def _lco_check_transition(self, state):
        """Raise unless every record of ``self`` may move to ``state`` now."""
        states = dict(self._fields["state"]._description_selection(self.env))
        model = self.env["ir.model"]._get(self._name).name
        if not isinstance(state, str) or state not in states:
            raise ValidationError(
                self.env._(
                    "%(state)s is not a status of a %(record)s.",
                    state=repr(state),
                    record=model,
                )
            )
        for record in self:
            if state not in self._lco_transitions.get(record.state, ()):
                message = self.env._(
                    "%(record)s %(name)s cannot go from %(from)s to %(to)s.",
                    record=model,
                    name=record.display_name,
                    **{"from": states[record.state], "to": states[state]},
                )
                hint = self._lco_transition_hint(state)
                raise UserError(f"{message} {hint}" if hint else message)

    def _lco_transition_hint(self, state):
        """What the user does instead, when a record may not move to ``state``."""
        return ""

    def _lco_check_state_write(self, state, vals):
        """What ``state`` needs, in the records as ``vals`` leave them."""
