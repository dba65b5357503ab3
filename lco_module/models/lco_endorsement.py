from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

ENDORSEMENT_ROUTES = [
    ("portal", "In the Portal"),
    ("signed", "Signed on the Printed Work Plan"),
    ("verbal", "Verbally, with the Coordinator as Witness"),
]


class LcoEndorsement(models.Model):
    """A participant endorses (onderschrijft) the execution of a work plan:
    the work plan of one meeting, the latest held one of the case. Recorded
    by the person himself in the portal (``lco.participant.
    action_endorse_portal``), or by the coordinator of the case from the
    signed printed work plan or as the witness of a verbal endorsement. Every
    field is written by those actions only; an endorsement is never changed or
    deleted: a new work plan is endorsed anew."""

    _name = "lco.endorsement"
    _description = "Endorsement of a Work Plan"
    _inherit = ["lco.action.fields"]
    _lco_action_fields = (
        "case_id",
        "meeting_id",
        "participant_id",
        "route",
        "date",
        "recorded_by_id",
    )
    _order = "meeting_id desc, date, id"
    _check_company_auto = True

    case_id = fields.Many2one(
        "lco.case", required=True, index=True, ondelete="cascade", readonly=True
    )
    company_id = fields.Many2one(
        related="case_id.company_id", store=True, index=True, precompute=True
    )
    meeting_id = fields.Many2one(
        "lco.meeting",
        "Work Plan Of",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
        check_company=True,
        help="The meeting whose work plan was endorsed.",
    )
    participant_id = fields.Many2one(
        "lco.participant",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
        check_company=True,
    )
    partner_id = fields.Many2one(related="participant_id.partner_id", string="Person")
    route = fields.Selection(ENDORSEMENT_ROUTES, "How", required=True, readonly=True)
    date = fields.Date("Endorsed On", required=True, readonly=True)
    recorded_by_id = fields.Many2one("res.users", required=True, readonly=True)

    _sql_constraints = [
        (
            "meeting_participant_uniq",
            "unique(meeting_id, participant_id)",
            "A person endorses a work plan once.",
        ),
    ]

    @api.depends("participant_id", "date")
    def _compute_display_name(self):
        for endorsement in self:
            endorsement.display_name = self.env._(
                "%(person)s endorsed on %(date)s",
                person=endorsement.participant_id.partner_id.name or "",
                date=fields.Date.to_string(endorsement.date) or "",
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_history(self):
        raise UserError(
            self.env._(
                "An endorsement of a work plan is kept as the history of the case."
            )
        )

    def _lco_record(self, participant, route):
        """Record that ``participant`` endorses the current work plan of his
        case, by ``route``. The callers checked who may record it."""
        participant.ensure_one()
        case = participant.case_id
        meeting = case._lco_work_plan_meeting()
        if not meeting:
            raise UserError(
                self.env._(
                    "Case %s has no work plan to endorse yet: it is made in a "
                    "meeting that was held.",
                    case.name,
                )
            )
        if not participant.active or case.state not in ("draft", "active"):
            raise UserError(
                self.env._(
                    "%s no longer takes part in an open case: he endorses no work plan.",
                    participant.partner_id.name,
                )
            )
        # sudo: whether the client's consent gives this participant the work
        # plan (consents are read by internal users only); the participant
        # was checked by the caller.
        if not case.sudo()._report_scope(participant.partner_id):
            raise UserError(
                self.env._(
                    "%s does not receive the work plan (the client's consent does "
                    "not cover him): he cannot endorse it.",
                    participant.partner_id.name,
                )
            )
        # sudo: whether he endorsed it already, also by a route he cannot read.
        if self.sudo().search_count(
            [
                ("meeting_id", "=", meeting.id),
                ("participant_id", "=", participant.id),
            ]
        ):
            raise UserError(
                self.env._(
                    "%s already endorsed this work plan.", participant.partner_id.name
                )
            )
        with self._lco_action():
            return self.create(
                {
                    "case_id": case.id,
                    "meeting_id": meeting.id,
                    "participant_id": participant.id,
                    "route": route,
                    "date": fields.Date.context_today(self),
                    "recorded_by_id": self.env.user.id,
                }
            )

    def _lco_check_recorder(self, participant, route):
        """Who may record ``participant``'s endorsement by ``route``: the
        person himself in the portal; the coordinator of the case from the
        signed work plan or as the witness of a verbal one."""
        user = self.env.user
        if route == "portal":
            if participant.partner_id != user.partner_id:
                raise AccessError(
                    self.env._("You can endorse the work plan for yourself only.")
                )
            participant.case_id.check_access("read")
        elif participant.case_id.coordinator_id != user:
            raise AccessError(
                self.env._(
                    "Only the coordinator of case %s records an endorsement signed "
                    "on paper or given verbally in his presence.",
                    participant.case_id.name,
                )
            )
