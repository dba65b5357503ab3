from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools.constants import (
    INTERNAL,
    MAX_TOPIC_LENGTH,
    PORTAL_PROPOSAL_FIELDS,
    REPORT_VISIBILITY,
    REPORT_VISIBILITY_HELP,
)


class LcoAgendaItem(models.Model):
    _name = "lco.agenda.item"
    _description = "Agenda Item"
    # What the access log records a read of (lco.access.logged).
    _lco_logged_fields = ("name", "summary")
    _inherit = ["lco.meeting.line.mixin", "lco.access.logged"]
    _order = "meeting_id, sequence, id"
    # The invitation lists the accepted topics that everyone may read:
    # accepting one, or keeping it for the full report, changes it.
    _calendar_fields = ("name", "sequence", "state", "report_visibility")

    sequence = fields.Integer(default=10)
    name = fields.Char("Topic", required=True)
    # The agenda goes with every invitation: shared by default.
    report_visibility = fields.Selection(
        REPORT_VISIBILITY,
        "Who Reads It",
        required=True,
        default="table",
        help=REPORT_VISIBILITY_HELP,
    )
    proposed_by_id = fields.Many2one(
        "lco.participant",
        compute="_compute_proposed_by_id",
        store=True,
        readonly=False,
        precompute=True,
        check_company=True,
        domain="[('case_id', '=', case_id)]",
        help="Who put this topic on the agenda. The agenda is drawn up with the "
        "client, so a new topic starts as his.",
    )
    proposer_role = fields.Selection(related="proposed_by_id.role")
    life_domain_id = fields.Many2one("lco.life.domain")
    summary = fields.Text(help="The discussion in short.", groups=INTERNAL)
    state = fields.Selection(
        [("proposed", "Proposed"), ("accepted", "On the Agenda")],
        "Status",
        default="accepted",
        required=True,
        index=True,
        help="A topic proposed on the portal waits until the coordinator accepts it "
        "onto the agenda; only accepted topics are on the invitation and the report.",
    )
    by_client = fields.Boolean(
        "Proposed by the Client",
        compute="_compute_by_client",
        store=True,
        help="The client first: his proposals come first.",
    )

    @api.depends("meeting_id")
    def _compute_proposed_by_id(self):
        for item in self.filtered(lambda i: not i.proposed_by_id):
            item.proposed_by_id = item.case_id.participant_ids.filtered(
                lambda p: p.role == "client"
            )[:1]

    @api.depends("proposed_by_id.role")
    def _compute_by_client(self):
        for item in self:
            item.by_client = item.proposed_by_id.role == "client"

    @api.constrains("proposed_by_id", "meeting_id")
    def _check_proposer_case(self):
        for item in self:
            item.proposed_by_id._check_takes_part_in(item.case_id)

    @api.model_create_multi
    def create(self, vals_list):
        if not (self.env.user.share and not self.env.su):
            return super().create(vals_list)
        vals_list = [self._lco_portal_proposal_values(vals) for vals in vals_list]
        # The proposals are not on the agenda yet: the invitation stays as it is.
        items = super(
            LcoAgendaItem, self.with_context(lco_agenda_proposal=True)
        ).create(vals_list)
        items._lco_notify_proposal()
        return items.with_env(self.env)

    def action_accept_proposal(self):
        """The coordinator puts the proposed topics on the agenda."""
        proposals = self.filtered(lambda item: item.state == "proposed")
        proposals.check_access("write")
        proposals.write({"state": "accepted"})
        return True

    def _lco_portal_proposal_values(self, vals):
        """What a portal user sends becomes his own proposal, whatever he sends:
        a topic for a meeting, marked as his, waiting for the coordinator."""
        if not isinstance(vals, dict) or set(vals) - PORTAL_PROPOSAL_FIELDS:
            raise AccessError(
                self.env._("You can only propose a topic for a coming meeting.")
            )
        meeting = self.env["lco.meeting"].browse(vals.get("meeting_id"))
        if not isinstance(vals.get("meeting_id"), int) or not meeting.exists():
            raise AccessError(
                self.env._("You can only propose a topic for a coming meeting.")
            )
        # The meeting's rules decide whether he may read it.
        meeting.check_access("read")
        if meeting.state != "scheduled" or (
            meeting.start and meeting.start < fields.Datetime.now()
        ):
            raise UserError(
                self.env._(
                    "This meeting is no longer coming: you can propose a topic for "
                    "a coming meeting only."
                )
            )
        participant = meeting.case_id._lco_portal_participant()
        if not participant:
            raise AccessError(
                self.env._("You can only propose a topic for a coming meeting.")
            )
        return {
            "meeting_id": meeting.id,
            "name": self._lco_check_topic(vals.get("name")),
            "proposed_by_id": participant.id,
            "state": "proposed",
            # After the topics already there, until the coordinator orders them.
            "sequence": 1000,
        }

    @api.model
    def _lco_check_topic(self, topic):
        """The topic as proposed on the portal: some text, not too long."""
        if not isinstance(topic, str) or "\x00" in topic:
            raise ValidationError(
                self.env._("Write your topic in plain text, then send it again.")
            )
        topic = " ".join(topic.split())
        if not topic:
            raise ValidationError(
                self.env._("Write what you want to talk about, then send it again.")
            )
        if len(topic) > MAX_TOPIC_LENGTH:
            raise ValidationError(
                self.env._(
                    "Your topic is too long: keep it to %(max)s characters (now "
                    "%(length)s). You can explain more at the meeting.",
                    max=MAX_TOPIC_LENGTH,
                    length=len(topic),
                )
            )
        return topic

    def _lco_notify_proposal(self):
        """The coordinator of the case hears of each new proposal, as he hears
        of an agreement reported on the portal."""
        for item in self:
            body = Markup("%s<br/>%s") % (
                self.env._(
                    "%(person)s proposes a topic for the agenda; accept it on the "
                    "Agenda tab:",
                    person=self.env.user.partner_id.name,
                ),
                item.name,
            )
            item.meeting_id._lco_tell_coordinator(body)
