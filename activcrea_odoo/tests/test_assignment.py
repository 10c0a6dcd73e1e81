from datetime import datetime, timedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import ActivcreaCase

NINE = datetime(2031, 3, 10, 8, 0)  # a Monday, 9:00 in Paris
HOUR = timedelta(hours=1)


@tagged("post_install", "-at_install")
class TestAssignment(ActivcreaCase):
    """The guide's four proposal categories, what applying each one does, and bad input."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Claire Martin (Armentières) and Thomas Bernard (Lille, Roubaix) come from common.py
        cls.counselor_3 = cls._user(
            "ac_counselor_3", "counselor", name="Alain Dupont", sites=cls.site_arm
        )
        cls.counselor_4 = cls._user(
            "ac_counselor_4", "counselor", name="Nadia Petit", sites=cls.site_rbx
        )
        cls.manager_2 = cls._user("ac_manager_2", "manager")

    def _imported(self, name, start=NINE, site=None, confirmed=True):
        """A meeting as the import creates it when no slot was free: no organizer, the
        registrant as its only attendee, « to assign »; and the person's enrolment."""
        self._count = getattr(self, "_count", 0) + 1
        person = self.env["res.partner"].create(
            {"name": name, "france_travail_id": f"{9000000 + self._count}Z"}
        )
        event = self.env["calendar.event"].create(
            {
                "name": f"Diagnostic - {name}",
                "start": start,
                "stop": start + HOUR,
                "user_id": False,
                "partner_ids": [Command.set(person.ids)],
                "activcrea_ods_id": self.ods.id,
                "activcrea_step_id": self.step_one.id,
                "activcrea_resource_id": self.resource.id,
                "activcrea_site_id": (site or self.site_arm).id,
                "activcrea_import_created": True,
                "activcrea_to_assign": True,
            }
        )
        event.attendee_ids.write({"activcrea_confirmed": confirmed})
        self.env["activcrea.enrolment"].create(
            {
                "partner_id": person.id,
                "ods_id": self.ods.id,
                "resource_id": self.resource.id,
                "site_id": (site or self.site_arm).id,
                "start_date": start.date(),
                "company_id": self.company.id,
            }
        )
        return person, event

    def _wizard(self, user=None, **values):
        Wizard = self.env["activcrea.assignment"].with_user(user or self.manager)
        wizard = Wizard.create({"resource_id": self.resource.id, **values})
        wizard.action_show()
        return wizard

    def _line(self, wizard, person):
        return wizard.line_ids.filtered(lambda line: line.partner_id == person)

    def _ranking(self, line):
        return [(p.user_id, p.category) for p in line.proposal_ids.sorted("rank")]

    # The four categories -------------------------------------------------------------------
    def test_four_categories_in_order_with_explanations(self):
        person, _event = self._imported("LEFEBVRE Camille")
        slot_1 = self._slot(NINE, user=self.counselor)
        slot_2 = self._slot(NINE + 2 * HOUR, user=self.counselor_2)  # Bernard at Armentières
        wizard = self._wizard()
        line = self._line(wizard, person)
        self.assertEqual(
            self._ranking(line),
            [
                (self.counselor, "slot_same_time"),
                (self.counselor_2, "slot_other_time"),
                (self.counselor_3, "works_at_site"),
                (self.counselor_4, "other_site"),
            ],
        )
        proposals = line.proposal_ids.sorted("rank")
        self.assertEqual(proposals[0].slot_id, slot_1)
        self.assertEqual(proposals[1].slot_id, slot_2)
        self.assertFalse(proposals[2].slot_id | proposals[3].slot_id)
        self.assertEqual(line.proposal_id, proposals[0], "the first proposal is chosen")
        self.assertIn("Choose first among", line.explanation)
        self.assertFalse(line.warning)
        self.assertIn("11:00", proposals[1].warning, "the slot's time, in Paris")
        self.assertIn("Roubaix", proposals[3].warning)
        self.assertIn("Nadia Petit", proposals[3].display_name)
        self.assertEqual(line.site_id, self.site_arm)
        self.assertEqual(line.ods_id, self.ods)
        self.assertEqual(line.start, NINE)

    def test_busy_counselor_not_proposed_at_site_or_elsewhere(self):
        person, _event = self._imported("DUBOIS Karim")
        # Dupont has a meeting at that time (any event), Petit is attendee of one
        self.env["calendar.event"].create(
            {
                "name": "Réunion",
                "start": NINE - HOUR,
                "stop": NINE + 2 * HOUR,
                "user_id": self.counselor_3.id,
                "partner_ids": [Command.set(self.counselor_3.partner_id.ids)],
            }
        )
        self.env["calendar.event"].create(
            {
                "name": "Comité",
                "start": NINE,
                "stop": NINE + HOUR,
                "user_id": self.manager.id,
                "partner_ids": [Command.set(self.counselor_4.partner_id.ids)],
            }
        )
        line = self._line(self._wizard(), person)
        users = line.proposal_ids.user_id
        self.assertNotIn(self.counselor_3, users)
        self.assertNotIn(self.counselor_4, users)
        self.assertIn(self.counselor, users)

    def test_site_filter_and_other_resources(self):
        arm, _e1 = self._imported("ARM Personne")
        lil, _e2 = self._imported("LIL Personne", site=self.site_lil)
        self.assertEqual(self._wizard().line_ids.partner_id, arm | lil)
        self.assertEqual(self._wizard(site_id=self.site_lil.id).line_ids.partner_id, lil)

    # Applying ------------------------------------------------------------------------------
    def test_apply_category_1_joins_the_slot_and_removes_the_imported_meeting(self):
        person, event = self._imported("LEFEBVRE Camille")
        slot = self._slot(NINE, user=self.counselor)
        wizard = self._wizard()
        self.assertEqual(self.env["activcrea.assignment"].get_to_assign_count(), 1)
        self._line(wizard, person).action_apply()
        self.assertFalse(event.exists(), "the meeting created by the import is removed")
        self.assertIn(person, slot.partner_ids)
        attendee = slot.attendee_ids.filtered(lambda a: a.partner_id == person)
        self.assertTrue(attendee.activcrea_confirmed, "France Travail's order follows")
        enrolment = self.env["activcrea.enrolment"].search([("partner_id", "=", person.id)])
        self.assertEqual(enrolment.user_id, self.counselor, "the counselor becomes referent")
        self.assertIn("added to the slot of Claire Martin", wizard.result_message)
        self.assertIn("removed", wizard.result_message)
        self.assertFalse(wizard.line_ids, "the table is shown again, without the row")
        self.assertEqual(self.env["activcrea.assignment"].get_to_assign_count(), 0)

    def test_apply_category_2_keeps_the_imported_meeting_unless_ticked(self):
        first, first_event = self._imported("PREMIER Un")
        second, second_event = self._imported("SECOND Deux", start=NINE + 4 * HOUR)
        slot_a = self._slot(NINE + HOUR, user=self.counselor)
        slot_b = self._slot(NINE + 6 * HOUR, user=self.counselor)
        (self.counselor_3 | self.counselor_4).write({"active": False})
        self.counselor_2.activcrea_site_ids = False
        wizard = self._wizard()
        line = self._line(wizard, first)
        self.assertEqual(line.category, "slot_other_time")
        self.assertEqual(line.proposal_id.slot_id, slot_a)
        line.action_apply()
        self.assertIn(first, slot_a.partner_ids)
        self.assertTrue(first_event.exists(), "kept: the user did not confirm the removal")
        self.assertFalse(first_event.activcrea_to_assign)
        self.assertIn("was kept", wizard.result_message)
        self.assertIn("10:00", wizard.result_message)
        line = self._line(wizard, second)
        self.assertEqual(line.proposal_id.slot_id, slot_b)
        line.remove_imported_event = True
        line.action_apply()
        self.assertFalse(second_event.exists())
        self.assertIn(second, slot_b.partner_ids)

    def test_apply_category_3_and_4_move_the_meeting_into_the_agenda(self):
        person, event = self._imported("GARCIA Inès")
        wizard = self._wizard()
        line = self._line(wizard, person)
        self.assertEqual(line.category, "works_at_site")
        # Dupont (fewer events) or Martin: both work at Armentières; choose the other-site one
        other = line.proposal_ids.filtered(lambda p: p.category == "other_site")[:1]
        self.assertTrue(other)
        user = other.user_id
        line.proposal_id = other
        line.action_apply()
        self.assertEqual(event.user_id, user)
        self.assertIn(user.partner_id, event.partner_ids)
        self.assertIn(person, event.partner_ids)
        self.assertFalse(event.activcrea_to_assign)
        self.assertIn("Mind the place", wizard.result_message)

    def test_apply_all_gives_one_slot_to_one_registrant(self):
        one, one_event = self._imported("UN Premier")
        two, two_event = self._imported("DEUX Second")
        nobody, nobody_event = self._imported("PERSONNE Sans", site=self.site_lil)
        slot = self._slot(NINE, user=self.counselor)
        (self.counselor_2 | self.counselor_3 | self.counselor_4).write({"active": False})
        wizard = self._wizard()
        self.assertEqual(self._line(wizard, one).proposal_id.slot_id, slot)
        # Martin's slot is promised to the first row; Martin is busy then: nothing for two
        self.assertFalse(self._line(wizard, two).proposal_ids)
        # Lille: Martin works elsewhere and is free? no: the slot is at that time
        self.assertFalse(self._line(wizard, nobody).proposal_ids)
        wizard.action_apply_all()
        self.assertFalse(one_event.exists())
        self.assertIn(one, slot.partner_ids)
        self.assertTrue(two_event.activcrea_to_assign and nobody_event.activcrea_to_assign)
        self.assertIn("still to assign", wizard.result_message)
        self.assertEqual(wizard.line_ids.partner_id, two | nobody)

    def test_apply_all_with_every_first_proposal(self):
        one, one_event = self._imported("UN Premier")
        two, two_event = self._imported("DEUX Second")
        slot = self._slot(NINE, user=self.counselor)
        wizard = self._wizard()
        self.assertEqual(
            [line.proposal_id.user_id for line in wizard.line_ids.sorted("id")],
            [self.counselor, self.counselor_3],
        )
        wizard.action_apply_all()
        self.assertIn(one, slot.partner_ids)
        self.assertEqual(two_event.user_id, self.counselor_3)
        self.assertEqual(len(wizard.result_message.splitlines()), 2)
        self.assertFalse(wizard.line_ids)

    # Bad input -----------------------------------------------------------------------------
    def test_no_resource(self):
        wizard = (
            self.env["activcrea.assignment"]
            .with_user(self.manager)
            .create({"resource_id": False})
        )
        with self.assertRaisesRegex(UserError, "Choose the resource"):
            wizard.action_show()

    def test_row_assigned_by_someone_else_meanwhile_nothing_half_applied(self):
        one, one_event = self._imported("UN Premier")
        two, two_event = self._imported("DEUX Second", start=NINE + 3 * HOUR)
        mine = self._wizard()
        other = self._wizard(user=self.manager_2)
        self._line(other, two).action_apply()
        self.assertFalse(two_event.activcrea_to_assign)
        with self.assertRaisesRegex(UserError, "DEUX Second: already assigned"):
            mine.action_apply_all()
        self.assertTrue(one_event.activcrea_to_assign, "the other row was not applied either")
        self.assertFalse(one_event.user_id)

    def test_counselor_archived_meanwhile(self):
        one, one_event = self._imported("UN Premier")
        two, two_event = self._imported("DEUX Second", start=NINE + 3 * HOUR)
        wizard = self._wizard()
        self._line(wizard, two).proposal_id = self._line(wizard, two).proposal_ids.filtered(
            lambda p: p.user_id == self.counselor_4
        )
        self.counselor_4.active = False
        with self.assertRaisesRegex(UserError, "Nadia Petit was archived"):
            wizard.action_apply_all()
        self.assertTrue(one_event.activcrea_to_assign and two_event.activcrea_to_assign)
        self.assertFalse(one_event.user_id | two_event.user_id)

    def test_slot_taken_meanwhile(self):
        person, event = self._imported("UN Premier")
        slot = self._slot(NINE, user=self.counselor)
        wizard = self._wizard()
        other = self.env["res.partner"].create({"name": "Autre"})
        slot.partner_ids = [Command.link(other.id)]
        with self.assertRaisesRegex(UserError, "was taken or changed meanwhile"):
            self._line(wizard, person).action_apply()
        self.assertTrue(event.exists() and event.activcrea_to_assign)

    def test_same_counselor_chosen_twice(self):
        one, _e1 = self._imported("UN Premier")
        two, _e2 = self._imported("DEUX Second")
        wizard = self._wizard()
        line_one, line_two = self._line(wizard, one), self._line(wizard, two)
        # the second row's counselor is also proposed (second) to the first row
        line_one.proposal_id = line_one.proposal_ids.filtered(
            lambda p: p.user_id == line_two.proposal_id.user_id
        )
        with self.assertRaisesRegex(UserError, "the same proposal"):
            wizard.action_apply_all()

    # Counter, rights, queries ----------------------------------------------------------------
    def test_counter_menu_and_dashboard(self):
        self._imported("UN Premier")
        self._imported("DEUX Second")
        Wizard = self.env["activcrea.assignment"]
        self.assertEqual(Wizard.with_user(self.manager).get_to_assign_count(), 2)
        self.assertEqual(Wizard.with_user(self.counselor).get_to_assign_count(), 0)
        wizard_b = Wizard.with_user(self.user_b).with_context(
            allowed_company_ids=self.company_b.ids
        )
        self.assertEqual(wizard_b.get_to_assign_count(), 0, "another company's registrants")
        banner = Wizard.with_user(self.manager).get_dashboard_banner()
        self.assertEqual(banner["count"], 2)
        self.assertIn("2", banner["message"])
        self.assertIsNone(Wizard.with_user(self.counselor).get_dashboard_banner())
        menu = self.env.ref("activcrea_odoo.menu_activcrea_assignment")
        menus = self.env["ir.ui.menu"].with_user(self.manager).load_web_menus(False)
        self.assertEqual(menus[menu.id]["name"], "Assignment (2)")

    def test_only_managers_assign(self):
        with self.assertRaises(AccessError):
            self.env["activcrea.assignment"].with_user(self.counselor).create(
                {"resource_id": self.resource.id}
            )
        other = self._wizard()
        mine = self._wizard(user=self.manager_2)
        Wizard = self.env["activcrea.assignment"].with_user(self.manager)
        self.assertIn(other, Wizard.search([]))
        self.assertNotIn(mine, Wizard.search([]), "each user sees their own tables")

    def test_queries_do_not_grow_with_the_registrants(self):
        for index in range(3):
            self._slot(NINE + index * HOUR, user=self.counselor)
        counts = []
        for size in (1, 2, 12):
            events = self.env["calendar.event"]
            for index in range(size):
                start = NINE + index * HOUR
                events |= self._imported(f"P{size:02d}{index:02d} Test", start=start)[1]
            wizard = self.env["activcrea.assignment"].with_user(self.manager).create(
                {"resource_id": self.resource.id}
            )
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            _events, rows, ranked = wizard._proposals()
            counts.append(self.env.cr.sql_log_count - before)
            self.assertEqual(len(rows), len(ranked))
            events.write({"activcrea_to_assign": False})
        # the first run fills Odoo's caches (groups, rules): compare the next two
        self.assertEqual(counts[1], counts[2], f"queries for 1, 2 and 12 registrants: {counts}")
