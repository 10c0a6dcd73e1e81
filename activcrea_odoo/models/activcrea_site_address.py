from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..rules.sites import normalize_address


class ActivcreaSiteAddress(models.Model):
    _name = "activcrea.site.address"
    _inherit = ["activcrea.company.guard"]
    _description = "Site address in France Travail files"
    _order = "site_id, id"

    name = fields.Char(
        "Address in France Travail files",
        required=True,
        help="Paste the address exactly as France Travail writes it.",
    )
    site_id = fields.Many2one("activcrea.site", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="site_id.company_id", store=True, index=True)
    normalized = fields.Char(compute="_compute_normalized", store=True, index=True)

    @api.depends("name")
    def _compute_normalized(self):
        for address in self:
            address.normalized = normalize_address(address.name)

    @api.constrains("name", "site_id")
    def _check_unique_per_company(self):
        for address in self:
            if not address.normalized:
                raise ValidationError(self.env._("A France Travail address cannot be empty."))
            other = self.search(
                [
                    ("id", "!=", address.id),
                    ("normalized", "=", address.normalized),
                    ("company_id", "=", address.company_id.id),
                ],
                limit=1,
            )
            if other:
                raise ValidationError(
                    self.env._(
                        'The France Travail address "%(address)s" is already used by the site '
                        '"%(site)s": an imported row could not tell the two sites apart.',
                        address=address.name,
                        site=other.site_id.display_name,
                    )
                )

    @api.model
    def _alias_index(self, company_ids):
        """Normalized address -> site id, for every active site of the given companies."""
        rows = self.search_read(
            [("company_id", "in", list(company_ids)), ("site_id.active", "=", True)],
            ["normalized", "site_id"],
        )
        return {row["normalized"]: row["site_id"][0] for row in rows}
