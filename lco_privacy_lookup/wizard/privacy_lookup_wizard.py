from odoo import models
from odoo.tools import SQL


class PrivacyLookupWizard(models.TransientModel):
    _inherit = "privacy.lookup.wizard"

    # The LCO models whose records about a person the generic lookup misses
    # (or misses in part): they are looked up here, each in one query.
    _lco_models = (
        "lco.request",
        "lco.consent",
        "lco.consent.line",
        "lco.meeting",
        "lco.meeting.attendee",
        "lco.agreement",
    )

    def _get_query_models_blacklist(self):
        return [*super()._get_query_models_blacklist(), *self._lco_models]

    def _get_query(self):
        """Also the client consultation records about the person that the
        generic lookup (a many2one to his contact, a field named email)
        misses: his name or e-mail typed into a request, the records of the
        cases he is the client of, and those that reach him through his
        participation in a case (lco.case and lco.participant link to his
        contact: the generic lookup finds them)."""
        query = super()._get_query()
        selects = [
            SQL(
                "SELECT %s AS res_model_id, id AS res_id, %s AS is_active "
                "FROM %s WHERE %s",
                self.env["ir.model"]._get_id(model_name),
                SQL.identifier("active") if "active" in self.env[model_name] else True,
                SQL.identifier(self.env[model_name]._table),
                SQL(" OR ").join(conditions),
            )
            for model_name, conditions in self._lco_conditions().items()
        ]
        return SQL("%s UNION ALL %s", query, SQL(" UNION ALL ").join(selects))

    def _lco_conditions(self):
        """Per model of ``_lco_models``, the conditions (any of them) on which
        its records are about the person: the contacts of the query's
        ``indirect_references``, found by his e-mail address or his name."""
        person = SQL("(SELECT id FROM indirect_references)")
        client_cases = SQL(
            "(SELECT id FROM lco_case WHERE client_id IN %s)",
            person,
        )
        participations = SQL(
            "(SELECT id FROM lco_participant WHERE partner_id IN %s)",
            person,
        )
        name = self.name.strip()
        email = self.email.strip()
        # The requests keep the names and addresses typed in, linked or not.
        typed = [
            SQL("client_name ILIKE %s", name),
            SQL("requester_name ILIKE %s", name),
        ]
        if email:
            typed += [
                SQL("client_email ILIKE %s", f"%{email}%"),
                SQL("requester_email ILIKE %s", f"%{email}%"),
            ]
        about_him = {
            "lco.request": typed,
            "lco.consent": [SQL("case_id IN %s", client_cases)],
            "lco.consent.line": [SQL("participant_id IN %s", participations)],
            "lco.meeting": [SQL("case_id IN %s", client_cases)],
            "lco.meeting.attendee": [SQL("participant_id IN %s", participations)],
            "lco.agreement": [
                SQL("case_id IN %s", client_cases),
                SQL("responsible_id IN %s", participations),
            ],
        }
        return {
            model_name: self._lco_contact_links(model_name, person)
            + about_him[model_name]
            for model_name in self._lco_models
        }

    def _lco_contact_links(self, model_name, person):
        """What the generic lookup would have found: a stored many2one to the
        person's contact (the representative or witness of a consent, ...)."""
        model = self.env[model_name]
        return [
            SQL("%s IN %s", model._field_to_sql(model._table, field_name), person)
            for field_name, field in model._fields.items()
            if field.type == "many2one"
            and field.comodel_name == "res.partner"
            and field.store
        ]
