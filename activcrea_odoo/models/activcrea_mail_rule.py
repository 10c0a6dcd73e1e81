import logging
import threading

import pytz

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ..rules import mailing

_logger = logging.getLogger(__name__)


class ActivcreaMailRule(models.Model):
    """An automatic e-mail of the service: which registrations, which template, when.

    The hourly job (:meth:`_cron_send`) acts on the rules whose hour has come: it finds the
    registrations due in one query per rule, renders the template for all of them at once,
    queues the e-mails (``mail.mail``, sent by Odoo's mail queue) with a copy in each
    person's chatter, and logs each send in the same transaction (``activcrea.mail.log``,
    unique per rule, enrolment and meeting): a crash before the commit sends nothing, a
    second run sends nothing again.
    """

    _name = "activcrea.mail.rule"
    _inherit = ["activcrea.company.guard"]
    _description = "Activ'Créa automatic e-mail"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        default=lambda self: self.env.company,
        index=True,
        help="Empty: the rule acts for every company.",
    )
    ods_id = fields.Many2one(
        "activcrea.ods",
        string="ODS",
        check_company=True,
        ondelete="cascade",
        help="Empty: every Activ'Créa offer.",
    )
    confirmation = fields.Selection(
        [
            (mailing.CONFIRMED_ANY, "Any"),
            (mailing.CONFIRMED_YES, "Confirmed"),
            (mailing.CONFIRMED_NO, "Not confirmed"),
        ],
        required=True,
        default=mailing.CONFIRMED_ANY,
        help="Confirmed: France Travail's validated list (J-2) carries an order number. Not "
        "confirmed: it does not, and the registration is cancelled. Any: every registration "
        "still on.",
    )
    condition = fields.Selection(
        [
            (mailing.CONDITION_NONE, "Everyone"),
            (mailing.CONDITION_NEVER_LOGGED_IN, "Never logged in to the portal"),
        ],
        required=True,
        default=mailing.CONDITION_NONE,
    )
    anchor = fields.Selection(
        [
            (mailing.ANCHOR_MEETING, "Meeting date"),
            (mailing.ANCHOR_REGISTRATION, "Registration date (import)"),
        ],
        string="Days counted from",
        required=True,
        default=mailing.ANCHOR_MEETING,
    )
    offset_days = fields.Integer(
        "Delay (days)",
        help="Days from the meeting (or the registration): -2 sends two days before the "
        "meeting, 0 on the day of the registration.",
    )
    send_hour = fields.Float(
        "Send at", default=mailing.DEFAULT_SEND_HOUR, help="Paris time (Europe/Paris)."
    )
    template_id = fields.Many2one(
        "mail.template",
        string="E-mail template",
        required=True,
        domain="[('model', '=', 'activcrea.enrolment')]",
        ondelete="restrict",
    )
    log_count = fields.Integer("E-mails sent", compute="_compute_log_count")

    _sql_constraints = [
        ("send_hour_range", "CHECK(send_hour >= 0 AND send_hour < 24)", "The hour is 0 to 23:59."),
    ]

    def _compute_log_count(self):
        counts = dict(
            self.env["activcrea.mail.log"]._read_group(
                [("rule_id", "in", self.ids)], ["rule_id"], ["__count"]
            )
        )
        for rule in self:
            rule.log_count = counts.get(rule, 0)

    @api.constrains("template_id")
    def _check_template_model(self):
        for rule in self:
            if rule.template_id.model != "activcrea.enrolment":
                raise ValidationError(
                    self.env._("The template of an Activ'Créa e-mail must be one of enrolments.")
                )

    def action_view_logs(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("E-mails sent"),
            "res_model": "activcrea.mail.log",
            "view_mode": "list,form",
            "domain": [("rule_id", "=", self.id)],
        }

    # Sending -----------------------------------------------------------------------------
    @api.model
    def _now_local(self):
        now = fields.Datetime.now()
        return pytz.utc.localize(now).astimezone(pytz.timezone(mailing.TIME_ZONE)).replace(
            tzinfo=None
        )

    @api.model
    def _cron_send(self, commit=False):
        """Hourly: every active rule whose hour has come sends to the registrations due.
        With ``commit`` (the job), each rule's mails and log are committed together."""
        commit = commit and not getattr(threading.current_thread(), "testing", False)
        now_local = self._now_local()
        total = 0
        for rule in self.search([("template_id", "!=", False)]):
            count = rule._send_due(now_local)
            total += count
            if count and commit:
                # the mails of a rule and their log, together: a crash later resends nothing
                self.env.cr.commit()  # pylint: disable=invalid-commit
        _logger.info("Activ'Créa e-mails queued: %s", total)
        return total

    def _due_rows(self, now_local):
        """The registrations whose anchor date is due now, in one query."""
        self.ensure_one()
        anchor = mailing.anchor_date(now_local, self.send_hour, self.offset_days)
        for model, names in (
            ("activcrea.enrolment", ["activcrea_meeting_id", "activcrea_registered_on",
                                     "activcrea_cancelled_on", "confirmation", "active",
                                     "ods_id", "company_id", "is_activcrea"]),
            ("calendar.event", ["start", "active"]),
            ("res.partner", ["email", "active"]),
            ("activcrea.mail.log", ["rule_id", "enrolment_id", "event_id"]),
        ):
            self.env[model].flush_model(names)
        if self.anchor == mailing.ANCHOR_MEETING:
            anchor_sql = SQL(
                "(ev.start AT TIME ZONE 'UTC' AT TIME ZONE %s)::date = %s",
                mailing.TIME_ZONE,
                anchor,
            )
        else:
            anchor_sql = SQL("e.activcrea_registered_on = %s", anchor)
        return self.env.execute_query_dict(
            SQL(
                """
                SELECT e.id AS enrolment_id, ev.id AS event_id, e.partner_id,
                       e.confirmation, e.activcrea_cancelled_on IS NOT NULL AS cancelled,
                       coalesce(p.email, '') != '' AS has_email,
                       (ev.start AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s) AS meeting_start,
                       EXISTS (SELECT 1 FROM res_users u JOIN res_users_log l
                                   ON l.create_uid = u.id
                                WHERE u.partner_id = e.partner_id) AS logged_in
                  FROM activcrea_enrolment e
                  JOIN calendar_event ev ON ev.id = e.activcrea_meeting_id
                  JOIN res_partner p ON p.id = e.partner_id
                 WHERE %(ods)s
                   AND %(company)s
                   AND %(anchor)s
                   AND (e.active OR e.activcrea_cancelled_on IS NOT NULL)
                   AND NOT EXISTS (SELECT 1 FROM activcrea_mail_log lg
                                    WHERE lg.rule_id = %(rule)s
                                      AND lg.enrolment_id = e.id
                                      AND lg.event_id = ev.id)
                 ORDER BY e.id
                """,
                tz=mailing.TIME_ZONE,
                ods=SQL("e.ods_id = %s", self.ods_id.id) if self.ods_id else SQL("e.is_activcrea"),
                company=(
                    SQL("e.company_id = %s", self.company_id.id) if self.company_id else SQL("TRUE")
                ),
                anchor=anchor_sql,
                rule=self.id,
            )
        )

    def _send_due(self, now_local):
        """Queue this rule's mail for every registration due now; return how many."""
        self.ensure_one()
        rule = mailing.Rule(
            self.id,
            confirmation=self.confirmation,
            condition=self.condition,
            anchor=self.anchor,
            offset_days=self.offset_days,
            send_hour=self.send_hour,
        )
        registrations = [mailing.Registration(**row) for row in self._due_rows(now_local)]
        due = mailing.registrations_to_send(rule, registrations, set(), now_local)
        if not due:
            return 0
        # the rows are locked: a second job running at the same time waits, then finds
        # them logged (and the unique key refuses a double log in any case)
        self.env.cr.execute(
            "SELECT id FROM activcrea_enrolment WHERE id IN %s FOR UPDATE",
            [tuple(reg.enrolment_id for reg in due)],
        )
        return self._queue(due)

    def _queue(self, due):
        """Render the template for ``due`` in batch, queue the mails, log them."""
        template = self.template_id.sudo()
        res_ids = [reg.enrolment_id for reg in due]
        # Odoo's own rendering, as mail.template.send_mail_batch does it, attachments and
        # reports included; the mails are then posted on the person (send_mail_batch would
        # post them on the enrolment the template renders).
        values = template._generate_template(
            res_ids,
            (
                "subject",
                "body_html",
                "email_from",
                "reply_to",
                "attachment_ids",
                "report_template_ids",
                "mail_server_id",
                "scheduled_date",
            ),
        )
        subtype = self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_comment")
        enrolments = self.env["activcrea.enrolment"].sudo().browse(res_ids)
        company_of = {e.id: e.company_id for e in enrolments}
        mail_values = []
        for reg in due:
            rendered = values[reg.enrolment_id]
            mail_values.append(
                {
                    "model": "res.partner",
                    "res_id": reg.partner_id,
                    "message_type": "comment",
                    "subtype_id": subtype,
                    "author_id": company_of[reg.enrolment_id].partner_id.id,
                    "email_from": rendered.get("email_from")
                    or company_of[reg.enrolment_id].email_formatted,
                    "reply_to": rendered.get("reply_to") or False,
                    "subject": rendered.get("subject"),
                    "body_html": rendered.get("body_html"),
                    "body": rendered.get("body_html"),
                    "recipient_ids": [(4, reg.partner_id)],
                    "attachment_ids": [(4, aid) for aid in rendered.get("attachment_ids") or []],
                    "mail_server_id": rendered.get("mail_server_id") or False,
                    "scheduled_date": rendered.get("scheduled_date") or False,
                    "auto_delete": False,
                    "is_notification": True,
                    "state": "outgoing",
                }
            )
        mails = self.env["mail.mail"].sudo().create(mail_values)
        for reg, mail in zip(due, mails, strict=True):
            reports = values[reg.enrolment_id].get("attachments")
            if reports:  # rendered reports, attached after creation as send_mail_batch does
                mail.with_context(default_type=None).write(
                    {
                        "attachment_ids": [
                            (
                                0,
                                0,
                                {
                                    "name": name,
                                    "datas": datas,
                                    "type": "binary",
                                    "res_model": "mail.message",
                                    "res_id": mail.mail_message_id.id,
                                },
                            )
                            for name, datas in reports
                        ]
                    }
                )
        self.env["activcrea.mail.log"].sudo().create(
            [
                {
                    "rule_id": self.id,
                    "enrolment_id": reg.enrolment_id,
                    "event_id": reg.event_id,
                    "partner_id": reg.partner_id,
                    "mail_id": mail.id,
                    "company_id": company_of[reg.enrolment_id].id,
                }
                for reg, mail in zip(due, mails, strict=True)
            ]
        )
        return len(mails)
