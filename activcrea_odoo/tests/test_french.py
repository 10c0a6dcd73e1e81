import base64
from datetime import date
from pathlib import Path

from freezegun import freeze_time

from odoo import Command
from odoo.tests import Form, tagged

from .common import ActivcreaCase

DATA = Path(__file__).parents[1] / "static" / "tests" / "data"

DIAGNOSTIC_FR = "Entretien initial de diagnostic"


@tagged("post_install", "-at_install")
class TestFrench(ActivcreaCase):
    """What the installation, the slot wizard, the import and the daily job write reads
    in French for a French user, and in English for an English one, whether or not the
    database had French loaded beforehand."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # As an administrator adding French: activate it and load the addon's French
        # terms (a no-op in a database where they are already loaded).
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env.ref("base.module_activcrea_odoo")._update_translations(["fr_FR"])
        cls.company.partner_id.lang = "fr_FR"  # a French BGE
        cls.manager_fr = cls._user("ac_manager_fr", "manager", lang="fr_FR")
        cls.counselor_fr = cls._user(
            "ac_counselor_fr", "counselor", name="Nadia Petit", sites=cls.site_arm, lang="fr_FR"
        )
        # An offer configured by the French manager, through the form, after French is
        # there (the shared ODS of ActivcreaCase was written before, in English)
        with Form(cls._env_of(cls.manager_fr)["activcrea.ods"]) as form:
            form.name = "Activ'Créa 2026"
            form.special_service = "activcrea_2025"
            for site in cls.all_sites:
                form.site_ids.add(site)
            for sequence, action_type in enumerate((cls.type_diagnostic, cls.type_coaching), 1):
                with form.step_ids.new() as step:
                    step.sequence = sequence
                    step.action_type_id = action_type
        cls.ods_fr = form.record.sudo()
        # the lot of France Travail's example files now delivers this offer
        cls.resource.ods_ids = [Command.set(cls.ods_fr.ids)]

    @classmethod
    def _env_of(cls, user):
        """The environment of ``user`` as the web client gives it: their language."""
        return cls.env(user=user, context=dict(cls.env.context, lang=user.lang))

    def test_install_data_reads_in_french(self):
        env_fr = self._env_of(self.manager_fr)
        env_en = self._env_of(self.manager)

        def read(xmlid, field="name", env=env_fr):
            return env.ref(f"activcrea_odoo.{xmlid}")[field]

        self.assertEqual(read("action_type_diagnostic"), DIAGNOSTIC_FR)
        self.assertEqual(
            read("action_type_diagnostic", env=env_en), "Initial diagnostic interview"
        )
        self.assertEqual(read("action_type_coaching"), "Accompagnement individuel")
        self.assertEqual(read("reason_bilan_1"), "Projet viable, création d'entreprise prévue")
        self.assertEqual(read("reason_abandon_4"), "Perte de contact")
        self.assertEqual(
            read("mail_activity_type_alert_overdue", "summary"),
            "Compléter le parcours : bilan, sortie anticipée ou abandon",
        )
        self.assertEqual(
            env_fr.ref("activcrea_odoo.ir_cron_enrolment_alerts").sudo().name,
            "Activ'Créa : alertes sur les parcours",
        )
        # The dashboard's alert filters are the search view's, translated with it; no
        # shared favourite keeps an English name
        arch = env_fr["activcrea.enrolment"].get_views([(False, "search")])["views"]["search"]
        self.assertIn("Se termine dans moins de 7 jours, rien de planifié", arch["arch"])
        self.assertIn("Fin théorique dépassée, fiche incomplète", arch["arch"])
        favourites = env_fr["ir.filters"].get_filters("activcrea.enrolment")
        self.assertFalse([f["name"] for f in favourites if f["name"].startswith("Alert")])
        # The demo offer's steps, when the demo data is there
        step = self.env.ref("activcrea_odoo.ods_step_diagnostic", raise_if_not_found=False)
        if step:
            self.assertEqual(step.with_env(env_fr).sudo().name, DIAGNOSTIC_FR)
            self.assertEqual(step.with_env(env_en).sudo().name, "Initial diagnostic interview")

    def test_steps_in_every_language(self):
        steps = self.ods_fr.step_ids.sorted("sequence")
        self.assertEqual(
            steps.with_env(self._env_of(self.manager_fr)).mapped("name"),
            [DIAGNOSTIC_FR, "Accompagnement individuel"],
        )
        self.assertEqual(
            steps.with_env(self._env_of(self.manager)).mapped("name"),
            ["Initial diagnostic interview", "Individual coaching"],
            "the English user reads the action type's English name, not the French copy",
        )
        # a step renamed by the user keeps its own name
        step = steps[1].with_env(self._env_of(self.manager_fr))
        step.name = "Atelier business plan"
        self.assertEqual(step.name, "Atelier business plan")
        # a step written in English only (before French was loaded) gets the translations
        # when the addon's terms are loaded again
        self.env.cr.execute(
            "UPDATE activcrea_ods_step SET name = jsonb_build_object('en_US', name->>'en_US')"
            " WHERE id = %s",
            [steps[0].id],
        )
        self.env.invalidate_all()
        first = steps[0].with_env(self._env_of(self.manager_fr))
        self.assertEqual(first.name, "Initial diagnostic interview")
        self.env["ir.module.module"]._load_module_terms(["activcrea_odoo"], ["fr_FR"])
        self.assertEqual(first.name, DIAGNOSTIC_FR)
        self.assertEqual(step.name, "Atelier business plan", "renamed: left alone")

    def test_slot_wizard_names_slots_in_french(self):
        wizard_model = self._env_of(self.manager_fr)["activcrea.slot.wizard"]
        form = Form(wizard_model)
        form.ods_id = self.ods_fr
        form.resource_id = self.resource
        form.site_id = self.site_arm
        form.user_ids.clear()
        form.user_ids.add(self.counselor_fr)
        form.date_from = date(2026, 1, 12)
        form.date_to = date(2026, 1, 12)
        form.time_from = 9.0
        form.time_to = 11.0
        wizard = form.save()
        wizard.action_create_slots()
        slots = self.env["calendar.event"].search([("activcrea_ods_id", "=", self.ods_fr.id)])
        self.assertEqual(len(slots), 2)
        self.assertEqual(set(slots.mapped("name")), {f"{DIAGNOSTIC_FR} - Armentieres"})

    def _import(self, user, filename):
        batch = (
            self._env_of(user)["activcrea.import"]
            .create(
                {
                    "resource_id": self.resource.id,
                    "file": base64.b64encode((DATA / filename).read_bytes()),
                    "filename": filename,
                }
            )
            .with_env(self._env_of(user))
        )
        batch.action_preview()
        batch.action_confirm()
        self.assertEqual(batch.state, "done", batch.log)
        return batch

    def test_import_people_get_the_company_language(self):
        # run by an English-speaking manager (or a script): the BGE's language all the same
        batch = self._import(self.manager, "liste_inscrits_J-10.csv")
        people = batch.line_ids.partner_id
        self.assertEqual(len(people), 11)
        self.assertEqual(set(people.mapped("lang")), {"fr_FR"}, "the company's language")
        meetings = batch.line_ids.event_id.filtered("activcrea_import_created")
        self.assertTrue(meetings)
        for name in meetings.mapped("name"):
            self.assertTrue(name.startswith("Initial diagnostic interview - "), name)

    def test_import_names_meetings_in_french(self):
        batch = self._import(self.manager_fr, "liste_inscrits_J-10.csv")
        meetings = batch.line_ids.event_id.filtered("activcrea_import_created")
        self.assertTrue(meetings)
        for name in meetings.mapped("name"):
            self.assertTrue(name.startswith(f"{DIAGNOSTIC_FR} - "), name)
        self.assertEqual(set(batch.line_ids.partner_id.mapped("lang")), {"fr_FR"})

    def test_daily_job_writes_in_the_referents_language(self):
        Enrolment = self.env["activcrea.enrolment"]
        people = self.env["res.partner"].create([{"name": "Camille"}, {"name": "Jordan"}])
        french, english = Enrolment.create(
            [
                {
                    "partner_id": person.id,
                    "ods_id": self.ods_fr.id,
                    "resource_id": self.resource.id,
                    "site_id": self.site_arm.id,
                    "start_date": date(2026, 1, 12),
                    "diagnostic_outcome": "continued",
                    "user_id": referent.id,
                }
                for person, referent in zip(people, self.counselor_fr | self.counselor, strict=True)
            ]
        )
        # The job runs in no particular language (here: English)
        with freeze_time("2026-04-10"):  # 88 days: ends within a week
            Enrolment._cron_alerts()
        self.assertEqual(
            french.activity_ids.summary,
            "Planifier la prochaine action ou enregistrer la fin de la prestation",
        )
        self.assertEqual(
            english.activity_ids.summary, "Plan the next action or record the end of the service"
        )
        with freeze_time("2026-04-12"):  # 90 days: the alert changes, its activity is closed
            Enrolment._cron_alerts()
        self.assertEqual(
            french.activity_ids.summary,
            "Compléter le parcours : bilan, sortie anticipée ou abandon",
        )
        closing = french.message_ids.filtered(lambda message: "Alerte clôturée" in message.body)
        self.assertTrue(closing, "closing note in the referent's language")
        self.assertTrue(
            english.message_ids.filtered(lambda message: "Alert closed" in message.body)
        )
