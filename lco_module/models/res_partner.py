from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.modules.db import FunctionStatus
from odoo.tools.sql import create_index

from ..tools.constants import OPEN_CASE_STATES
from .lco_checked_input import lco_check_date

# How a person is identified and reached: the reports and invitations of his
# client consultations go where these say.
CONTACT_FIELDS = {
    "name",
    "email",
    "phone",
    "mobile",
    "street",
    "street2",
    "zip",
    "city",
    "state_id",
    "country_id",
    "lang",
    "parent_id",
    "company_id",
    "active",
    "lco_birthdate",
}


class ResPartner(models.Model):
    _inherit = "res.partner"

    lco_birthdate = fields.Date(
        "Birth Date",
        help="Tells two people with the same name apart when a request for a "
        "client consultation is matched with the existing contacts.",
    )

    def init(self):
        """Trigram indexes on the columns a client's name is searched in.

        Searching a case, a meeting or a participant by the client's name
        searches the people by every column of their name search (ilike
        '%name%'): with trigram indexes on all of them PostgreSQL reads the
        matching rows instead of the whole table (issue 12: 1 s at 500,000
        people)."""
        super().init()
        registry = self.env.registry
        if not registry.has_trigram:
            return
        for name in self._rec_names_search:
            field = self._fields.get(name)
            if not (field and field.store and field.column_type) or field.translate:
                continue
            column = f'"{name}"'
            if registry.has_unaccent == FunctionStatus.INDEXABLE:
                column = registry.unaccent(column)
            create_index(
                self.env.cr,
                f"res_partner__{name}_lco_trigram_index",
                self._table,
                [f"{column} gin_trgm_ops"],
                "gin",
            )

    @api.model
    def default_get(self, fields_list):
        """A new contact speaks the language of his parent, the user or the
        organisation.

        A new contact speaks the language of his parent, else of the user
        creating him, else of the organisation: not the database's default
        (an ``ir.default`` set to English when the database was created)."""
        values = super().default_get(fields_list)
        if "lang" in fields_list and "default_lang" not in self.env.context:
            parent = self.browse(values.get("parent_id"))
            values["lang"] = (
                parent.lang
                or self.env.user.lang
                # sudo: only the language of the user's own organisation.
                or self.env.company.sudo().partner_id.lang
                or values.get("lang")
            )
        return values

    @api.model_create_multi
    def create(self, vals_list):
        """Prevents a birth date in the future or outside 1900-2100."""
        for vals in vals_list:
            if "lco_birthdate" in vals:
                lco_check_date(
                    self.env, self._fields["lco_birthdate"], vals["lco_birthdate"]
                )
        return super().create(vals_list)

    def write(self, vals):
        """Prevents a participant of an open consultation being changed by
        someone who runs none of his consultations; and a wrong birth date."""
        if "lco_birthdate" in vals:
            lco_check_date(
                self.env, self._fields["lco_birthdate"], vals["lco_birthdate"]
            )
        if CONTACT_FIELDS & set(vals) and not self.env.su:
            # Odoo's access check first: who may not change the contact at all
            # learns nothing about the consultations he takes part in.
            self.check_access("write")
            self._check_lco_contact_editable()
        return super().write(vals)

    def _check_lco_contact_editable(self):
        """A person taking part in an open client consultation is changed only
        by whoever runs one of his consultations, or by himself."""
        if self.env.su or self.env.user._is_system():
            return
        others = self - self.env.user.partner_id
        if not others:
            return
        # sudo: whether a contact takes part is checked for everyone who edits
        # him; nothing of the case is read or shown.
        participants = (
            self.env["lco.participant"]
            .sudo()
            .search(
                [
                    ("partner_id", "in", others.ids),
                    ("case_id.state", "in", OPEN_CASE_STATES),
                ]
            )
        )
        for partner in participants.partner_id:
            cases = participants.filtered(
                lambda p, partner=partner: p.partner_id == partner
            ).case_id.sudo(False)
            if cases._filtered_access("write"):
                continue
            if cases._filtered_access("read"):
                raise AccessError(
                    self.env._(
                        "%s takes part in a client consultation you do not run: only "
                        "its coordinator changes how this person is reached.",
                        partner.sudo(False).display_name,
                    )
                )
            # He reads none of them: nothing tells him there is a consultation.
            raise AccessError(
                self.env._(
                    "You may not change how %s is reached: ask whoever manages "
                    "this contact.",
                    partner.sudo(False).display_name,
                )
            )
