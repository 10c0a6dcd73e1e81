from odoo import api, fields, models
from odoo.exceptions import ValidationError

SPECIAL_SERVICES = [("activcrea_2025", "Activ'Créa 2025")]


class ActivcreaOds(models.Model):
    _name = "activcrea.ods"
    _description = "Service offer (ODS)"
    _inherit = ["mail.thread", "activcrea.company.guard"]
    _order = "name"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    special_service = fields.Selection(
        SPECIAL_SERVICES,
        tracking=True,
        help="Activ'Créa 2025 drives every special behaviour: planning export, import, "
        "assignment, tracking dashboard, deliverables and invoicing.",
    )
    is_activcrea = fields.Boolean(compute="_compute_is_activcrea", store=True)
    step_ids = fields.One2many("activcrea.ods.step", "ods_id", string="Steps", copy=True)
    first_step_id = fields.Many2one(
        "activcrea.ods.step", compute="_compute_first_step_id", store=True
    )
    site_ids = fields.Many2many(
        "activcrea.site",
        "activcrea_ods_site_rel",
        "ods_id",
        "site_id",
        string="Sites",
        check_company=True,
    )
    resource_ids = fields.Many2many(
        "activcrea.resource",
        "activcrea_ods_resource_rel",
        "ods_id",
        "resource_id",
        string="Resources",
        check_company=True,
        help="The funding lines of this offer: one resource per lot of the contract.",
    )
    duration_days = fields.Integer(
        "Theoretical duration (days)",
        default=90,
        help="Gives the theoretical end date of an enrolment from its start date.",
    )
    survey_id = fields.Many2one(
        "survey.survey",
        string="Pre-appointment questionnaire",
        default=lambda self: self.env.ref(
            "activcrea_odoo.survey_activcrea_diagnostic", raise_if_not_found=False
        ),
        help="Sent with the welcome e-mail and offered in the portal; the answers show on the "
        "enrolment before the first meeting.",
    )

    @api.depends("special_service")
    def _compute_is_activcrea(self):
        for ods in self:
            ods.is_activcrea = ods.special_service == "activcrea_2025"

    @api.depends("step_ids.sequence")
    def _compute_first_step_id(self):
        for ods in self:
            ods.first_step_id = ods.step_ids.sorted(lambda s: (s.sequence, s.id))[:1]

    @api.constrains("special_service", "step_ids")
    def _check_first_step_is_diagnostic(self):
        for ods in self.filtered("is_activcrea"):
            first = ods.step_ids.sorted(lambda s: (s.sequence, s.id))[:1]
            if first and first.action_type_id.kind != "diagnostic":
                raise ValidationError(
                    self.env._(
                        'The first step of the Activ\'Créa offer "%(ods)s" is "%(step)s": it '
                        "must be the initial diagnostic interview. The planning export and the "
                        "assignment only look at the actions of the first step; move the "
                        "diagnostic to the top of the steps.",
                        ods=ods.name,
                        step=first.display_name,
                    )
                )

    @api.constrains("resource_ids")
    def _check_resource_single_ods(self):
        self.resource_ids._check_single_ods()

    @api.constrains("duration_days")
    def _check_duration(self):
        for ods in self:
            if ods.duration_days <= 0:
                raise ValidationError(
                    self.env._("The theoretical duration must be a positive number of days.")
                )
