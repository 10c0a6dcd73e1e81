from odoo import api, models
from odoo.exceptions import UserError


class AccountResequenceWizard(models.TransientModel):
    """Resequencing is not allowed in France: the wizard refuses the Activ'Créa journals,
    whose numbers come from a gapless counter."""

    _inherit = "account.resequence.wizard"

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        self._check_not_activcrea(self.env["account.move"].browse(
            (values.get("move_ids") or [(6, 0, [])])[0][2]
        ))
        return values

    def _check_not_activcrea(self, moves):
        if moves.journal_id.filtered("activcrea_invoicing"):
            raise UserError(
                self.env._(
                    "The Activ'Créa invoices cannot be renumbered: their numbers follow one "
                    "gapless sequence per legal entity, and French law forbids renumbering "
                    "issued invoices."
                )
            )

    def resequence(self):
        for wizard in self:
            self._check_not_activcrea(wizard.move_ids)
        return super().resequence()
