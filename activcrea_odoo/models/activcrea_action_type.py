from odoo import fields, models

KINDS = [
    ("diagnostic", "Initial diagnostic interview"),
    ("coaching", "Individual coaching"),
    ("workshop", "Workshop"),
    ("bilan", "Final bilan interview"),
    ("other", "Other"),
]


class ActivcreaActionType(models.Model):
    _name = "activcrea.action.type"
    _description = "Action type"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    kind = fields.Selection(KINDS, required=True, default="other")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
