"""Helpers of the addon that are not models: its shared constants, the
erasure behind anonymisation, its system parameters and the stored copies
filled in SQL on upgrade. Imported relatively (``from ..tools import ...``):
``odoo.tools`` is another package."""
