from odoo import fields, models
from odoo.exceptions import UserError


class ActivcreaImportAddress(models.Model):
    """An address of the file that matches no site: attach it to a site in one click."""

    _name = "activcrea.import.address"
    _inherit = ["activcrea.company.guard"]
    _description = "Unknown site address of an import"
    _check_company_auto = True

    import_id = fields.Many2one("activcrea.import", required=True, ondelete="cascade", index=True)
    # France Travail's address strings and row counts belong to the import's company
    company_id = fields.Many2one(related="import_id.company_id", store=True, index=True)
    name = fields.Char("Address in the file", required=True)
    row_count = fields.Integer("Rows")
    site_id = fields.Many2one(
        "activcrea.site",
        string="Attach to site",
        domain="[('company_id', '=', parent.company_id)]",
        check_company=True,
    )

    def action_attach(self):
        for address in self:
            if not address.site_id:
                raise UserError(
                    self.env._(
                        'Choose the site that the address "%(address)s" designates.',
                        address=address.name,
                    )
                )
            self.env["activcrea.site.address"].create(
                {"name": address.name, "site_id": address.site_id.id}
            )
        imports = self.import_id
        self.unlink()
        imports.action_preview()
        return True
