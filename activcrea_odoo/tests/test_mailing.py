from datetime import date, datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from ..models import res_partner_mailing
from .common import ActivcreaCase


# Paris is UTC+1 in January: "2026-01-02 18:00:00" (UTC) is 19:00 in Paris
J10_IMPORT = "2026-01-02 09:00:00"
J10_EVENING = "2026-01-02 18:05:00"
J10_AFTERNOON = "2026-01-02 17:55:00"
J7_EVENING = "2026-01-05 18:05:00"  # 7 days before the meetings of 12 January
J2_IMPORT = "2026-01-10 09:00:00"
J2_EVENING = "2026-01-10 18:05:00"  # 2 days before 12 January


@tagged("post_install", "-at_install")
class TestMailing(ActivcreaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.slot_arm_9 = cls._slot(datetime(2026, 1, 12, 8, 0))
        cls.Rule = cls.env["activcrea.mail.rule"]
        cls.rules = {
            name: cls.env.ref(f"activcrea_odoo.mail_rule_{name}")
            for name in ("after_import", "never_logged_in", "reminder", "cancellation")
        }
        cls.survey = cls.env.ref("activcrea_odoo.survey_activcrea_diagnostic")
        cls.ods.survey_id = cls.survey
        cls.env["ir.config_parameter"].sudo().set_param(
            "activcrea_odoo.presentation_url", "https://bge.example.org/activcrea"
        )

    def _person(self, ft_id):
        return (
            self.env["res.partner"]
            .with_context(active_test=False)
            .search([("france_travail_id", "=", ft_id)])
        )

    def _enrolment(self, ft_id):
        return self._person(ft_id).activcrea_enrolment_ids

    def _logs(self, rule):
        return self.env["activcrea.mail.log"].search([("rule_id", "=", rule.id)])

    def _cron(self):
        return self.Rule._cron_send()

    def _purge_kept(self, when):
        """Run the purge at ``when``; it deletes nobody. Returns what it logged."""
        with freeze_time(when), patch.object(res_partner_mailing, "_logger") as logger:
            self.assertEqual(self.env["res.partner"]._cron_activcrea_purge(), [])
        return "\n".join(call.args[0] % call.args[1:] for call in logger.info.call_args_list)

    def _cancellation_notes(self, enrolment):
        return enrolment.message_ids.filtered(lambda m: "Registration cancelled" in m.body)

    # J-10 -------------------------------------------------------------------------------
    def test_j10_portal_access_and_questionnaire(self):
        with freeze_time(J10_IMPORT):
            batch = self._import_list("liste_inscrits_J-10.csv", self.manager)
        camille = self._person("1234567A")
        user = camille.with_context(active_test=False).user_ids
        self.assertEqual(len(user), 1)
        self.assertTrue(user._is_portal())
        self.assertEqual(user.login, "camille.lefebvre@example.org")
        invitation = self.env["mail.mail"].search(
            [("email_to", "ilike", "camille.lefebvre@example.org"), ("model", "=", "portal.wizard.user")]
        )
        self.assertEqual(len(invitation), 1, "Odoo's portal invitation, queued")
        self.assertEqual(invitation.state, "outgoing")
        # queued with the others in one batch: each one still her own name, link and language
        self.assertIn("Camille LEFEBVRE", invitation.body_html)
        self.assertIn("/web/signup", invitation.body_html)
        self.assertIn("token=", invitation.body_html)
        template = self.env.ref("portal.mail_template_data_portal_welcome")
        expected = template.with_context(lang=camille.lang)._render_field(
            "subject", [invitation.res_id]
        )[invitation.res_id]
        self.assertEqual(invitation.subject, expected)
        others = self.env["mail.mail"].search(
            [("model", "=", "portal.wizard.user"), ("id", "!=", invitation.id)]
        )
        self.assertTrue(others)
        self.assertFalse(any("Camille LEFEBVRE" in mail.body_html for mail in others))
        # no e-mail: listed in the import's messages, no access
        obrien = self._person("7890123G")
        self.assertFalse(obrien.with_context(active_test=False).user_ids)
        self.assertIn("Siobhan O'BRIEN", batch.log)
        self.assertIn("no e-mail address", batch.log)
        # questionnaire, not answered yet, on the dashboard's filter
        enrolment = camille.activcrea_enrolment_ids
        self.assertEqual(enrolment.questionnaire_state, "new")
        self.assertTrue(enrolment.questionnaire_url.startswith("/survey/start/"))
        self.assertEqual(enrolment.activcrea_meeting_id, self.slot_arm_9)
        self.assertEqual(enrolment.activcrea_registered_on, date(2026, 1, 2))
        self.assertIn(
            enrolment,
            self.env["activcrea.enrolment"].search(
                [("questionnaire_state", "in", ("new", "in_progress"))]
            ),
        )
        self.assertEqual(
            camille.with_user(user)._activcrea_questionnaire_url(), enrolment.questionnaire_url
        )
        # the person answers: the counselor reads the answers on the enrolment
        answer = enrolment.sudo().survey_user_input_id
        questions = self.survey.question_ids
        text_question = questions.filtered(lambda q: q.question_type == "text_box")[0]
        choice_question = questions.filtered(lambda q: q.question_type == "simple_choice")[0]
        answer._save_lines(text_question, "Ouvrir une boulangerie bio à Armentières")
        answer._save_lines(choice_question, choice_question.suggested_answer_ids[1].id)
        answer._mark_done()
        as_counselor = enrolment.with_user(self.counselor)
        self.assertEqual(as_counselor.questionnaire_state, "done")
        self.assertIn("Ouvrir une boulangerie bio", as_counselor.questionnaire_answers)
        self.assertIn(choice_question.suggested_answer_ids[1].value, as_counselor.questionnaire_answers)
        self.assertFalse(camille.with_user(user)._activcrea_questionnaire_url())

    def test_after_import_mail_once_at_19h(self):
        with freeze_time(J10_IMPORT):
            self._import_list("liste_inscrits_J-10.csv", self.manager)
        self.env["res.partner"].search([("activcrea_import_created", "=", True)]).lang = "en_US"
        rule = self.rules["after_import"]
        with freeze_time(J10_AFTERNOON):
            self._cron()
        self.assertFalse(self._logs(rule), "not before 19:00 Paris time")
        with freeze_time(J10_EVENING):
            self._cron()
        logs = self._logs(rule)
        # 11 registrations, O'Brien has no e-mail
        self.assertEqual(len(logs), 10)
        self.assertNotIn(self._person("7890123G"), logs.partner_id)
        camille = self._person("1234567A")
        mail = logs.filtered(lambda log: log.partner_id == camille).mail_id
        self.assertEqual(mail.state, "outgoing", "queued, sent by Odoo's mail cron")
        self.assertEqual(mail.recipient_ids, camille)
        self.assertIn("12 January 2026", mail.subject)
        self.assertIn("https://bge.example.org/activcrea", mail.body_html)
        self.assertIn("/survey/start/", mail.body_html)
        # in the person's chatter
        self.assertEqual((mail.mail_message_id.model, mail.mail_message_id.res_id), ("res.partner", camille.id))
        # never twice, even the next morning (the rule's window)
        with freeze_time(J10_EVENING):
            self.assertEqual(self._cron(), 0)
        with freeze_time("2026-01-03 08:00:00"):
            self._cron()
        self.assertEqual(len(self._logs(rule)), 10)

    def test_template_attachments_go_with_the_mail(self):
        """What the BGE attaches to a template (a leaflet...) reaches each mail, as with
        Odoo's own sending."""
        rule = self.rules["after_import"]
        leaflet = self.env["ir.attachment"].create(
            {"name": "presentation.pdf", "raw": b"%PDF-1.4 leaflet", "res_model": "mail.template"}
        )
        rule.template_id.attachment_ids = [Command.link(leaflet.id)]
        with freeze_time(J10_IMPORT):
            self._import_list("liste_inscrits_J-10.csv", self.manager)
        with freeze_time(J10_EVENING):
            self._cron()
        mails = self._logs(rule).mail_id
        self.assertEqual(len(mails), 10)
        for mail in mails:
            self.assertIn(leaflet, mail.attachment_ids)

    def test_mail_in_the_persons_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        with freeze_time(J10_IMPORT):
            self._import_list("liste_inscrits_J-10.csv", self.manager)
        camille = self._person("1234567A")
        camille.lang = "fr_FR"
        karim = self._person("2345678B")
        karim.lang = "en_US"
        with freeze_time(J10_EVENING):
            self._cron()
        logs = self._logs(self.rules["after_import"])
        mail_fr = logs.filtered(lambda log: log.partner_id == camille).mail_id
        mail_en = logs.filtered(lambda log: log.partner_id == karim).mail_id
        self.assertIn("January", mail_en.subject)
        self.assertNotIn("January", mail_fr.subject)
        self.assertIn("janvier", mail_fr.subject)

    def test_j7_never_logged_in(self):
        with freeze_time(J10_IMPORT):
            self._import_list("liste_inscrits_J-10.csv", self.manager)
        camille = self._person("1234567A")
        # Camille logged in to the portal once
        self.env["res.users.log"].sudo().with_user(camille.user_ids).sudo().create({})
        self.env["res.users.log"].flush_model()
        rule = self.rules["never_logged_in"]
        with freeze_time(J7_EVENING):
            self._cron()
        logs = self._logs(rule)
        # meetings of 12 January: Camille (logged in), Karim, Nguyen, Müller, Benali;
        # the other provider's row was skipped
        self.assertEqual(
            sorted(logs.partner_id.mapped("france_travail_id")),
            ["2345678B", "3456789C", "5678901E", "6789012F"],
        )
        with freeze_time(J7_EVENING):
            self.assertEqual(self._cron(), 0)

    # J-2 ---------------------------------------------------------------------------------
    def test_j2_reminder_cancellation_and_effects(self):
        with freeze_time(J10_IMPORT):
            self._import_list("liste_inscrits_J-10.csv", self.manager)
        nguyen = self._person("3456789C")
        nguyen_user = nguyen.with_context(active_test=False).user_ids
        self.assertTrue(nguyen_user._is_portal())
        enrolment = self._enrolment("3456789C")
        event = enrolment.activcrea_meeting_id
        self.assertIn(nguyen, event.partner_ids)
        with freeze_time(J2_IMPORT):
            self._import_list("liste_inscrits_J-2.csv", self.manager)
        # cancellation: out of the meeting, enrolment cancelled, person archived, no portal
        self.assertNotIn(nguyen, event.partner_ids)
        self.assertFalse(enrolment.active)
        self.assertTrue(enrolment.activcrea_cancelled_on)
        # a note in the enrolment's chatter, by the manager who imported the list
        note = self._cancellation_notes(enrolment)
        self.assertEqual(len(note), 1)
        self.assertIn("validated list carries no order for it.", note.body)
        self.assertEqual(note.subtype_id, self.env.ref("mail.mt_note"))
        self.assertEqual(note.message_type, "notification")
        self.assertEqual(note.author_id, self.manager.partner_id)
        self.assertFalse(nguyen.active)
        self.assertTrue(nguyen.activcrea_archived_on)
        self.assertFalse(nguyen_user.active)
        self.assertFalse(nguyen_user._is_portal())
        # the meeting the import created for her, empty now: archived, out of the agenda
        # and of the assignment list
        self.assertTrue(event.activcrea_import_created)
        self.assertFalse(event.active)
        self.assertNotIn(
            event, self.env["calendar.event"].search([("activcrea_to_assign", "=", True)])
        )
        # the same list again: nothing recreated, nobody put back
        Event = self.env["calendar.event"].with_context(active_test=False)
        events_before = Event.search_count([])
        with freeze_time(J2_IMPORT):
            again = self._import_list("liste_inscrits_J-2.csv", self.manager)
        self.assertEqual(Event.search_count([]), events_before)
        self.assertFalse(Event.search([("partner_ids", "in", nguyen.id)]))
        self.assertEqual(
            again.line_ids.filtered(lambda line: line.france_travail_id == "3456789C").status,
            "unchanged",
        )
        self.assertEqual(enrolment.activcrea_meeting_id, event)
        self.assertEqual(self._cancellation_notes(enrolment), note, "no second note")
        # a confirmed one keeps everything
        camille = self._person("1234567A")
        self.assertTrue(camille.active)
        self.assertTrue(camille.user_ids._is_portal())
        self.assertEqual(
            camille.activcrea_enrolment_ids.activcrea_registered_on,
            date(2026, 1, 2),
            "the same meeting at J-2: still registered from the J-10 list",
        )

        with freeze_time(J2_EVENING):
            self._cron()
        reminders = self._logs(self.rules["reminder"])
        cancellations = self._logs(self.rules["cancellation"])
        self.assertEqual(
            sorted(reminders.partner_id.mapped("france_travail_id")),
            ["1234567A", "2345678B", "5678901E", "6789012F"],
        )
        self.assertEqual(cancellations.partner_id, nguyen)
        self.assertIn("2026", cancellations.mail_id.body_html)
        self.assertEqual(cancellations.mail_id.state, "outgoing")
        with freeze_time(J2_EVENING):
            self.assertEqual(self._cron(), 0, "never twice")
        # Hugo's meeting is on 15 January: his cancellation goes on the 13th at 19:00
        hugo = self._person("8901234H")
        self.assertNotIn(hugo, self._logs(self.rules["cancellation"]).partner_id)
        with freeze_time("2026-01-13 18:30:00"):
            self._cron()
        self.assertIn(hugo, self._logs(self.rules["cancellation"]).partner_id)

    # GDPR --------------------------------------------------------------------------------
    def test_purge(self):
        with freeze_time(J10_IMPORT):
            self._import_list("liste_inscrits_J-10.csv", self.manager)
        nguyen, hugo = self._person("3456789C"), self._person("8901234H")
        # Hugo has another enrolment (another offer) before J-2
        other_ods = self.env["activcrea.ods"].create(
            {"name": "Autre offre", "company_id": self.company.id}
        )
        self.env["activcrea.enrolment"].create(
            {"partner_id": hugo.id, "ods_id": other_ods.id, "start_date": "2026-02-01"}
        )
        with freeze_time(J2_IMPORT):
            self._import_list("liste_inscrits_J-2.csv", self.manager)
        self.assertFalse(nguyen.active)
        self.assertTrue(hugo.active, "another enrolment: not archived")
        # Hugo archived by hand by the flow anyway, to check the purge keeps him
        hugo._activcrea_archive_for_cancellation()
        nguyen_user = nguyen.with_context(active_test=False).user_ids
        enrolment_ids = nguyen.with_context(active_test=False).activcrea_enrolment_ids.ids
        Partner = self.env["res.partner"]
        with freeze_time("2026-01-14 03:00:00"):
            self.assertEqual(Partner._cron_activcrea_purge(), [], "not before 5 days")
        with freeze_time("2026-01-15 03:00:00"):
            deleted = Partner._cron_activcrea_purge()
        self.assertEqual(deleted, [nguyen.id])
        self.assertFalse(nguyen.exists())
        self.assertFalse(nguyen_user.exists())
        self.assertFalse(self.env["activcrea.enrolment"].browse(enrolment_ids).exists())
        self.assertTrue(hugo.exists(), "kept: another enrolment")

    def test_archived_enrolment_keeps_the_person(self):
        """An older enrolment archived by hand but not cancelled is the person's history:
        the cancellation neither archives them nor closes their portal, and the purge
        keeps them. Both read it the same way, whatever the caller's context (the import
        calls the cancellation with active_test off, here it is on)."""
        with freeze_time(J10_IMPORT):
            self._import_list("liste_inscrits_J-10.csv", self.manager)
        nguyen = self._person("3456789C")
        nguyen_user = nguyen.with_context(active_test=False).user_ids
        registration = self._enrolment("3456789C")
        other_ods = self.env["activcrea.ods"].create(
            {"name": "Autre offre", "company_id": self.company.id}
        )
        older = self.env["activcrea.enrolment"].create(
            {"partner_id": nguyen.id, "ods_id": other_ods.id, "start_date": "2025-03-01"}
        )
        older.active = False
        self.assertEqual(nguyen._activcrea_ties(), {nguyen.id: (2, False)})
        with freeze_time(J2_IMPORT):
            registration.with_context(active_test=True)._activcrea_cancel_registration()
        self.assertTrue(registration.activcrea_cancelled_on)
        self.assertFalse(older.activcrea_cancelled_on)
        self.assertEqual(nguyen._activcrea_ties(), {nguyen.id: (1, False)}, "the older one")
        self.assertTrue(nguyen.active, "an archived enrolment: not archived")
        self.assertFalse(nguyen.activcrea_archived_on)
        self.assertTrue(nguyen_user.active)
        self.assertTrue(nguyen_user._is_portal())
        # archived by the flow anyway: the purge keeps her for the same reason
        with freeze_time(J2_IMPORT):
            nguyen._activcrea_archive_for_cancellation()
        text = self._purge_kept("2026-01-20 03:00:00")
        self.assertTrue(nguyen.exists() and older.exists())
        self.assertIn(f"person id {nguyen.id} kept: another enrolment", text)

    def test_purge_keeps_only_the_refused_person(self):
        """The purge deletes everybody at once; when the database refuses, it deletes one
        person at a time and keeps only the refused one."""
        with freeze_time(J10_IMPORT):
            self._import_list("liste_inscrits_J-10.csv", self.manager)
        with freeze_time(J2_IMPORT):
            self._import_list("liste_inscrits_J-2.csv", self.manager)
        nguyen, hugo = self._person("3456789C"), self._person("8901234H")
        self.assertFalse(nguyen.active or hugo.active)
        Partner = self.env["res.partner"]
        delete = type(Partner)._activcrea_delete_personal_data

        def refuse_nguyen(records):
            if nguyen in records:
                raise ValueError("refused")
            return delete(records)

        with freeze_time("2026-01-20 03:00:00"), patch.object(
            type(Partner), "_activcrea_delete_personal_data", refuse_nguyen
        ), patch.object(res_partner_mailing, "_logger") as logger:
            self.assertEqual(Partner._cron_activcrea_purge(), [hugo.id])
        self.assertTrue(nguyen.exists())
        self.assertFalse(hugo.exists())
        self.assertTrue(logger.warning.called)

    def test_purge_keeps_invoiced_and_reactivated(self):
        with freeze_time(J10_IMPORT):
            self._import_list("liste_inscrits_J-10.csv", self.manager)
        with freeze_time(J2_IMPORT):
            self._import_list("liste_inscrits_J-2.csv", self.manager)
        nguyen, hugo = self._person("3456789C"), self._person("8901234H")
        self.assertFalse(hugo.active)
        # an invoice refers to Nguyen
        self.env["account.chart.template"].try_loading(
            "generic_coa", self.company, install_demo=False
        )
        self.env["account.move"].with_company(self.company).create(
            {
                "move_type": "out_invoice",
                "partner_id": nguyen.id,
                "invoice_line_ids": [Command.create({"name": "Diagnostic", "price_unit": 100})],
            }
        )
        # Hugo reactivated by hand
        hugo.active = True
        self.assertTrue(hugo.activcrea_reactivated)
        self.assertTrue(nguyen.activcrea_archived_on and hugo.activcrea_archived_on)
        text = self._purge_kept("2026-01-20 03:00:00")
        self.assertTrue(nguyen.exists() and hugo.exists())
        self.assertIn(f"person id {nguyen.id} kept", text)
        self.assertIn("accounting entry", text)
        self.assertIn(f"person id {hugo.id} kept", text)
        self.assertNotIn("NGUYEN", text, "no personal data in the log")
