"""18.0.1.4.0: each organisation's figures get their totals (the rows
without the people), made from the rows counted before the update, so that a
manager's figures show at once, not after the next hourly count."""

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL


def count_totals(cr):
    env = api.Environment(cr, SUPERUSER_ID, {})
    Figure = env["lco.figure.month"]
    for model in Figure._figure_models():
        cr.execute(
            SQL("SELECT DISTINCT company_id FROM %s", SQL.identifier(model._table))
        )
        for (company_id,) in cr.fetchall():
            model._figure_insert(model._figure_totals_select(company_id), True)


def migrate(cr, version):
    if version:
        count_totals(cr)
