"""The records that name or quote the client besides cases, requests and
meetings (which inherit lco.access.logged in their own file): their reads are
logged too. Each names its logged fields in ``_lco_logged_fields``."""

from odoo import models


class LcoAgreement(models.Model):
    _name = "lco.agreement"
    _inherit = ["lco.agreement", "lco.access.logged"]


class LcoAgendaItem(models.Model):
    _name = "lco.agenda.item"
    _inherit = ["lco.agenda.item", "lco.access.logged"]


class LcoParticipant(models.Model):
    _name = "lco.participant"
    _inherit = ["lco.participant", "lco.access.logged"]


class LcoConsent(models.Model):
    _name = "lco.consent"
    _inherit = ["lco.consent", "lco.access.logged"]


class LcoMeetingAttendee(models.Model):
    _name = "lco.meeting.attendee"
    _inherit = ["lco.meeting.attendee", "lco.access.logged"]


class LcoMeetingEvaluation(models.Model):
    _name = "lco.meeting.evaluation"
    _inherit = ["lco.meeting.evaluation", "lco.access.logged"]
