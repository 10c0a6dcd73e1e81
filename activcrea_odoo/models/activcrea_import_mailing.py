from odoo import models

from ..rules.messages import render_all


class ActivcreaImport(models.Model):
    """What a confirmed import starts for the registrations it wrote: the meeting the
    e-mails count from, portal access and the questionnaire (J-10 and new people at J-2),
    the cancellation of those France Travail did not confirm (J-2)."""

    _inherit = "activcrea.import"

    def _activcrea_after_import(self):
        """Called once the import is written (same transaction)."""
        self.ensure_one()
        today = self.env["activcrea.mail.rule"]._now_local().date()
        lines = self._written_lines().filtered(lambda line: line.enrolment_id)
        Enrolment = self.env["activcrea.enrolment"].sudo().with_context(active_test=False)
        enrolments = Enrolment.browse(lines.enrolment_id.ids)
        # read once for all the lines, then one write per meeting (not one per line)
        enrolments.fetch(["activcrea_meeting_id", "confirmation", "activcrea_cancelled_on"])
        meeting_of = {}  # enrolment id -> its new meeting (the last line's, as before)
        for line in lines:
            enrolment_id = line.enrolment_id.id
            current = meeting_of.get(
                enrolment_id, Enrolment.browse(enrolment_id).activcrea_meeting_id  # cached
            )
            if line.event_id and current != line.event_id:
                meeting_of[enrolment_id] = line.event_id
        moved = {}
        for enrolment_id, event in meeting_of.items():
            moved[event] = moved.get(event, Enrolment) | Enrolment.browse(enrolment_id)
        for event, records in moved.items():
            records.write({"activcrea_meeting_id": event.id, "activcrea_registered_on": today})
        not_confirmed = enrolments.filtered(lambda e: e.confirmation == "not_confirmed")
        on = (enrolments - not_confirmed).filtered(lambda e: not e.activcrea_cancelled_on)
        messages = on.partner_id._activcrea_grant_portal()
        on._activcrea_prepare_questionnaires()
        not_confirmed._activcrea_cancel_registration()
        if messages:
            self.log = "\n".join(filter(None, [self.log, render_all(messages, self.env._)]))
