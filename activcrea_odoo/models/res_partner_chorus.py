from odoo import fields, models


# pylint: disable=consider-merging-classes-inherited
# kept apart on purpose: res_partner.py is the person's side (import), this is billing's
class ResPartner(models.Model):
    """The financer's Chorus Pro service code (« code service »), copied to the invoices'
    buyer reference. Kept apart from ``res_partner.py`` (the people's fields)."""

    _inherit = "res.partner"

    activcrea_chorus_service_code = fields.Char(
        "Chorus Pro service code",
        help="The financer's service code in Chorus Pro (« service exécutant »); printed as "
        "the buyer reference of the Activ'Créa invoices.",
    )
