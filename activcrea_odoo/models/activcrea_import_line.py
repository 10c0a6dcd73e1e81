from odoo import fields, models

LINE_STATUSES = [
    ("new", "New person"),
    ("update", "Update"),
    ("unchanged", "Already imported"),
    ("skipped", "Skipped"),
    ("error", "Error"),
]


class ActivcreaImportLine(models.Model):
    _name = "activcrea.import.line"
    _inherit = ["activcrea.company.guard"]
    _description = "Row of an Activ'Créa import"
    _order = "import_id, line_number"

    import_id = fields.Many2one("activcrea.import", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="import_id.company_id", store=True)
    line_number = fields.Integer("Row", required=True)
    status = fields.Selection(LINE_STATUSES, required=True)
    message = fields.Text()
    name = fields.Char("Person")
    france_travail_id = fields.Char("France Travail identifier")
    order_number = fields.Char()
    meeting = fields.Datetime("Meeting date")
    location = fields.Char("Address in the file")
    site_id = fields.Many2one("activcrea.site")
    partner_id = fields.Many2one("res.partner", string="Person record", ondelete="set null")
    enrolment_id = fields.Many2one("activcrea.enrolment", ondelete="set null")
    event_id = fields.Many2one("calendar.event", string="Meeting", ondelete="set null")
    not_confirmed = fields.Boolean(
        help="France Travail's validated list carries no order number for this person."
    )
