from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ActivcreaResource(models.Model):
    _name = "activcrea.resource"
    _description = "Resource (contract lot)"
    _inherit = ["mail.thread", "activcrea.company.guard"]
    _order = "date_start desc, name"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    antenna_id = fields.Many2one(
        "activcrea.antenna",
        check_company=True,
        help="The resource funds actions at every site of this antenna.",
    )
    date_start = fields.Date("Contract start", tracking=True)
    date_end = fields.Date("Contract end", tracking=True)
    market_number = fields.Char(
        tracking=True, help="The market reference France Travail writes in its files."
    )
    lot_number = fields.Char(tracking=True)
    financer_id = fields.Many2one("res.partner", tracking=True)
    contractor_role = fields.Selection(
        [("lead", "Lead contractor"), ("co", "Co-contractor")],
        string="BGE is",
        default="lead",
        required=True,
    )
    lead_contractor_id = fields.Many2one(
        "res.partner", help="The lead contractor of the group, when the BGE is co-contractor."
    )
    ods_ids = fields.Many2many(
        "activcrea.ods",
        "activcrea_ods_resource_rel",
        "resource_id",
        "ods_id",
        string="Service offers",
        check_company=True,
    )
    ods_id = fields.Many2one(
        "activcrea.ods", string="Service offer", compute="_compute_ods_id", store=True, index=True
    )

    @api.depends("ods_ids")
    def _compute_ods_id(self):
        for resource in self:
            resource.ods_id = resource.ods_ids[:1]

    @api.constrains("ods_ids")
    def _check_single_ods(self):
        for resource in self:
            if len(resource.ods_ids) > 1:
                raise ValidationError(
                    self.env._(
                        'The resource "%(resource)s" is linked to several service offers '
                        "(%(offers)s). A resource must be linked to exactly one offer: the "
                        "import of France Travail's lists finds the offer from the resource.",
                        resource=resource.name,
                        offers=", ".join(resource.ods_ids.mapped("name")),
                    )
                )

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for resource in self:
            if (
                resource.date_start
                and resource.date_end
                and resource.date_end < resource.date_start
            ):
                raise ValidationError(
                    self.env._(
                        'The contract of "%(resource)s" ends before it starts.',
                        resource=resource.name,
                    )
                )

    @api.constrains("contractor_role", "lead_contractor_id")
    def _check_lead_contractor(self):
        for resource in self:
            if resource.contractor_role == "co" and not resource.lead_contractor_id:
                raise ValidationError(
                    self.env._(
                        'The BGE is co-contractor on "%(resource)s": set the lead contractor, '
                        "it is printed on the invoices.",
                        resource=resource.name,
                    )
                )
