from odoo import fields, models


class ActivcreaAntenna(models.Model):
    _name = "activcrea.antenna"
    _inherit = ["activcrea.company.guard"]
    _description = "Antenna"
    _order = "name"
    _check_company_auto = True

    name = fields.Char(required=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        help="The company that invoices the actions of this antenna's sites.",
    )
    site_ids = fields.One2many("activcrea.site", "antenna_id", string="Sites")
    active = fields.Boolean(default=True)
