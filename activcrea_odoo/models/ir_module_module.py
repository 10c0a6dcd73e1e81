from odoo import models


class IrModuleModule(models.Model):
    _inherit = "ir.module.module"

    def _load_module_terms(self, modules, langs, overwrite=False, imported_module=False):
        """Once the addon's translations are loaded (installation, update, a language
        added), the ODS steps still named in English only take their action type's."""
        result = super()._load_module_terms(
            modules, langs, overwrite=overwrite, imported_module=imported_module
        )
        if "activcrea_odoo" in modules and "activcrea.ods.step" in self.env:
            self.env["activcrea.ods.step"]._sync_untranslated_names()
        return result
