from datetime import date

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError

# PostgreSQL's integer column.
INTEGER_RANGE = range(-(2**31), 2**31)
# The longest text a field takes (a report of several meetings fits easily).
MAX_TEXT_LENGTH = 100_000
# The longest one-line value (a name, a phone number, a subject), unless the
# field says otherwise (``size``).
MAX_CHAR_LENGTH = 1_000
# The dates a client consultation deals with.
MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(2100, 12, 31)
TEXT_TYPES = ("char", "text", "html")


def lco_check_date(env, field, value):
    """Raise a ValidationError unless ``value`` (a date or datetime field's
    value) lies between 1900 and 2100, and a birth date not in the future."""
    if not value:
        return
    try:
        day = field.convert_to_cache(value, env[field.model_name], validate=True)
    except (ValueError, TypeError):
        day = None
    if day is None:
        raise ValidationError(
            env._(
                "%(value)s is not a valid value for %(field)s.",
                value=repr(value)[:100],
                field=field._description_string(env),
            )
        )
    if field.type == "datetime":
        day = day.date()
    if not MIN_DATE <= day <= MAX_DATE:
        raise ValidationError(
            env._(
                "%(field)s must lie between 1900 and 2100.",
                field=field._description_string(env),
            )
        )
    if "birth" in field.name and day > fields.Date.context_today(env["res.users"]):
        raise ValidationError(
            env._(
                "%(field)s cannot lie in the future.",
                field=field._description_string(env),
            )
        )


class LcoCheckedInput(models.AbstractModel):
    """Values sent to a client consultation record are checked before they are
    stored: a wrong type, an unknown value, or a record that does not exist or
    that the user may not see gets a clear message instead of a database error
    (which would tell whether a record of another organisation exists)."""

    _name = "lco.checked.input"
    _description = "Checked Input of Client Consultation Records"
    # Many2one fields given at creation that never change afterwards.
    _lco_fixed_fields = ()

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_input(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_input(vals)
        if not self.env.su:
            self._check_fixed_fields(vals)
        return super().write(vals)

    def _check_fixed_fields(self, vals):
        for name in set(self._lco_fixed_fields) & set(vals):
            if any(record[name].id != (vals[name] or False) for record in self):
                raise UserError(
                    self.env._(
                        "The %(field)s of a %(record)s never changes: create a new "
                        "one instead.",
                        field=self._fields[name]._description_string(self.env),
                        record=self._lco_model_label(),
                    )
                )

    def _check_input(self, vals):
        if self.env.su:
            return
        if not isinstance(vals, dict):
            raise ValidationError(self.env._("The values to save are not readable."))
        for name, value in vals.items():
            field = self._fields.get(name)
            if field is None:
                raise ValidationError(
                    self.env._(
                        "%(name)s is not a field of %(model)s.",
                        name=name,
                        model=self._lco_model_label(),
                    )
                )
            if field.relational:
                ids = self._related_ids(field, value)
                self._check_readable(field, ids)
                continue
            if field.type in TEXT_TYPES:
                self._check_text(field, value)
                continue
            if field.type in ("date", "datetime"):
                lco_check_date(self.env, field, value)
                continue
            try:
                field.convert_to_cache(value, self.browse(), validate=True)
            except (ValueError, TypeError):
                raise self._invalid(field, value) from None
            if field.type == "integer" and value and int(value) not in INTEGER_RANGE:
                raise self._invalid(field, value)

    def _check_text(self, field, value):
        if value is False or value is None:
            return
        # A number is taken as its digits (a postcode sent as 9903); a list,
        # a dict or a boolean is no text.
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise self._invalid(field, value)
        value = str(value)
        limit = MAX_TEXT_LENGTH
        if field.type == "char":
            limit = field.size or MAX_CHAR_LENGTH
        if len(value) > limit:
            raise ValidationError(
                self.env._(
                    "%(field)s is too long: at most %(limit)s characters.",
                    field=field._description_string(self.env),
                    limit=limit,
                )
            )

    def _lco_model_label(self):
        """The name of the model in the user's language."""
        return self.env["ir.model"]._get(self._name).name

    def _related_ids(self, field, value):
        """The ids of the records a relational value points to."""
        if isinstance(value, models.BaseModel):
            return value.ids
        if field.type == "many2one":
            if value is False or value is None:
                return []
            if isinstance(value, int) and not isinstance(value, bool):
                return [value]
            raise self._invalid(field, value)
        if not isinstance(value, list | tuple):
            raise self._invalid(field, value)
        ids = []
        for command in value:
            if not isinstance(command, list | tuple) or not command:
                raise self._invalid(field, value)
            if command[0] in (Command.LINK, Command.UPDATE) and len(command) > 1:
                ids.append(command[1])
            elif command[0] == Command.SET and len(command) > 2:
                if not isinstance(command[2], list | tuple):
                    raise self._invalid(field, value)
                ids.extend(command[2])
        if not all(isinstance(id_, int) and not isinstance(id_, bool) for id_ in ids):
            raise self._invalid(field, value)
        return ids

    def _check_readable(self, field, ids):
        if not ids:
            return
        records = self.env[field.comodel_name].browse(ids)
        if len(records.exists()) != len(set(ids)) or not (
            # Which organisations exist is no secret: a request is forwarded to
            # another one.
            field.comodel_name == "res.company" or records.has_access("read")
        ):
            raise ValidationError(
                self.env._(
                    "The %(field)s you chose does not exist or you may not use it.",
                    field=field._description_string(self.env),
                )
            )

    def _invalid(self, field, value):
        return ValidationError(
            self.env._(
                "%(value)s is not a valid value for %(field)s.",
                value=repr(value)[:100],
                field=field._description_string(self.env),
            )
        )
