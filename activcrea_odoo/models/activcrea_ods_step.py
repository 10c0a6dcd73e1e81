from odoo import api, fields, models


class ActivcreaOdsStep(models.Model):
    _name = "activcrea.ods.step"
    _description = "ODS step"
    _order = "ods_id, sequence, id"

    ods_id = fields.Many2one("activcrea.ods", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="ods_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    action_type_id = fields.Many2one("activcrea.action.type", required=True, ondelete="restrict")
    name = fields.Char(
        compute="_compute_name", store=True, readonly=False, required=True, precompute=True
    )
    is_first = fields.Boolean(compute="_compute_is_first")

    @api.depends("action_type_id")
    def _compute_name(self):
        for step in self:
            step.name = step.action_type_id.name

    @api.depends("ods_id.first_step_id")
    def _compute_is_first(self):
        for step in self:
            step.is_first = step.ods_id.first_step_id == step

    @api.constrains("sequence", "action_type_id")
    def _check_first_step_is_diagnostic(self):
        self.ods_id._check_first_step_is_diagnostic()
