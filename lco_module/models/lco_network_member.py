from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools.constants import PORTAL_NETWORK_FIELDS

# Relationships of someone paid to help rather than someone close.
PROFESSIONAL_RELATIONSHIPS = ("service", "teacher")


class LcoNetworkMember(models.Model):
    """A person around the client, before and beside the table: family,
    friends, neighbours, volunteers, services. Whoever the client's consent
    gives the full picture (lco.case._report_scopes) reads them; the
    coordinator of the case records them."""

    _name = "lco.network.member"
    _inherit = [
        "lco.case.thread",
        "lco.checked.input",
        "lco.action.fields",
        "lco.access.logged",
    ]
    _description = "Network Member"
    _lco_fixed_fields = ("case_id",)
    # Written by its own buttons: inviting to the table, confirming a proposal.
    _lco_action_fields = ("participant_id", "proposed_by_portal")
    _lco_action_values = {"status": ("at_table",)}
    # What the access log records a read of (lco.access.logged).
    _lco_logged_fields = ("name", "note")
    _order = "case_id, sequence, id"
    _check_company_auto = True

    case_id = fields.Many2one(
        "lco.case", required=True, index=True, ondelete="cascade", check_company=True
    )
    company_id = fields.Many2one(
        related="case_id.company_id", store=True, index=True, precompute=True
    )
    sequence = fields.Integer(default=10)
    partner_id = fields.Many2one(
        "res.partner",
        "Contact",
        index="btree_not_null",
        check_company=True,
        help="The contact of this person, when there is one.",
    )
    name = fields.Char(
        compute="_compute_name",
        store=True,
        readonly=False,
        precompute=True,
        help="How the client calls this person.",
    )
    relationship = fields.Selection(
        [
            ("mother", "Mother"),
            ("father", "Father"),
            ("partner", "Partner"),
            ("child", "Child"),
            ("sibling", "Brother or Sister"),
            ("other_family", "Other Family"),
            ("friend", "Friend"),
            ("neighbour", "Neighbour"),
            ("volunteer", "Volunteer"),
            ("teacher", "Teacher"),
            ("service", "Service"),
            ("other", "Other"),
        ],
        required=True,
        default="other",
    )
    life_domain_id = fields.Many2one("lco.life.domain")
    closeness = fields.Selection(
        [("close", "Close Tie"), ("further", "Further"), ("strained", "Strained")],
        required=True,
        default="further",
    )
    kind = fields.Selection(
        [("network", "Network"), ("professional", "Professional")],
        compute="_compute_kind",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
    )
    status = fields.Selection(
        [
            ("not_asked", "Not Yet Asked"),
            ("asked", "Asked"),
            ("will_come", "Will Come"),
            ("declined", "Declined"),
            ("at_table", "At the Table"),
        ],
        required=True,
        default="not_asked",
        tracking=True,
        index=True,
    )
    participant_id = fields.Many2one(
        "lco.participant",
        "At the Table As",
        readonly=True,
        copy=False,
        index="btree_not_null",
        check_company=True,
        ondelete="set null",
    )
    proposed_by_portal = fields.Boolean(
        "Proposed on the Portal",
        readonly=True,
        copy=False,
        help="Added by the client (or someone he trusts) on the portal: the "
        "coordinator confirms it.",
    )
    note = fields.Text(help="What this person means to the client.")

    @api.depends("partner_id")
    def _compute_name(self):
        for member in self:
            if member.partner_id:
                member.name = member.partner_id.name

    @api.depends("relationship")
    def _compute_kind(self):
        for member in self:
            member.kind = (
                "professional"
                if member.relationship in PROFESSIONAL_RELATIONSHIPS
                else "network"
            )

    @api.constrains("name", "partner_id")
    def _check_name(self):
        for member in self:
            if not (member.name or "").strip() and not member.case_id.anonymised_date:
                raise ValidationError(
                    self.env._("Give the name of the person in the network.")
                )

    @api.constrains("participant_id", "case_id")
    def _check_participant_case(self):
        for member in self.filtered("participant_id"):
            member.participant_id._check_takes_part_in(member.case_id)

    @api.model_create_multi
    def create(self, vals_list):
        if not (self.env.user.share and not self.env.su):
            return super().create(vals_list)
        vals_list = [self._lco_portal_values(vals) for vals in vals_list]
        # The proposal is marked as such by this action, not by the caller.
        with self._lco_action():
            members = super().create(vals_list)
        members._lco_notify_proposal()
        return members

    def _lco_portal_values(self, vals):
        """What a portal user sends becomes a proposal for the coordinator: a
        name and how he relates to the client, in a case whose network the
        consent lets him see (the create rule says the same)."""
        message = self.env._(
            "You can only add a person to the network of a case you follow."
        )
        if not isinstance(vals, dict) or set(vals) - PORTAL_NETWORK_FIELDS:
            raise AccessError(message)
        case = self.env["lco.case"].browse(vals.get("case_id"))
        if not isinstance(vals.get("case_id"), int) or not case.exists():
            raise AccessError(message)
        if case._lco_portal_scope() != "full" or case.state not in ("draft", "active"):
            raise AccessError(message)
        name = vals.get("name")
        name = " ".join(name.split()) if isinstance(name, str) else ""
        if not name:
            raise ValidationError(
                self.env._("Write the name of the person, then send it again.")
            )
        return {
            "case_id": case.id,
            "name": name,
            "relationship": vals.get("relationship") or "other",
            "closeness": vals.get("closeness") or "further",
            "proposed_by_portal": True,
        }

    def _lco_notify_proposal(self):
        for member in self:
            body = Markup("%s<br/>%s") % (
                self.env._(
                    "%(person)s adds a person to the network; confirm it on the "
                    "Network tab:",
                    person=self.env.user.partner_id.name,
                ),
                member.name,
            )
            member._lco_tell_coordinator(body)

    def action_confirm(self):
        """The coordinator takes the people proposed on the portal over."""
        proposals = self.filtered("proposed_by_portal")
        proposals.check_access("write")
        proposals._lco_action_write({"proposed_by_portal": False})
        return True

    def action_invite_to_table(self):
        """This person takes part in the case: a participant, linked to him."""
        for member in self:
            member.check_access("write")
            case = member.case_id
            if case.state not in ("draft", "active"):
                raise UserError(self.env._("Case %s is no longer open.", case.name))
            if member.participant_id.active:
                continue
            partner = member.partner_id
            if not partner:
                partner = self.env["res.partner"].create(
                    {"name": member.name, "company_id": case.company_id.id}
                )
                member.partner_id = partner
            participant = case.with_context(active_test=False).participant_ids.filtered(
                lambda p, partner=partner: p.partner_id == partner
            )[:1]
            if participant:
                participant.active = True
            else:
                participant = self.env["lco.participant"].create(
                    {
                        "case_id": case.id,
                        "partner_id": partner.id,
                        "role": "professional"
                        if member.kind == "professional"
                        else "network",
                        "life_domain_ids": member.life_domain_id.ids,
                    }
                )
            member._lco_action_write(
                {
                    "participant_id": participant.id,
                    "status": "at_table",
                    "proposed_by_portal": False,
                }
            )
        return True

    def _lco_text(self):
        """The person in words, in the reader's language: the text
        alternative of the map."""
        self.ensure_one()
        labels = {
            name: dict(self._fields[name]._description_selection(self.env))
            for name in ("relationship", "closeness", "status", "kind")
        }
        return ", ".join(
            [
                self.name or "",
                labels["relationship"][self.relationship],
                labels["kind"][self.kind],
                labels["closeness"][self.closeness],
                labels["status"][self.status],
            ]
        )
