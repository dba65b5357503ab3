import re

from odoo.osv.expression import is_leaf

# The field a read_group spec or an order term starts with: "month" of
# "month:month", "coordinator_id" of "coordinator_id.name desc".
_SPEC_FIELD = re.compile(r"\s*(\w+)")


def domain_fields(domain):
    """The fields the leaves of ``domain`` test (``case_id`` for a leaf on
    ``case_id.name``)."""
    return {
        leaf[0].split(".")[0]
        for leaf in domain
        if is_leaf(leaf) and isinstance(leaf[0], str)
    }


def spec_fields(specs):
    """The fields that read_group specs or order terms name."""
    return {match[1] for spec in specs if (match := _SPEC_FIELD.match(spec))}
