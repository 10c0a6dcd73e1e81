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

    def _subscribe_partner(self):
        # An import adds thousands of registrants to their meetings: they get the service's
        # own e-mails, not the meeting's chatter, so they do not follow it.
        if self.env.context.get("activcrea_import"):
            return
        super()._subscribe_partner()
