# pylint: disable=prefer-env-translation,consider-merging-classes-inherited
# (messages marked with messages._ and rendered with env._; one file per concern)
import logging

from odoo import api, fields, models
from odoo.tools import SQL, email_normalize

from ..rules import mailing
from ..rules.messages import Message, _

_logger = logging.getLogger(__name__)

NO_EMAIL = Message(_("%(person)s: no e-mail address, no portal access."))
EMAIL_TAKEN = Message(
    _("%(person)s: the e-mail address is already the login of another user, no portal access.")
)


class ResPartner(models.Model):
    """Portal access of the registrants, their archiving when France Travail does not
    confirm them, and the GDPR purge."""

    _inherit = "res.partner"

    activcrea_archived_on = fields.Datetime(
        "Archived by a cancellation on",
        copy=False,
        readonly=True,
        help="France Travail did not confirm the registration: the person was archived and "
        "is deleted after the GDPR delay unless something keeps them.",
    )
    activcrea_reactivated = fields.Boolean(
        "Reactivated by hand",
        copy=False,
        readonly=True,
        help="Archived by a cancellation, then reactivated: the GDPR purge keeps them.",
    )

    def write(self, vals):
        if vals.get("active") and not self.env.context.get("activcrea_flow"):
            archived = self.filtered(lambda p: p.activcrea_archived_on and not p.active)
            if archived:
                super(ResPartner, archived).write({"activcrea_reactivated": True})
        return super().write(vals)

    # Portal ------------------------------------------------------------------------------
    def _activcrea_grant_portal(self):
        """Grant these people portal access through Odoo's portal wizard; its invitation
        e-mail is queued at once. Returns the messages for those left without access."""
        messages = []
        people = self.sudo().filtered(lambda p: p.active)
        without_email = people.filtered(lambda p: not email_normalize(p.email or ""))
        messages += [Message(NO_EMAIL.template, {"person": p.name}) for p in without_email]
        people -= without_email
        if not people:
            return messages
        wizard = (
            self.env["portal.wizard"]
            .sudo()
            .with_context(active_ids=[], default_partner_ids=people.ids)
            .create({})
        )
        queue = []  # the invitations, queued at the end in one batch
        for line in wizard.user_ids.with_context(activcrea_portal_mail_queue=queue):
            if line.is_portal or line.is_internal:
                continue
            if line.email_state != "ok":
                messages.append(Message(EMAIL_TAKEN.template, {"person": line.partner_id.name}))
                continue
            line.with_company(line.partner_id.company_id or self.env.company).action_grant_access()
        wizard.user_ids.browse(queue)._activcrea_queue_welcome()
        return messages

    def _activcrea_revoke_portal(self):
        users = (
            self.env["res.users"]
            .sudo()
            .with_context(active_test=False)
            .search([("partner_id", "in", self.ids), ("share", "=", True)])
        )
        portal = self.env.ref("base.group_portal")
        public = self.env.ref("base.group_public")
        users.filtered(lambda u: portal in u.groups_id).write(
            {"groups_id": [(3, portal.id), (4, public.id)], "active": False}
        )
        users.filtered("active").write({"active": False})
        users.flush_recordset()
        self.sudo().write({"signup_type": False})

    def _activcrea_ties(self):
        """What still ties each of these people to the BGE, read the same way by the
        cancellation (archive them?) and the GDPR purge (delete them?), since an archiving
        is the first step of a deletion: ``{partner id: (enrolments, employee)}``.

        ``enrolments`` counts their enrolments not cancelled by the J-2 flow, archived
        ones included: history the BGE keeps, which a deletion would take with it.
        ``employee`` says whether one of their users, archived or not, is internal."""
        people = self.sudo().with_context(active_test=False)
        enrolments = (
            self.env["activcrea.enrolment"]
            .sudo()
            .with_context(active_test=False)
            ._read_group(
                [("partner_id", "in", people.ids), ("activcrea_cancelled_on", "=", False)],
                ["partner_id"],
                ["__count"],
            )
        )
        counts = {partner.id: count for partner, count in enrolments}
        employees = (
            self.env["res.users"]
            .sudo()
            .with_context(active_test=False)
            .search([("partner_id", "in", people.ids), ("share", "=", False)])
            .partner_id
        )
        return {
            partner.id: (counts.get(partner.id, 0), partner in employees) for partner in people
        }

    def _activcrea_archive_for_cancellation(self):
        people = self.sudo().with_context(activcrea_flow=True, active_test=True)
        people._activcrea_revoke_portal()
        people.write(
            {
                "active": False,
                "activcrea_archived_on": fields.Datetime.now(),
                "activcrea_reactivated": False,
            }
        )

    def _activcrea_questionnaire_url(self):
        """The link to the person's pending pre-appointment questionnaire, for the portal."""
        self.ensure_one()
        enrolment = (
            self.env["activcrea.enrolment"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", self.id),
                    ("questionnaire_state", "in", ("new", "in_progress")),
                ],
                limit=1,
            )
        )
        return enrolment.questionnaire_url or False

    # GDPR purge --------------------------------------------------------------------------
    @api.model
    def _activcrea_purge_days(self):
        value = self.env["ir.config_parameter"].sudo().get_param("activcrea_odoo.purge_days")
        try:
            return int(value) if value not in (None, False, "") else mailing.DEFAULT_PURGE_DAYS
        except ValueError:
            return mailing.DEFAULT_PURGE_DAYS

    @api.model
    def _cron_activcrea_purge(self):
        """Daily: delete the people archived by a cancellation for the GDPR delay, with
        their enrolments, answers and portal user, unless something keeps them. The log
        names nobody: ids and reasons only."""
        today = fields.Date.context_today(self)
        delay = self._activcrea_purge_days()
        Partner = self.sudo().with_context(active_test=False)
        candidates = Partner.search([("activcrea_archived_on", "!=", False)])
        if not candidates:
            return []
        ids = tuple(candidates.ids)
        self.env["account.move.line"].flush_model(["partner_id"])
        self.env["account.move"].flush_model(["partner_id", "commercial_partner_id"])
        accounting = {
            row[0]
            for row in self.env.execute_query(
                SQL(
                    """
                    SELECT partner_id FROM account_move_line WHERE partner_id IN %(ids)s
                    UNION SELECT partner_id FROM account_move WHERE partner_id IN %(ids)s
                    UNION SELECT commercial_partner_id FROM account_move
                           WHERE commercial_partner_id IN %(ids)s
                    """,
                    ids=ids,
                )
            )
        }
        ties = candidates._activcrea_ties()
        to_delete, kept = Partner.browse(), []
        for partner in candidates:
            other_enrolments, internal_user = ties[partner.id]
            candidate = mailing.PurgeCandidate(
                partner.id,
                fields.Date.to_date(partner.activcrea_archived_on),
                active=partner.active,
                reactivated=partner.activcrea_reactivated,
                accounting=partner.id in accounting,
                other_enrolments=other_enrolments,
                internal_user=internal_user,
            )
            delete, reasons = mailing.purge_decision(candidate, today, delay)
            if delete:
                to_delete |= partner
            elif reasons:
                kept.append((partner.id, reasons))
        deleted, one_by_one = [], to_delete
        try:  # all at once; if the database refuses one, one by one to keep only that one
            with self.env.cr.savepoint():  # a rollback clears the cache too
                to_delete._activcrea_delete_personal_data()
        except Exception:  # noqa: BLE001 - retried one by one below
            _logger.info("Activ'Créa GDPR purge: batch deletion refused, one person at a time")
        else:
            deleted, one_by_one = to_delete.ids, Partner.browse()
        for partner in one_by_one:
            try:
                with self.env.cr.savepoint():
                    partner._activcrea_delete_personal_data()
                deleted.append(partner.id)
            except Exception as error:  # noqa: BLE001 - kept, and said so in the log
                _logger.warning(
                    "Activ'Créa GDPR purge: person id %s kept, deletion refused: %s",
                    partner.id,
                    type(error).__name__,
                )
                kept.append((partner.id, [Message(_("deletion refused by the database"))]))
        for partner_id, reasons in kept:
            _logger.info(
                "Activ'Créa GDPR purge: person id %s kept: %s",
                partner_id,
                "; ".join(str(reason) for reason in reasons),
            )
        _logger.info(
            "Activ'Créa GDPR purge: %s person(s) deleted (ids %s), %s kept",
            len(deleted),
            deleted,
            len(kept),
        )
        return deleted

    def _activcrea_delete_personal_data(self):
        """Delete these people with what only describes them: enrolments (cancelled), their
        answers, the portal users, the import rows' copy of their names."""
        if not self:
            return
        partner = self.sudo().with_context(active_test=False)
        enrolments = partner.activcrea_enrolment_ids
        self.env["survey.user_input"].sudo().search([("partner_id", "in", partner.ids)]).unlink()
        lines = self.env["activcrea.import.line"].sudo().search(
            ["|", ("partner_id", "in", partner.ids), ("enrolment_id", "in", enrolments.ids)]
        )
        lines.write(
            {"name": False, "france_travail_id": False, "order_number": False, "message": False}
        )
        enrolments.unlink()
        partner.user_ids.unlink()
        partner.unlink()
