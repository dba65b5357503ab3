from odoo import models
from odoo.tools import SQL


class Base(models.AbstractModel):
    _inherit = "base"

    def _read_group_orderby(self, order, groupby_terms, query):
        """The statuses of the addon's models grouped in the order of the
        work, not alphabetically.

        Groups of a status of the addon's models in the order of its
        selection (in preparation, scheduled, held, ...), as the forms show
        it, not alphabetically by the stored value: pivots, graphs and grouped
        lists of the figures read in the order of the work."""
        if self._name.startswith("lco."):
            groupby_terms = dict(groupby_terms)
            for spec, sql_expr in groupby_terms.items():
                field = self._fields.get(spec)
                if (
                    field
                    and field.type == "selection"
                    and isinstance(field.selection, list)
                ):
                    groupby_terms[spec] = SQL(
                        "CASE %s %s END",
                        sql_expr,
                        SQL(" ").join(
                            SQL("WHEN %s THEN %s", value, index)
                            for index, (value, _label) in enumerate(field.selection)
                        ),
                    )
        return super()._read_group_orderby(order, groupby_terms, query)
