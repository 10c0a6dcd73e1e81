from odoo import fields, models


class CalendarAttendee(models.Model):
    _inherit = "calendar.attendee"

    activcrea_confirmed = fields.Boolean(
        "Confirmed by France Travail",
        help="France Travail sent the order (bon de commande) for this registration.",
    )
    activcrea_attended = fields.Selection(
        [("yes", "Yes"), ("no", "No")],
        string="Attended",
        help="Only actions attended « yes » count as past actions of the enrolment.",
    )
