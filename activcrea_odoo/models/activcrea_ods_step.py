from odoo import api, fields, models
from odoo.tools import SQL


class ActivcreaOdsStep(models.Model):
    _name = "activcrea.ods.step"
    _inherit = ["activcrea.company.guard"]
    _description = "ODS step"
    _order = "ods_id, sequence, id"

    ods_id = fields.Many2one("activcrea.ods", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="ods_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    action_type_id = fields.Many2one("activcrea.action.type", required=True, ondelete="restrict")
    # Translatable: slots and meetings are named after it in the user's language. A step
    # named after its action type takes all the action type's translations (see
    # _sync_name_translations); a step renamed by the user keeps its own name.
    name = fields.Char(
        compute="_compute_name",
        store=True,
        readonly=False,
        required=True,
        precompute=True,
        translate=True,
    )
    is_first = fields.Boolean(compute="_compute_is_first")

    @api.model
    def _sync_untranslated_names(self):
        """Steps holding their action type's English name only (written before the name
        was translatable, or before a language was loaded) take the action type's
        translations. Called after the addon's translations are loaded (installation,
        update, a language added); steps renamed by the user are left alone."""
        self.flush_model(["name", "action_type_id"])
        self.env["activcrea.action.type"].flush_model(["name"])
        self.env.cr.execute(
            """
            UPDATE activcrea_ods_step step
               SET name = action_type.name
              FROM activcrea_action_type action_type
             WHERE step.action_type_id = action_type.id
               AND step.name = jsonb_build_object('en_US', action_type.name->>'en_US')
               AND step.name <> action_type.name
            """
        )
        self.invalidate_model(["name"])

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

    @api.model_create_multi
    def create(self, vals_list):
        steps = super().create(vals_list)
        steps._sync_name_translations()
        return steps

    def write(self, vals):
        result = super().write(vals)
        if "name" in vals or "action_type_id" in vals:
            self._sync_name_translations()
        return result

    def _sync_name_translations(self):
        """A step named after its action type (in the current language) takes the action
        type's name in every language, exactly as stored: a French user who adds the
        diagnostic step gives an English user "Initial diagnostic interview", and a
        translation loaded later for the action type is not hidden by a copy of the
        English name."""
        named_after_type = self.filtered(
            lambda step: step.action_type_id and step.name == step.action_type_id.name
        )
        if not named_after_type:
            return
        named_after_type.flush_recordset(["name", "action_type_id"])
        self.env["activcrea.action.type"].flush_model(["name"])
        self.env.cr.execute(
            SQL(
                """
                UPDATE activcrea_ods_step step
                   SET name = action_type.name
                  FROM activcrea_action_type action_type
                 WHERE step.action_type_id = action_type.id
                   AND step.id IN %s
                """,
                tuple(named_after_type.ids),
            )
        )
        named_after_type.invalidate_recordset(["name"])
        named_after_type.modified(["name"])
