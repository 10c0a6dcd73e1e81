from odoo import fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    activcrea_site_ids = fields.Many2many(
        "activcrea.site",
        "activcrea_site_res_users_rel",
        "user_id",
        "site_id",
        string="Activ'Créa sites",
        help="The sites this counselor works at; the assignment of registrants relies on it.",
    )
