from datetime import date, datetime, timedelta

from lxml import etree

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import ActivcreaCase


@tagged("post_install", "-at_install")
class TestUiFlows(ActivcreaCase):
    """What the office manager meets on screen: prefilled wizards, views that show what was
    just created, links from an import to what it wrote, enrolments kept as history."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.site_arm.address_id = cls.env["res.partner"].create(
            {
                "name": "BGE - Armentières",
                "is_company": True,
                "street": "3 rue de la Gare",
                "zip": "59280",
                "city": "Armentières",
                "country_id": cls.env.ref("base.fr").id,
            }
        )

    # Slot wizard ------------------------------------------------------------------------
    def _slot_wizard(self, **values):
        """The manager's call of the wizard for the counselor at Armentières on 12/01/2026."""
        return (
            self.env["activcrea.slot.wizard"]
            .with_user(self.manager)
            .create(
                {
                    "user_ids": [Command.set(self.counselor.ids)],
                    "ods_id": self.ods.id,
                    "site_id": self.site_arm.id,
                    "date_from": date(2026, 1, 12),
                    "date_to": date(2026, 1, 12),
                    "time_from": 9.0,
                    **values,
                }
            )
        )

    def test_slot_wizard_direct_call_without_step(self):
        """An integrator's call: no step given, the wizard takes the offer's first step."""
        wizard = self._slot_wizard(time_to=11.0)
        self.assertEqual(wizard.step_id, self.step_one)
        self.assertEqual(wizard.resource_id, self.resource, "the offer's only resource")
        wizard.action_create_slots()
        self.assertEqual(wizard.created_count, 2)
        self.assertTrue(all(wizard.event_ids.mapped("activcrea_is_step_one")))
        locations = set(wizard.event_ids.mapped("location"))
        self.assertEqual(len(locations), 1)
        self.assertTrue(
            locations.pop().startswith("BGE - Armentières, 3 rue de la Gare, 59280 Armentières"),
            "the invitations carry the site's address",
        )

    def test_slot_wizard_only_plans_first_step_slots(self):
        wizard = self._slot_wizard(step_id=self.step_coaching.id, time_to=10.0)
        wizard.action_create_slots()
        self.assertEqual(wizard.event_ids.activcrea_step_id, self.step_one)

    def test_slot_wizard_prefilled_and_warns_about_the_site(self):
        form = Form(self.env["activcrea.slot.wizard"].with_user(self.manager))
        self.assertEqual(form.ods_id, self.ods, "the company's only Activ'Créa offer")
        self.assertEqual(form.step_id, self.step_one)
        self.assertEqual(form.resource_id, self.resource)
        self.assertEqual(form.date_from.weekday(), 0, "next Monday")
        self.assertEqual(form.date_to - form.date_from, timedelta(days=4))
        self.assertFalse(form.site_warning)
        form.site_id = self.site_arm
        self.assertEqual(form.user_ids[:], self.counselor, "the site's counselors")
        self.assertFalse(form.site_warning)
        form.user_ids.add(self.counselor_2)
        self.assertIn(self.counselor_2.name, form.site_warning)
        self.assertNotIn(self.counselor.name, form.site_warning)
        wizard = form.save()
        self.assertTrue(wizard.site_warning, "a warning, not a refusal")

    def test_slot_wizard_lands_on_the_created_slots(self):
        wizard = (
            self.env["activcrea.slot.wizard"]
            .with_user(self.manager)
            .create(
                {
                    "user_ids": [Command.set((self.counselor | self.counselor_2).ids)],
                    "ods_id": self.ods.id,
                    "site_id": self.site_arm.id,
                    "date_from": date(2026, 3, 2),
                    "date_to": date(2026, 3, 2),
                    "time_from": 9.0,
                    "time_to": 10.0,
                }
            )
        )
        wizard.action_create_slots()
        action = wizard.action_view_slots()
        self.assertEqual(action["domain"], [("id", "in", wizard.event_ids.ids)])
        self.assertEqual(action["context"]["initial_date"], "2026-03-02 08:00:00")
        calendar_view = self.env.ref("activcrea_odoo.calendar_event_view_calendar_activcrea")
        self.assertIn((calendar_view.id, "calendar"), action["views"])
        arch = etree.fromstring(calendar_view.arch)
        self.assertNotEqual(
            arch.get("js_class"),
            "attendee_calendar",
            "the attendee calendar shows only the manager's own agenda",
        )
        # the manager sees every counselor's slot through the action's domain
        seen = self.env["calendar.event"].with_user(self.manager).search(action["domain"])
        self.assertEqual(seen.user_id, self.counselor | self.counselor_2)

    # Agenda filters ---------------------------------------------------------------------
    def test_agenda_filters_are_not_or_ed_with_the_default_one(self):
        arch = self.env["calendar.event"].get_views([(False, "search")])["views"]["search"]["arch"]
        nodes = [
            node.get("name") if node.tag == "filter" else "|"
            for node in etree.fromstring(arch).iter("filter", "separator")
        ]
        groups = "/".join(
            ",".join(name or "" for name in nodes[i : j or None])
            for i, j in zip(
                [0] + [k + 1 for k, n in enumerate(nodes) if n == "|"],
                [k for k, n in enumerate(nodes) if n == "|"] + [0],
                strict=True,
            )
        ).split("/")
        default_group = next(group for group in groups if "activcrea" in group.split(","))
        for name in ("activcrea_step_one", "activcrea_to_assign", "activcrea_not_confirmed"):
            self.assertNotIn(name, default_group.split(","), name)

    def test_unconfirmed_filter_ignores_the_counselor(self):
        empty = self._slot(datetime(2026, 1, 12, 8, 0))
        taken = self._slot(datetime(2026, 1, 12, 9, 0))
        registrant = self.env["res.partner"].create({"name": "Registrant"})
        taken.partner_ids = [Command.link(registrant.id)]
        self.assertEqual(taken.activcrea_participant_ids.partner_id, registrant)
        self.assertFalse(empty.activcrea_participant_ids, "the counselor is not a registrant")
        domain = [
            ("activcrea_ods_id", "!=", False),
            ("activcrea_participant_ids.activcrea_confirmed", "=", False),
        ]
        found = self.env["calendar.event"].search(domain + [("id", "in", (empty | taken).ids)])
        self.assertEqual(found, taken)

    # Planning table ---------------------------------------------------------------------
    def test_planning_rows_by_site_and_calendar_on_the_period(self):
        self._slot(datetime(2026, 1, 12, 8, 0), site=self.site_rbx)
        self._slot(datetime(2026, 1, 12, 9, 0), site=self.site_arm)
        self._slot(datetime(2026, 1, 12, 10, 0), site=self.site_rbx)
        self._slot(datetime(2026, 1, 12, 11, 0), site=self.site_arm)
        planning = (
            self.env["activcrea.planning"]
            .with_user(self.manager)
            .create({"date_from": date(2026, 1, 1), "date_to": date(2026, 1, 31)})
        )
        self.assertEqual(
            planning.event_ids.activcrea_site_id.mapped("name"),
            ["Armentieres", "Roubaix"],
            "one block per site",
        )
        self.assertEqual(
            [event.activcrea_site_id.name for event in planning.event_ids],
            ["Armentieres", "Armentieres", "Roubaix", "Roubaix"],
        )
        action = planning.action_show()
        self.assertEqual(action["context"]["initial_date"], "2026-01-01")
        menu_title = self.env.ref("activcrea_odoo.activcrea_planning_action").name
        self.assertNotEqual(action["name"], menu_title, "two screens, two titles")

    # Import -----------------------------------------------------------------------------
    def test_import_confirm_says_what_it_did_and_links_to_it(self):
        self._slot(datetime(2026, 1, 12, 8, 0))
        batch = self._import_list("liste_inscrits_J-10.csv", self.manager, confirm=False)
        self.assertNotIn("utf-8-sig", batch.log)
        self.assertIn("UTF-8", batch.log)
        self.assertFalse(batch.partner_count, "a preview wrote nothing")
        action = batch.action_confirm_notify()
        self.assertEqual(batch.state, "done", batch.log)
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual(action["params"]["type"], "success")
        self.assertIn("11", action["params"]["message"])
        self.assertEqual((batch.partner_count, batch.enrolment_count), (11, 11))
        self.assertTrue(batch.event_count)
        people = self.env["res.partner"].search(batch.action_view_partners()["domain"])
        self.assertEqual(len(people), 11)
        self.assertTrue(all(people.mapped("france_travail_id")))
        enrolments = self.env["activcrea.enrolment"].search(
            batch.action_view_enrolments()["domain"]
        )
        self.assertEqual(enrolments.partner_id, people)
        events = self.env["calendar.event"].search(batch.action_view_events()["domain"])
        self.assertEqual(events, batch.line_ids.event_id)

        j2 = self._import_list("liste_inscrits_J-2.csv", self.manager, confirm=False)
        flagged = j2.line_ids.filtered("not_confirmed")
        self.assertEqual(len(flagged), j2.count_not_confirmed)
        self.assertEqual(sorted(flagged.mapped("france_travail_id")), ["3456789C", "8901234H"])

    def test_import_cancel_and_cleanup_of_abandoned_previews(self):
        batch = self._import_list("liste_inscrits_J-10.csv", self.manager, confirm=False)
        self.assertEqual(batch.state, "preview")
        batch.action_cancel()
        self.assertEqual(batch.state, "cancel")
        self.assertFalse(batch.line_ids)
        with self.assertRaisesRegex(UserError, "cancelled"):
            batch.action_confirm()
        old = self._import_list("liste_inscrits_J-10.csv", self.manager, confirm=False)
        done = self._import_list("liste_inscrits_J-10.csv", self.manager, confirm=False)
        done.action_confirm()
        recent = self._import_list("liste_inscrits_J-10.csv", self.manager, confirm=False)
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE activcrea_import SET write_date = %s WHERE id IN %s",
            [fields.Datetime.now() - timedelta(days=31), (old.id, done.id, batch.id)],
        )
        self.env.invalidate_all()
        self.env["activcrea.import"]._gc_abandoned()
        self.assertFalse(old.exists())
        self.assertFalse(batch.exists())
        self.assertTrue(done.exists(), "the history of done imports stays")
        self.assertTrue(recent.exists(), "a preview of this month may still be confirmed")

    # Enrolment --------------------------------------------------------------------------
    def _enrolment(self):
        person = self.env["res.partner"].create({"name": "Entrepreneur"})
        slot = self._slot(datetime(2026, 1, 12, 8, 0))
        slot.partner_ids = [Command.link(person.id)]
        return self.env["activcrea.enrolment"].create(
            {
                "partner_id": person.id,
                "ods_id": self.ods.id,
                "resource_id": self.resource.id,
                "site_id": self.site_arm.id,
                "start_date": date(2026, 1, 12),
            }
        ), slot

    def test_enrolment_opens_the_persons_meetings(self):
        enrolment, slot = self._enrolment()
        action = enrolment.with_user(self.counselor).action_view_meetings()
        meetings = self.env["calendar.event"].search(action["domain"])
        self.assertEqual(meetings, slot)
        self.assertEqual(action["context"]["initial_date"], "2026-01-12 08:00:00")
        self.assertEqual(slot.activcrea_participant_ids.partner_id, enrolment.partner_id)

    def test_enrolment_is_archived_not_deleted(self):
        enrolment, _slot = self._enrolment()
        with self.assertRaises(AccessError):
            enrolment.with_user(self.counselor).unlink()
        enrolment.with_user(self.counselor).action_archive()
        self.assertIn(
            enrolment, enrolment.partner_id.activcrea_enrolment_ids, "history, archived included"
        )
        arch = self.env["res.partner"].get_views([(False, "form")])["views"]["form"]["arch"]
        lists = etree.fromstring(arch).xpath("//field[@name='activcrea_enrolment_ids']/list")
        self.assertEqual(lists[0].get("delete"), "0", "no bin icon in the Parcours tab")

    # Settings ---------------------------------------------------------------------------
    def test_settings_show_units(self):
        view = self.env.ref("activcrea_odoo.res_config_settings_view_form")
        arch = etree.fromstring(view.arch)
        setting = arch.xpath("//setting[@id='activcrea_slot_minutes_setting']")[0]
        self.assertIn("minutes", etree.tostring(setting, encoding="unicode"))
