"""Stored copies of a linked record's columns (``related=..., store=True``)
added to a table that already holds data: filled in one UPDATE, not computed
record by record through the ORM on upgrade."""

from odoo.tools import SQL
from odoo.tools.sql import column_exists, create_column


def add_stored_copies(cr, table, foreign_key, source_table, copies):
    """Add the missing columns of ``copies`` ({column: (type, source column)})
    to ``table`` and fill them from ``source_table`` through ``foreign_key``."""
    new = {
        column: spec
        for column, spec in copies.items()
        if not column_exists(cr, table, column)
    }
    if not new or not column_exists(cr, table, foreign_key):
        return
    for column, (column_type, _source) in new.items():
        create_column(cr, table, column, column_type)
    cr.execute(
        SQL(
            "UPDATE %s t SET %s FROM %s s WHERE s.id = t.%s",
            SQL.identifier(table),
            SQL(", ").join(
                SQL("%s = s.%s", SQL.identifier(column), SQL.identifier(source))
                for column, (_type, source) in new.items()
            ),
            SQL.identifier(source_table),
            SQL.identifier(foreign_key),
        )
    )
