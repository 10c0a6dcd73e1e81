import hashlib

from odoo import models


class IrHttp(models.AbstractModel):
    """The browser keeps the menus as long as their hash does not change: the number of
    registrants to assign (the Assignment menu's counter) goes into the hash."""

    _inherit = "ir.http"

    def session_info(self):
        info = super().session_info()
        hashes = info.get("cache_hashes") or {}
        if hashes.get("load_menus"):
            count = self.env["activcrea.assignment"].get_to_assign_count()
            if count:
                key = f"{hashes['load_menus']}-activcrea-to-assign-{count}".encode()
                hashes["load_menus"] = hashlib.sha512(key).hexdigest()[:64]
        return info
