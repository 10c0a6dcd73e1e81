from odoo import api, models


class IrUiMenu(models.Model):
    """The Assignment menu shows how many registrants still wait for a counselor, so that
    nobody forgets a person France Travail sent: « Assignment (3) »."""

    _inherit = "ir.ui.menu"

    @api.model
    def load_web_menus(self, debug):
        menus = super().load_web_menus(debug)
        menu_id = self.env["ir.model.data"]._xmlid_to_res_id(
            "activcrea_odoo.menu_activcrea_assignment", raise_if_not_found=False
        )
        menu = menus.get(menu_id) if menu_id else None
        if menu:
            count = self.env["activcrea.assignment"].get_to_assign_count()
            if count:
                menu["name"] = f"{menu['name']} ({count})"
        return menus
