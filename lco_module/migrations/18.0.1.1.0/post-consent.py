"""The consent moves from three fields of the case to consent records.

Before 18.0.1.1.0 a case held the date consent was given, by whom (free text),
what it covered (free text) and when it was revoked. Each such case gets one
consent record: given (or withdrawn, when it was revoked) on that date, by the
client, covering every participant of the case with the full report, as the
old consent did; who gave it and what it covered are kept in its note. The old
columns are dropped once moved.
"""

from odoo import SUPERUSER_ID, Command, api
from odoo.tools import SQL

OLD_COLUMNS = (
    "consent_date",
    "consent_given_by",
    "consent_scope",
    "consent_revoked_date",
)


def _old_columns(cr):
    cr.execute(
        """SELECT column_name FROM information_schema.columns
            WHERE table_name = 'lco_case' AND column_name IN %s""",
        [OLD_COLUMNS],
    )
    return {row[0] for row in cr.fetchall()}


def migrate(cr, version):
    if set(OLD_COLUMNS) - _old_columns(cr):
        return
    env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
    cr.execute(
        """SELECT id, consent_date, consent_given_by, consent_scope,
                  consent_revoked_date
             FROM lco_case
            WHERE consent_date IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM lco_consent c WHERE c.case_id = lco_case.id)"""
    )
    rows = cr.fetchall()
    cases = env["lco.case"].browse([row[0] for row in rows])
    values = []
    for (case_id, date, given_by, scope, revoked), case in zip(
        rows, cases, strict=True
    ):
        note = "\n".join(part for part in (given_by, scope) if part)
        values.append(
            {
                "case_id": case_id,
                "date_given": date,
                "note": note or False,
                "state": "withdrawn" if revoked else "given",
                "withdrawn_date": revoked,
                "line_ids": [
                    Command.create({"participant_id": participant.id})
                    for participant in case.with_context(
                        active_test=False
                    ).participant_ids
                    if participant.role != "client"
                ],
            }
        )
    env["lco.consent"].create(values)
    for column in OLD_COLUMNS:
        cr.execute(
            SQL("ALTER TABLE lco_case DROP COLUMN IF EXISTS %s", SQL.identifier(column))
        )
