from odoo import fields, models


class ActivcreaReason(models.Model):
    _name = "activcrea.reason"
    _description = "Outcome reason"
    _order = "kind, sequence, id"

    name = fields.Char(required=True, translate=True)
    kind = fields.Selection(
        [
            ("bilan", "Bilan outcome"),
            ("early_exit", "Early exit"),
            ("abandon", "Abandonment"),
        ],
        required=True,
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
