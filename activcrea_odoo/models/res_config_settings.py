from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    activcrea_slot_minutes = fields.Integer(
        "Appointment length (minutes)",
        config_parameter="activcrea_odoo.slot_minutes",
        default=60,
    )
    activcrea_alert_ending_days = fields.Integer(
        "Alert: ends soon after (days)",
        config_parameter="activcrea_odoo.alert_ending_days",
        default=83,
    )
    activcrea_alert_overdue_days = fields.Integer(
        "Alert: theoretical end passed after (days)",
        config_parameter="activcrea_odoo.alert_overdue_days",
        default=90,
    )
    activcrea_presentation_url = fields.Char(
        "Presentation page of the service",
        config_parameter="activcrea_odoo.presentation_url",
        help="Link given in the e-mail sent after the import.",
    )
    activcrea_purge_days = fields.Integer(
        "Delete cancelled registrants after (days)",
        config_parameter="activcrea_odoo.purge_days",
        default=5,
    )
