from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools.constants import CHAIR_GROUP, OPEN_CASE_STATES

# What the chair may write himself: the reason he declines (the buttons do the rest).
CHAIR_FIELDS = {"decline_reason"}


class LcoChairProposal(models.Model):
    """The contact point asks a chair of its pool to chair a youth-care case.

    Until he accepts, the chair reads the proposal only: the case number, the
    client's postcode and language and the services at the table (to see for
    himself that he is neutral), not the case. Accepting makes him the case's
    coordinator; declining sends it back to whom proposed it."""

    _name = "lco.chair.proposal"
    _description = "Chair Proposal"
    _inherit = ["lco.action.fields", "mail.thread", "mail.activity.mixin"]
    # Written by the chair's answer only (action_accept, action_decline).
    _lco_action_fields = ("state", "date_answered")
    _order = "create_date desc, id desc"
    _check_company_auto = True

    case_id = fields.Many2one(
        "lco.case", required=True, index=True, ondelete="cascade", readonly=True
    )
    company_id = fields.Many2one(
        related="case_id.company_id", store=True, index=True, precompute=True
    )
    chair_id = fields.Many2one(
        "lco.chair",
        required=True,
        index=True,
        ondelete="restrict",
        readonly=True,
        check_company=True,
    )
    chair_user_id = fields.Many2one(
        related="chair_id.user_id", store=True, index=True, string="Chair User"
    )
    proposed_by_id = fields.Many2one(
        "res.users",
        readonly=True,
        default=lambda self: self.env.user,
    )
    state = fields.Selection(
        [
            ("proposed", "Waiting for the Chair"),
            ("accepted", "Accepted"),
            ("declined", "Declined"),
            ("withdrawn", "Withdrawn"),
        ],
        "Status",
        required=True,
        default="proposed",
        readonly=True,
        tracking=True,
    )
    case_name = fields.Char("Case Number", readonly=True)
    client_zip = fields.Char("Client's Postcode", readonly=True)
    client_lang = fields.Char("Client's Language", readonly=True)
    services = fields.Text("At the Table", readonly=True)
    reasons = fields.Text(
        "Why This Chair", readonly=True, help="The ranking when he was proposed."
    )
    decline_reason = fields.Text(
        "Reason for Declining", help="Why the chair does not take the case."
    )
    date_answered = fields.Datetime("Answered On", readonly=True)

    @api.depends("case_name", "chair_id")
    def _compute_display_name(self):
        for proposal in self:
            proposal.display_name = f"{proposal.case_name} ({proposal.chair_id.name})"

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and self.env.user.has_group(CHAIR_GROUP):
            raise AccessError(
                self.env._("The contact point proposes chairs, not a chair himself.")
            )
        for vals in vals_list:
            case = self.env["lco.case"].browse(vals.get("case_id"))
            chair = self.env["lco.chair"].browse(vals.get("chair_id"))
            # Who proposes runs the case: he may write it.
            case.check_access("write")
            self._check_proposable(case, chair)
            vals.update(self._snapshot(case))
        proposals = super().create(vals_list)
        for proposal in proposals:
            proposal._ask_chair()
        return proposals

    def write(self, vals):
        if self._lco_action_checked():
            if (
                set(vals)
                - CHAIR_FIELDS
                - set(self.env["mail.thread"]._fields)
                - set(self.env["mail.activity.mixin"]._fields)
            ):
                raise UserError(
                    self.env._(
                        "A proposal changes with its buttons: the chair accepts or "
                        "declines it."
                    )
                )
            if "decline_reason" in vals:
                self._check_answerable()
        return super().write(vals)

    @api.model
    def _check_proposable(self, case, chair):
        if case.kind != "youth":
            raise UserError(
                self.env._(
                    "Case %s is a local client consultation: its coordinator is "
                    "the OCMW's, not an external chair.",
                    case.name,
                )
            )
        if case.state not in OPEN_CASE_STATES:
            raise UserError(self.env._("Case %s is no longer open.", case.name))
        if not chair.active or chair.company_id != case.company_id:
            raise UserError(
                self.env._(
                    "%(chair)s is not in the pool of %(company)s.",
                    chair=chair.name,
                    company=case.company_id.name,
                )
            )
        if chair.user_id == case.coordinator_id:
            raise UserError(
                self.env._(
                    "%(chair)s chairs case %(case)s already.",
                    chair=chair.name,
                    case=case.name,
                )
            )
        chair._check_neutral_for(case)

    @api.model
    def _snapshot(self, case):
        """What the chair reads of the case before he accepts it."""
        services = self.env["lco.chair"]._services_at_table(case).filtered("is_company")
        lang = case.client_id.lang
        return {
            "case_name": case.name,
            "client_zip": case.client_id.zip,
            "client_lang": self.env["res.lang"]._lang_get(lang).name if lang else False,
            "services": "\n".join(sorted(services.mapped("display_name"))),
        }

    def _ask_chair(self):
        self.ensure_one()
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            user_id=self.chair_user_id.id,
            summary=self.env._("Will you chair case %s?", self.case_name),
            note=self.env._(
                "The contact point proposes you as the chair of case %s. Accept or "
                "decline it on the proposal.",
                self.case_name,
            ),
        )
        self.case_id.message_post(
            body=self.env._(
                "%(chair)s was asked to chair the case.", chair=self.chair_id.name
            ),
            subtype_xmlid="mail.mt_note",
        )

    def _check_answerable(self):
        for proposal in self:
            if not self.env.su and proposal.chair_user_id != self.env.user:
                raise AccessError(
                    self.env._(
                        "Only the chair asked answers proposal %s.",
                        proposal.display_name,
                    )
                )
            if proposal.state != "proposed":
                raise UserError(
                    self.env._(
                        "Proposal %s was answered already.", proposal.display_name
                    )
                )

    def action_accept(self):
        self._check_answerable()
        for proposal in self:
            # sudo: the chair does not read the case until he chairs it; checked
            # above: he is the chair asked and the proposal waits for him. The
            # neutrality is checked again on the table of today.
            case = proposal.case_id.sudo()
            proposal.chair_id._check_neutral_for(case)
            if case.state not in OPEN_CASE_STATES:
                raise UserError(self.env._("Case %s is no longer open.", case.name))
            case.coordinator_id = proposal.chair_user_id
            case.message_post(
                body=self.env._(
                    "%(chair)s accepted to chair the case and coordinates it.",
                    chair=proposal.chair_id.name,
                ),
                subtype_xmlid="mail.mt_note",
            )
            others = case.chair_proposal_ids.filtered(
                lambda other, proposal=proposal: (
                    other.state == "proposed" and other != proposal
                )
            )
            others._lco_action_write({"state": "withdrawn"})
            others.activity_unlink(["mail.mail_activity_data_todo"])
            proposal._lco_action_write(
                {"state": "accepted", "date_answered": fields.Datetime.now()}
            )
            proposal.activity_feedback(
                ["mail.mail_activity_data_todo"],
                feedback=self.env._("Accepted"),
            )
        if len(self) == 1:
            return {
                "type": "ir.actions.act_window",
                "res_model": "lco.case",
                "res_id": self.case_id.id,
                "view_mode": "form",
            }
        return True

    def action_decline(self):
        self._check_answerable()
        for proposal in self:
            reason = (proposal.decline_reason or "").strip()
            if not reason:
                raise UserError(
                    self.env._(
                        "Say why you decline: the contact point looks for another "
                        "chair with it."
                    )
                )
            proposal._lco_action_write(
                {"state": "declined", "date_answered": fields.Datetime.now()}
            )
            proposal.activity_feedback(
                ["mail.mail_activity_data_todo"], feedback=reason
            )
            # sudo: the answer of the chair asked (checked above) goes back to
            # the contact point on a case the chair does not read.
            case = proposal.case_id.sudo()
            message = self.env._(
                "%(chair)s declined to chair the case: %(reason)s",
                chair=proposal.chair_id.name,
                reason=reason,
            )
            case.message_post(body=message, subtype_xmlid="mail.mt_note")
            case.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=(proposal.proposed_by_id or case.coordinator_id).id,
                summary=self.env._("Propose another chair"),
                note=message,
            )
        return True
