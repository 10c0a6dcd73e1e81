from odoo import fields, models


class ActivcreaSite(models.Model):
    _name = "activcrea.site"
    _inherit = ["activcrea.company.guard"]
    _description = "Site"
    _order = "name"
    _check_company_auto = True

    name = fields.Char(required=True)
    antenna_id = fields.Many2one(
        "activcrea.antenna", required=True, ondelete="restrict", check_company=True
    )
    company_id = fields.Many2one(
        related="antenna_id.company_id", store=True, index=True, string="Company"
    )
    address_id = fields.Many2one(
        "res.partner",
        string="Postal address",
        help="Where the meetings take place; printed on the invoices.",
    )
    address_ids = fields.One2many(
        "activcrea.site.address",
        "site_id",
        string="France Travail addresses",
        help="The address strings France Travail writes in its files for this site. "
        "An imported row is matched to the site when its address equals one of them, "
        "ignoring case, accents, punctuation and repeated spaces.",
    )
    user_ids = fields.Many2many(
        "res.users",
        "activcrea_site_res_users_rel",
        "site_id",
        "user_id",
        string="Counselors",
        domain=lambda self: [
            ("groups_id", "in", self.env.ref("activcrea_odoo.group_activcrea_counselor").id)
        ],
    )
    ods_ids = fields.Many2many(
        "activcrea.ods", "activcrea_ods_site_rel", "site_id", "ods_id", string="Service offers"
    )
    active = fields.Boolean(default=True)
