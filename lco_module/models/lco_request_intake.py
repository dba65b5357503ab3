from odoo import api, fields, models

# The coordinator's weighing of a request (see the help texts).
ASSESSMENT = [("yes", "Yes"), ("no", "No"), ("unsure", "Not Sure Yet")]


class LcoRequestIntake(models.Model):
    """The intake of a request: the coordinators' weighing of it and their
    notes. One per request, in a model of its own as hr.employee beside
    hr.employee.public: the requester reads his request, never its intake.
    Who reads and writes it is said by its access lines (coordinators and
    managers) and its record rule (the request's organisation), nothing else;
    the request shows it through fields computed as the reading user."""

    _name = "lco.request.intake"
    _description = "Intake of a Client Consultation Request"
    # What the access log records a read of (lco.access.logged).
    _lco_logged_fields = ("note",)
    _inherit = ["lco.access.logged"]
    _check_company_auto = True

    request_id = fields.Many2one(
        "lco.request",
        required=True,
        readonly=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    company_id = fields.Many2one(
        related="request_id.company_id", store=True, index=True, precompute=True
    )
    added_value = fields.Selection(
        ASSESSMENT,
        "Added Value for the Client",
        help="Can bringing everyone together support the client or give him more "
        "perspective? Added value for the aid workers alone is not enough.",
    )
    open_conversation = fields.Selection(
        ASSESSMENT,
        "Open Conversation Possible",
        help="Is an open and constructive conversation possible, or is trust so "
        "fragile that a bilateral talk should come first?",
    )
    room_to_choose = fields.Selection(
        ASSESSMENT,
        "Room to Choose",
        help="Is there real room to weigh alternatives and make choices, and room "
        "to decide for the people around the table?",
    )
    note = fields.Text(
        "Intake Notes",
        help="Private to the coordinators: the requester does not see them.",
    )

    _sql_constraints = [
        (
            "request_unique",
            "UNIQUE(request_id)",
            "A request has one intake.",
        ),
    ]

    @api.depends("request_id.name")
    def _compute_display_name(self):
        for intake in self:
            intake.display_name = self.env._("Intake of %s", intake.request_id.name)
