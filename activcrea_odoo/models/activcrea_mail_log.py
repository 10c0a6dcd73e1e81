from odoo import fields, models


class ActivcreaMailLog(models.Model):
    """One automatic e-mail queued for one registration: the key that sends it once."""

    _name = "activcrea.mail.log"
    _inherit = ["activcrea.company.guard"]
    _description = "Activ'Créa e-mail sent"
    _order = "id desc"
    _log_access = True

    rule_id = fields.Many2one(
        "activcrea.mail.rule", required=True, ondelete="cascade", index=True
    )
    enrolment_id = fields.Many2one(
        "activcrea.enrolment", required=True, ondelete="cascade", index=True
    )
    event_id = fields.Many2one("calendar.event", string="Meeting", ondelete="set null")
    partner_id = fields.Many2one(
        "res.partner", string="Person", ondelete="cascade", index=True
    )
    mail_id = fields.Many2one("mail.mail", string="E-mail", ondelete="set null")
    company_id = fields.Many2one("res.company", required=True, index=True)
    # create_date: when it was queued

    _sql_constraints = [
        (
            "rule_registration_uniq",
            "unique(rule_id, enrolment_id, event_id)",
            "This e-mail was already sent for this registration and meeting.",
        ),
    ]
