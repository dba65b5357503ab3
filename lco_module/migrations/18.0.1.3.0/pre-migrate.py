"""18.0.1.3.0: the case's next deadline (the earliest of its open agreements),
stored for the "overdue agreements" filter, filled here with one statement:
the ORM would otherwise compute it case by case, reading every agreement, when
the update adds the column. Running it twice changes nothing."""

from odoo.tools.sql import column_exists, create_column


def migrate(cr, version):
    if not version or column_exists(cr, "lco_case", "next_deadline"):
        return
    create_column(cr, "lco_case", "next_deadline", "date")
    cr.execute(
        """
        UPDATE lco_case c SET next_deadline = a.deadline
          FROM (SELECT case_id, min(deadline) AS deadline FROM lco_agreement
                 WHERE state = 'open' GROUP BY case_id) a
         WHERE a.case_id = c.id
        """
    )
