from odoo import api, fields, models

from ..tools.network_map import network_svg


class LcoCase(models.Model):
    """The network around the client (lco.network.member) and its eco-map."""

    _inherit = "lco.case"

    network_member_ids = fields.One2many(
        "lco.network.member", "case_id", "Network", copy=False
    )
    # Drawn for whoever reads it: the SVG is made by _lco_network_svg, every
    # text escaped there; a sanitizer would strip the SVG.
    network_map = fields.Html(
        "Network Map", compute="_compute_network_map", sanitize=False
    )

    @api.depends_context("uid", "lang")
    @api.depends(
        "client_id.name",
        "network_member_ids.name",
        "network_member_ids.relationship",
        "network_member_ids.closeness",
        "network_member_ids.kind",
        "network_member_ids.status",
    )
    def _compute_network_map(self):
        for case in self:
            case.network_map = case._lco_network_svg()

    def _lco_network_members(self, partner=None):
        """The network members ``partner`` may see: all of them when the
        consent gives him the full picture (``_report_scopes``: the client
        always), none otherwise. Without ``partner``: those the current user's
        record rules let him read (the same rule for portal users)."""
        self.ensure_one()
        members = self.network_member_ids
        # The cache of the lines is shared by every user: the rules decide
        # again (the lines being added in a form are the user's own).
        saved = members.filtered("id")
        members = (members - saved) | saved._filtered_access("read")
        if partner is None:
            return members
        if not partner:
            # A letter to nobody (an anonymised case): nothing of the network.
            return members.browse()
        # sudo: only the scope of ``partner`` in this case is computed (the
        # consent lines are not for every reader).
        scope = self.sudo()._report_scopes(partner)[partner]
        return members if scope == "full" else members.browse()

    def _lco_network_svg(self, partner=None, svg_id="lco_network_map"):
        """The eco-map of the network ``partner`` may see (see
        ``_lco_network_members``), in the reader's language, as SVG markup."""
        self.ensure_one()
        members = self._lco_network_members(partner)
        client = self.client_id.name or self.client_name or self.name or ""
        return network_svg(
            self.env._("Network around %s", client),
            client,
            [
                {
                    "name": member.name or "",
                    "closeness": member.closeness,
                    "kind": member.kind,
                    "status": member.status,
                    "text": member._lco_text(),
                }
                for member in members
            ],
            {"empty": self.env._("No one of the network recorded yet.")},
            svg_id=svg_id,
        )
