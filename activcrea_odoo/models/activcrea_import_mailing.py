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
        # a line's meeting moves its enrolment (to the last line's meeting when several
        # lines share it, as writing line after line did): one write per meeting
        events_of = {}
        for line in lines.filtered("event_id"):
            events_of.setdefault(line.enrolment_id.id, []).append(line.event_id)
        moved = enrolments.filtered(
            lambda e: any(event != e.activcrea_meeting_id for event in events_of.get(e.id, ()))
        )
        for event, records in moved.grouped(lambda e: events_of[e.id][-1]).items():
            records.write({"activcrea_meeting_id": event.id, "activcrea_registered_on": today})
        not_confirmed = enrolments.filtered(lambda e: e.confirmation == "not_confirmed")
        on = (enrolments - not_confirmed).filtered(lambda e: not e.activcrea_cancelled_on)
        messages = on.partner_id._activcrea_grant_portal()
        on._activcrea_prepare_questionnaires()
        not_confirmed._activcrea_cancel_registration()
        if messages:
            self.log = "\n".join(filter(None, [self.log, render_all(messages, self.env._)]))
