"""The consent moves from three fields of the case to consent records.

Before 18.0.1.1.0 a case held the date consent was given, by whom (free text),
what it covered (free text) and when it was revoked. Each such case gets one
consent record that claims nothing the old data did not say:

- given on that date, "migrated" as the way it was given (not a signed form);
- ending at that date plus the organisation's consent validity (none when it
  is 0), and so expired when that day is past; withdrawn when it was revoked;
- covering every participant of the case but the client, each with the work
  plan only when the old text said "work plan" (and not "full"), else with
  the full report (what the old version sent);
- its note keeps what it covered as written, and who gave it as written, under
  a label (the representative is not guessed from free text).

The old columns are dropped once moved.
"""

import re

from dateutil.relativedelta import relativedelta

from odoo import SUPERUSER_ID, Command, api, fields
from odoo.tools import SQL
from odoo.tools.translate import get_translation

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
    today = fields.Date.context_today(env["lco.consent"])
    values = []
    for (case_id, date, given_by, scope, revoked), case in zip(
        rows, cases, strict=True
    ):
        months = case.company_id.lco_consent_validity_months
        valid_until = date + relativedelta(months=months) if months else False
        if revoked:
            state = "withdrawn"
        elif valid_until and valid_until < today:
            state = "expired"
        else:
            state = "given"
        values.append(
            {
                "case_id": case_id,
                "date_given": date,
                "valid_until": valid_until,
                "method": "migrated",
                "note": _note(case, given_by, scope),
                "state": state,
                "withdrawn_date": revoked,
                "line_ids": [
                    Command.create(
                        {"participant_id": participant.id, "scope": _scope(scope)}
                    )
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


def _scope(text):
    """The work plan only where the old text limited it so."""
    text = (text or "").lower()
    if re.search(r"work\s*plan|werk\s*plan", text) and not re.search(
        r"\bfull\b|volledig", text
    ):
        return "work_plan"
    return "full"


def _note(case, given_by, scope):
    """What it covered as written, then who gave it as written, labelled, in
    the organisation's language."""
    lang = case.company_id.partner_id.lang or "en_US"
    parts = [scope] if scope else []
    if given_by:
        # The module named: a migration script is no module of the addon.
        parts.append(
            get_translation(
                "lco_module",
                lang,
                "Given by (as recorded before the upgrade): %s",
                (given_by,),
            )
        )
    return "\n\n".join(parts) or False
