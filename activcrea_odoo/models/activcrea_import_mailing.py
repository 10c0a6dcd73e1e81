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
        not_confirmed = Enrolment.browse()
        for line in lines:
            enrolment = Enrolment.browse(line.enrolment_id.id)
            if line.event_id and enrolment.activcrea_meeting_id != line.event_id:
                enrolment.write(
                    {"activcrea_meeting_id": line.event_id.id, "activcrea_registered_on": today}
                )
            if enrolment.confirmation == "not_confirmed":
                not_confirmed |= enrolment
        on = (Enrolment.browse(lines.enrolment_id.ids) - not_confirmed).filtered(
            lambda e: not e.activcrea_cancelled_on
        )
        messages = on.partner_id._activcrea_grant_portal()
        on._activcrea_prepare_questionnaires()
        not_confirmed._activcrea_cancel_registration()
        if messages:
            self.log = "\n".join(filter(None, [self.log, render_all(messages, self.env._)]))
