from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..rules import deliverables as rules
from ..rules.messages import render_all

# The report of each deliverable, and the field recording when it was last printed.
REPORTS = {
    rules.DIAGNOSTIC: "activcrea_odoo.action_report_deliverable_diagnostic",
    rules.BILAN: "activcrea_odoo.action_report_deliverable_bilan",
    rules.ATTENDANCE: "activcrea_odoo.action_report_deliverable_attendance",
}
PRINTED_FIELDS = {
    rules.DIAGNOSTIC: "diagnostic_printed_date",
    rules.BILAN: "bilan_printed_date",
    rules.ATTENDANCE: "attendance_printed_date",
}
# What rules.check reads, by field of the enrolment
FACT_FIELDS = {
    "resource": "resource_id",
    "site": "site_id",
    "start_date": "start_date",
    "order_number": "order_number",
    "ft_advisor": "ft_advisor",
    "ft_agency_code": "ft_agency_code",
    "diagnostic_date": "diagnostic_date",
    "diagnostic_outcome": "diagnostic_outcome",
    "bilan_date": "bilan_date",
    "bilan_outcome": "bilan_outcome",
    "bilan_reason": "bilan_reason_id",
    "early_exit_date": "early_exit_date",
    "early_exit_reason": "early_exit_reason_id",
    "abandon_date": "abandon_date",
    "abandon_reason": "abandon_reason_id",
    "deposit_diagnostic_date": "deposit_diagnostic_date",
    "deposit_bilan_date": "deposit_bilan_date",
}


# The deliverables in a file of their own, as billing has: the enrolment's file is busy enough.
class ActivcreaEnrolment(models.Model):
    _inherit = "activcrea.enrolment"  # pylint: disable=consider-merging-classes-inherited

    diagnostic_printed_date = fields.Date(
        "Diagnostic report printed on", copy=False, readonly=True
    )
    bilan_printed_date = fields.Date("End-of-service report printed on", copy=False, readonly=True)
    attendance_printed_date = fields.Date("Attendance sheet printed on", copy=False, readonly=True)

    # Reading ----------------------------------------------------------------------------
    def _deliverable_tz(self):
        return self.env.context.get("tz") or self.env.user.tz or "Europe/Paris"

    def _deliverable_action_rows(self):
        """The actions of the enrolments, in one query: (partner, ODS) -> [(event id,
        attendee's attendance, local start date)], in chronological order. An action is an
        active event of the enrolment's offer the person attends."""
        rows = self._query_actions(
            SQL(
                """a.partner_id, ev.activcrea_ods_id, ev.id, a.activcrea_attended,
                       (ev.start AT TIME ZONE 'UTC' AT TIME ZONE %s)::date""",
                self._deliverable_tz(),
            ),
            SQL("ORDER BY ev.start, ev.id"),
        )
        actions = {}
        for partner, ods, event, attended, day in rows:
            actions.setdefault((partner, ods), []).append((event, attended, day))
        return actions

    def _deliverable_facts(self):
        """id -> what rules.deliverables reads of each enrolment, read in batch."""
        action_rows = self._deliverable_action_rows()
        facts = {}
        for enrolment in self:
            actions = action_rows.get((enrolment.partner_id.id, enrolment.ods_id.id), [])
            values = {key: enrolment[name] for key, name in FACT_FIELDS.items()}
            values["first_action_date"] = actions[0][2] if actions else None
            facts[enrolment.id] = values
        return facts

    def _deliverable_problems(self, document):
        """id -> the messages refusing ``document`` (empty list when it may be printed)."""
        facts = self._deliverable_facts()
        return {enrolment.id: rules.check(document, facts[enrolment.id]) for enrolment in self}

    def _deliverable_label(self, document):
        labels = {
            rules.DIAGNOSTIC: self.env._("Initial diagnostic report"),
            rules.BILAN: self.env._("End-of-service report"),
            rules.ATTENDANCE: self.env._("Attendance sheet"),
        }
        return labels[document]

    def _check_deliverable(self, document):
        """Refuse to print ``document`` with every problem of every enrolment at once."""
        problems = self._deliverable_problems(document)
        lines = []
        for enrolment in self:
            messages = problems[enrolment.id]
            if messages:
                lines.append(f"{enrolment.display_name}:")
                lines += [f"- {line}" for line in render_all(messages, self.env._).splitlines()]
        if lines:
            raise UserError(
                self.env._(
                    "The %(document)s cannot be printed yet:\n%(problems)s",
                    document=self._deliverable_label(document).lower(),
                    problems="\n".join(lines),
                )
            )

    def _deliverable_file_name(self, document, extension=True):
        """``<France Travail id>_<LAST>_<First>_<document>.pdf``: the report's file and
        attachment name, and the name in the deposit pack (without ``.pdf`` for the
        report's download name: Odoo adds it)."""
        self.ensure_one()
        name = rules.file_name(self.france_travail_id, self.partner_id.name, document)
        return name if extension else name.removesuffix(".pdf")

    def _deliverable_actions(self):
        """id -> the enrolment's actions (calendar.event records, with their attendee's
        attendance): what the end-of-service report and the attendance sheet list."""
        rows = self._deliverable_action_rows()
        events = self.env["calendar.event"].browse(
            {event for actions in rows.values() for event, _attended, _day in actions}
        )
        events.fetch(["start", "stop", "allday", "user_id", "location", "name"])
        result = {}
        for enrolment in self:
            actions = rows.get((enrolment.partner_id.id, enrolment.ods_id.id), [])
            result[enrolment.id] = [
                {"event": events.browse(event), "attended": attended, "date": day}
                for event, attended, day in actions
            ]
        return result

    # Printing ---------------------------------------------------------------------------
    def _print_deliverable(self, document):
        self._check_deliverable(document)
        return self.env.ref(REPORTS[document]).report_action(self)

    def action_print_diagnostic(self):
        return self._print_deliverable(rules.DIAGNOSTIC)

    def action_print_bilan(self):
        return self._print_deliverable(rules.BILAN)

    def action_print_attendance_sheet(self):
        return self._print_deliverable(rules.ATTENDANCE)

    def _deliverable_printed(self, document):
        """After ``document`` was rendered as PDF: record the date and post the PDF Odoo
        saved as attachment (the report's attachment option) in the chatter."""
        names = {enrolment.id: enrolment._deliverable_file_name(document) for enrolment in self}
        attachments = self.env["ir.attachment"].sudo().search(
            [
                ("res_model", "=", self._name),
                ("res_id", "in", self.ids),
                ("name", "in", list(set(names.values()))),
            ],
            order="id desc",
        )
        latest = {}
        for attachment in attachments:
            if attachment.name == names.get(attachment.res_id):
                latest.setdefault(attachment.res_id, attachment)
        today = fields.Date.context_today(self)
        label = self._deliverable_label(document)
        self.sudo().write({PRINTED_FIELDS[document]: today})
        for enrolment in self.sudo():
            attachment = latest.get(enrolment.id)
            enrolment.message_post(
                body=self.env._("%(document)s printed.", document=label),
                attachment_ids=attachment.ids,
                author_id=self.env.user.partner_id.id,
                subtype_xmlid="mail.mt_note",
            )

    # Deposit ----------------------------------------------------------------------------
    def _deliverables_due_domain(self):
        """Enrolments with a deliverable due and not deposited (rules.due_documents):
        the dashboard's filter « Deliverables due, not deposited » holds the same domain."""
        return [
            "|",
            "&",
            ("diagnostic_outcome", "!=", False),
            ("deposit_diagnostic_date", "=", False),
            "&",
            "&",
            ("diagnostic_outcome", "=", "continued"),
            ("situation", "in", ["bilan", "early_exit", "abandoned"]),
            ("deposit_bilan_date", "=", False),
        ]
