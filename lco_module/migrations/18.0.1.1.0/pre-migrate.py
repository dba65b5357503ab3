"""18.0.1.1.0: before the addon's new code and data are loaded.

- The partner's birth date was ``birthdate_date``, the name of the field of the
  OCA module ``partner_contact_birthdate``: it is now ``lco_birthdate``. The
  column and its field definition are renamed, so that the birth dates are kept
  (the ORM would otherwise create an empty column and drop nothing).
- Records an administrator may change (crons, message subtype, activity type)
  were loaded with noupdate=False: their data files are now noupdate, and their
  ir.model.data entries are marked so as well.

Every step checks what is there first: running it twice changes nothing.
"""

import logging

_logger = logging.getLogger(__name__)

OLD_FIELD = "birthdate_date"
NEW_FIELD = "lco_birthdate"

NOUPDATE_XMLIDS = (
    "ir_cron_lco_request_forget_senders",
    "ir_cron_lco_agreement_reminder",
    "mt_lco_request_decided",
    "mail_activity_type_lco_agreement",
)


def _column_exists(cr, table, column):
    cr.execute(
        """
        SELECT 1 FROM information_schema.columns
         WHERE table_schema = current_schema()
           AND table_name = %s AND column_name = %s
        """,
        (table, column),
    )
    return bool(cr.fetchone())


def _xmlid(model, field):
    return "field_{}__{}".format(model.replace(".", "_"), field)


def _shared_with_other_module(cr):
    """Whether another module (partner_contact_birthdate) defines the old field
    too: then its column and definition stay, and the addon's are copied."""
    cr.execute(
        """
        SELECT 1 FROM ir_model_data d
          JOIN ir_model_fields f ON f.id = d.res_id AND d.model = 'ir.model.fields'
         WHERE f.model = 'res.partner' AND f.name = %s AND d.module != 'lco_module'
        """,
        (OLD_FIELD,),
    )
    return bool(cr.fetchone())


def _rename_birthdate(cr):
    if not _column_exists(cr, "res_partner", OLD_FIELD):
        return
    if _shared_with_other_module(cr):
        if not _column_exists(cr, "res_partner", NEW_FIELD):
            cr.execute("ALTER TABLE res_partner ADD COLUMN lco_birthdate date")
        cr.execute(
            """
            UPDATE res_partner SET lco_birthdate = birthdate_date
             WHERE lco_birthdate IS NULL AND birthdate_date IS NOT NULL
            """
        )
        # The other module keeps its field; the addon's new one is created by
        # the ORM when the module is loaded.
        cr.execute(
            "DELETE FROM ir_model_data WHERE module = 'lco_module' AND name IN %s",
            ((_xmlid("res.partner", OLD_FIELD), _xmlid("res.users", OLD_FIELD)),),
        )
        _logger.info("res_partner.%s copied to %s", OLD_FIELD, NEW_FIELD)
        return
    if _column_exists(cr, "res_partner", NEW_FIELD):
        return  # already renamed (the column stays only if shared, see above)
    cr.execute("ALTER TABLE res_partner RENAME COLUMN birthdate_date TO lco_birthdate")
    # The field's definition (label and help with their translations) and its
    # external ids, on res.partner and on res.users (which inherits it).
    for model in ("res.partner", "res.users"):
        cr.execute(
            """
            UPDATE ir_model_fields SET name = %s
             WHERE model = %s AND name = %s
               AND NOT EXISTS (SELECT 1 FROM ir_model_fields
                                WHERE model = %s AND name = %s)
            """,
            (NEW_FIELD, model, OLD_FIELD, model, NEW_FIELD),
        )
        cr.execute(
            """
            UPDATE ir_model_data SET name = %s
             WHERE module = 'lco_module' AND name = %s
               AND NOT EXISTS (SELECT 1 FROM ir_model_data
                                WHERE module = 'lco_module' AND name = %s)
            """,
            (
                _xmlid(model, NEW_FIELD),
                _xmlid(model, OLD_FIELD),
                _xmlid(model, NEW_FIELD),
            ),
        )
    _logger.info("res_partner.%s renamed to %s", OLD_FIELD, NEW_FIELD)


def _mark_noupdate(cr):
    cr.execute(
        """
        UPDATE ir_model_data SET noupdate = true
         WHERE module = 'lco_module' AND name IN %s AND noupdate IS NOT true
        """,
        (NOUPDATE_XMLIDS,),
    )


def migrate(cr, version):
    if not version:
        return
    _rename_birthdate(cr)
    _mark_noupdate(cr)
