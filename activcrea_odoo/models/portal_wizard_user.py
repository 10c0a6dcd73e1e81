# pylint: disable=no-wizard-in-models
# (a small override of Odoo's portal wizard, used by the import's model code)
from odoo import models


class PortalWizardUser(models.TransientModel):
    _inherit = "portal.wizard.user"

    def _send_email(self):
        """Odoo sends the portal invitation synchronously (``force_send``), rendered for one
        person at a time; an import grants access to a whole list inside its
        transaction: there the invitations are collected in the list the context gives,
        and queued all at once by :meth:`_activcrea_queue_welcome` (they leave only if
        the import commits)."""
        queue = self.env.context.get("activcrea_portal_mail_queue")
        if queue is None:
            return super()._send_email()
        self.ensure_one()
        queue.append(self.id)
        return True

    def _activcrea_queue_welcome(self):
        """Queue Odoo's portal invitation of these wizard lines in one batch: the same
        template, rendered in each person's language (the template's ``lang``); its
        link is the person's sign-up URL, prepared here as Odoo's ``_send_email`` does.

        Odoo's ``action_grant_access`` prepares it only for a user it reactivates: for
        one it creates (most of an import's people) the line already reads as portal, so
        without this call their link would be a plain login one."""
        if not self:
            return
        self.user_id.sudo().partner_id.signup_prepare()
        template = self.env.ref("portal.mail_template_data_portal_welcome")
        template.with_context(dbname=self._cr.dbname).send_mail_batch(self.ids, force_send=False)
