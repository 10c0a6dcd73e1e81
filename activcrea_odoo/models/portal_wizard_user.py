# pylint: disable=no-wizard-in-models
# (a small override of Odoo's portal wizard, used by the import's model code)
from odoo import models


class PortalWizardUser(models.TransientModel):
    _inherit = "portal.wizard.user"

    def _send_email(self):
        """Odoo sends the portal invitation synchronously (``force_send``); an import
        grants access to a whole list inside its transaction: there the invitation goes
        to the mail queue at once instead, and leaves only if the import commits."""
        if not self.env.context.get("activcrea_queue_portal_mail"):
            return super()._send_email()
        self.ensure_one()
        template = self.env.ref("portal.mail_template_data_portal_welcome")
        lang = self.user_id.sudo().lang
        partner = self.user_id.sudo().partner_id
        portal_url = partner.with_context(
            signup_force_type_in_url="", lang=lang
        )._get_signup_url_for_action()[partner.id]
        partner.signup_prepare()
        template.with_context(
            dbname=self._cr.dbname, portal_url=portal_url, lang=lang
        ).send_mail(self.id, force_send=False)
        return True
