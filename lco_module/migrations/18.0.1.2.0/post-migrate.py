"""18.0.1.2.0: moves of data into the models that now hold it."""

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL

# The intake's columns of lco_request before 18.0.1.2.0, and where they go in
# lco_request_intake.
INTAKE_COLUMNS = {
    "intake_added_value": "added_value",
    "intake_open_conversation": "open_conversation",
    "intake_room_to_choose": "room_to_choose",
    "intake_note": "note",
}


def move_intake(cr):
    """Each request gets its intake record (lco.request.intake) with what its
    intake columns held, in one INSERT ... SELECT; the columns are dropped
    once copied. Requests that got their intake during the update (data
    files) keep it."""
    cr.execute(
        """SELECT column_name FROM information_schema.columns
            WHERE table_name = 'lco_request' AND column_name IN %s""",
        [tuple(INTAKE_COLUMNS)],
    )
    old = sorted(row[0] for row in cr.fetchall())
    cr.execute(
        SQL(
            """
            INSERT INTO lco_request_intake
                   (request_id, company_id, %(new)s
                    create_uid, create_date, write_uid, write_date)
            SELECT request.id, request.company_id, %(old)s
                   request.create_uid, request.create_date,
                   request.write_uid, request.write_date
              FROM lco_request request
             WHERE NOT EXISTS (
                    SELECT 1 FROM lco_request_intake intake
                     WHERE intake.request_id = request.id)
            """,
            new=SQL("").join(
                SQL("%s, ", SQL.identifier(INTAKE_COLUMNS[name])) for name in old
            ),
            old=SQL("").join(
                SQL("%s, ", SQL.identifier("request", name)) for name in old
            ),
        )
    )
    for name in old:
        cr.execute(SQL("ALTER TABLE lco_request DROP COLUMN %s", SQL.identifier(name)))


def count_remaining_figures(cr):
    """The request and meeting figures read rows counted by the cron "count
    the figures again": it runs as soon as a cron worker is free, not up to
    an hour after the update (the new figures would show nothing till then)."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    cron = env.ref("lco_module.ir_cron_lco_figure_refresh", raise_if_not_found=False)
    if cron:
        cron._trigger()


# The request-received mail said "local" also to a youth-care requester: its
# wording per language, before and after (the template is noupdate; an
# administrator's own wording, without these words, is left as it is).
REQUEST_RECEIVED_WORDING = (
    (
        "request for a local client consultation on",
        "request for a client consultation on",
    ),
    (
        "aanvraag voor een lokaal cliëntoverleg ontvangen",
        "aanvraag voor een cliëntoverleg ontvangen",
    ),
    ("demande de concertation locale le", "demande de concertation le"),
)


def reword_request_received(cr):
    """The request-received mail names the kind of consultation no more."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    template = env.ref(
        "lco_module.mail_template_lco_request_received", raise_if_not_found=False
    )
    if not template:
        return
    for old, new in REQUEST_RECEIVED_WORDING:
        cr.execute(
            SQL(
                "UPDATE mail_template SET body_html = replace(body_html::text, %s, %s)::jsonb"
                " WHERE id = %s",
                old,
                new,
                template.id,
            )
        )
    template.invalidate_recordset(["body_html"])


def migrate(cr, version):
    if not version:
        return
    move_intake(cr)
    count_remaining_figures(cr)
    reword_request_received(cr)
