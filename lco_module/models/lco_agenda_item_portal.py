from odoo import fields, models

from .portal_rules import INTERNAL


class LcoAgendaItem(models.Model):
    _inherit = "lco.agenda.item"

    summary = fields.Text(groups=INTERNAL)
