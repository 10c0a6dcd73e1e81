import base64
import io
from datetime import date, datetime, time

import openpyxl

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import ActivcreaCase


@tagged("post_install", "-at_install")
class TestPlanning(ActivcreaCase):
    def test_event_fields_and_step_one(self):
        event = self._slot(datetime(2026, 1, 12, 8, 0))
        self.assertTrue(event.activcrea_is_step_one)
        coaching = self._slot(
            datetime(2026, 1, 12, 10, 0), hours=2, activcrea_step_id=self.step_coaching.id
        )
        self.assertFalse(coaching.activcrea_is_step_one, "only first-step actions are slots")
        event.partner_ids = [
            Command.link(self.env["res.partner"].create({"name": "Entrepreneur"}).id)
        ]
        self.assertEqual(event.activcrea_places_taken, 1)
        attendee = event.attendee_ids.filtered(lambda a: a.partner_id.name == "Entrepreneur")
        attendee.write({"activcrea_confirmed": True, "activcrea_attended": "yes"})
        self.assertTrue(attendee.activcrea_confirmed)

    def test_resource_and_site_must_belong_to_the_offer(self):
        other_ods = self.env["activcrea.ods"].create({"name": "Other"})
        other_resource = self.env["activcrea.resource"].create(
            {"name": "Other lot", "ods_ids": [Command.set(other_ods.ids)]}
        )
        with self.assertRaisesRegex(ValidationError, "does not fund the offer"):
            self._slot(datetime(2026, 1, 12, 8, 0), activcrea_resource_id=other_resource.id)
        foreign_site = self.env["activcrea.site"].create(
            {"name": "Elsewhere", "antenna_id": self.antenna.id}
        )
        with self.assertRaisesRegex(ValidationError, "is not delivered at the site"):
            self._slot(datetime(2026, 1, 12, 8, 0), site=foreign_site)
        other_step = self.env["activcrea.ods.step"].create(
            {"ods_id": other_ods.id, "action_type_id": self.step_one.action_type_id.id}
        )
        with self.assertRaisesRegex(ValidationError, "is not a step of the offer"):
            self._slot(datetime(2026, 1, 12, 8, 0), activcrea_step_id=other_step.id)
        self.assertFalse(
            self.env["calendar.event"].search([("activcrea_ods_id", "=", self.ods.id)])
        )
        # the same checks when a planned slot is changed (its values not yet written)
        slot = self._slot(datetime(2026, 1, 12, 8, 0))
        with self.assertRaisesRegex(ValidationError, "is not delivered at the site"):
            slot.activcrea_site_id = foreign_site
        with self.assertRaisesRegex(ValidationError, "does not fund the offer"):
            slot.write({"activcrea_resource_id": other_resource.id, "name": "moved"})

    def test_one_appointment_per_event(self):
        with self.assertRaisesRegex(ValidationError, "lasts longer than 60 minutes"):
            self._slot(datetime(2026, 1, 12, 8, 0), hours=3)
        event = self._slot(datetime(2026, 1, 12, 8, 0))
        with self.assertRaisesRegex(ValidationError, "never a block"):
            event.stop = datetime(2026, 1, 12, 11, 0)
        self.env["ir.config_parameter"].set_param("activcrea_odoo.slot_minutes", 90)
        event.stop = datetime(2026, 1, 12, 9, 30)
        self.assertEqual(event.duration, 1.5)

    def test_no_overlapping_slots_for_one_counselor(self):
        self._slot(datetime(2026, 1, 12, 8, 0))
        with self.assertRaisesRegex(ValidationError, "already has an Activ'Créa slot"):
            self._slot(datetime(2026, 1, 12, 8, 30))
        # another counselor at the same time is fine
        self._slot(datetime(2026, 1, 12, 8, 0), user=self.counselor_2, site=self.site_lil)

    def test_copy_gives_an_independent_event(self):
        event = self._slot(datetime(2026, 1, 12, 8, 0))
        event.write(
            {
                "recurrency": True,
                "rrule_type": "weekly",
                "interval": 1,
                "end_type": "count",
                "count": 2,
                "mon": True,
            }
        )
        self.assertTrue(event.recurrence_id)
        entrepreneur = self.env["res.partner"].create({"name": "Entrepreneur"})
        event.with_context(recurrence_update="self_only").partner_ids = [
            Command.link(entrepreneur.id)
        ]
        copy = event.copy(
            {"start": datetime(2026, 2, 12, 8, 0), "stop": datetime(2026, 2, 12, 9, 0)}
        )
        self.assertFalse(copy.recurrence_id)
        self.assertFalse(copy.recurrency)
        self.assertEqual(
            copy.partner_ids, self.counselor.partner_id, "entrepreneurs stay on the original"
        )

    def _wizard(self, **values):
        form = Form(self.env["activcrea.slot.wizard"].with_user(self.manager))
        form.user_ids.add(self.counselor)
        form.ods_id = self.ods
        form.date_from = date(2026, 1, 12)
        form.date_to = date(2026, 1, 18)
        for name, value in values.items():
            setattr(form, name, value)
        return form.save()

    def test_bulk_wizard_creates_and_skips(self):
        # an existing meeting of the counselor on Monday 10:00-11:00 Paris
        self.env["calendar.event"].create(
            {
                "name": "Team meeting",
                "start": datetime(2026, 1, 12, 9, 0),
                "stop": datetime(2026, 1, 12, 10, 0),
                "user_id": self.counselor.id,
                "partner_ids": [Command.set(self.counselor.partner_id.ids)],
            }
        )
        wizard = self._wizard(
            resource_id=self.resource, site_id=self.site_arm, time_from=9.0, time_to=12.0
        )
        self.assertEqual(wizard.step_id, self.step_one)
        wizard.action_create_slots()
        # Monday to Friday, 9-10, 10-11, 11-12: 15 slots, one overlapping the meeting
        self.assertEqual(wizard.created_count, 14)
        self.assertEqual(wizard.skipped_count, 1)
        slots = self.env["calendar.event"].search(
            [("activcrea_is_step_one", "=", True), ("user_id", "=", self.counselor.id)],
            order="start",
        )
        self.assertEqual(len(slots), 14)
        self.assertEqual(slots[0].start, datetime(2026, 1, 12, 8, 0), "09:00 Paris is 08:00 UTC")
        self.assertFalse(slots.recurrence_id)
        self.assertEqual(set(slots.mapped("duration")), {1.0})
        # running it again creates nothing: every slot overlaps
        again = self._wizard(
            resource_id=self.resource, site_id=self.site_arm, time_from=9.0, time_to=12.0
        )
        again.action_create_slots()
        self.assertEqual((again.created_count, again.skipped_count), (0, 15))

    def test_bulk_wizard_start_times_and_bad_input(self):
        wizard = self._wizard(
            resource_id=self.resource,
            site_id=self.site_arm,
            time_mode="times",
            start_times="9h00, 14:00",
            monday=True,
            tuesday=False,
            wednesday=False,
            thursday=False,
            friday=False,
        )
        wizard.action_create_slots()
        self.assertEqual(wizard.created_count, 2)
        bad = self._wizard(
            resource_id=self.resource, site_id=self.site_arm, time_mode="times", start_times="noon"
        )
        with self.assertRaisesRegex(UserError, "is not a start time"):
            bad.action_create_slots()
        empty = self._wizard(
            resource_id=self.resource,
            site_id=self.site_arm,
            monday=False,
            tuesday=False,
            wednesday=False,
            thursday=False,
            friday=False,
        )
        with self.assertRaisesRegex(UserError, "at least one day"):
            empty.action_create_slots()

    def _planning(self, date_from, date_to, **values):
        return (
            self.env["activcrea.planning"]
            .with_user(self.manager)
            .create({"date_from": date_from, "date_to": date_to, **values})
        )

    def test_planning_period_is_at_most_31_days(self):
        planning = self._planning(date(2026, 1, 1), date(2026, 2, 1))
        with self.assertRaisesRegex(UserError, "32 days"):
            planning.action_export_france_travail()
        with self.assertRaisesRegex(UserError, "32 days"):
            planning.action_show()
        planning.date_to = date(2026, 1, 31)
        self.assertTrue(planning.action_show()["domain"])

    def _exported(self, planning, method):
        action = getattr(planning, method)()
        self.assertIn("/export_file/", action["url"])
        return openpyxl.load_workbook(io.BytesIO(base64.b64decode(planning.export_file)))

    def test_exports(self):
        self._slot(datetime(2026, 1, 13, 8, 0), site=self.site_arm)
        taken = self._slot(datetime(2026, 1, 12, 8, 0), site=self.site_arm)
        taken.partner_ids = [
            Command.link(self.env["res.partner"].create({"name": "Registrant"}).id)
        ]
        self._slot(datetime(2026, 1, 12, 8, 0), user=self.counselor_2, site=self.site_lil)
        self.site_lil.name = '=HYPERLINK("x")'
        self._slot(datetime(2026, 1, 20, 8, 0), site=self.site_rbx, activcrea_mode="remote")
        self._slot(datetime(2026, 3, 1, 8, 0), site=self.site_rbx)  # outside the period
        coaching = self._slot(
            datetime(2026, 1, 14, 8, 0), hours=2, activcrea_step_id=self.step_coaching.id
        )
        self.assertFalse(coaching.activcrea_is_step_one)
        planning = self._planning(date(2026, 1, 1), date(2026, 1, 31))
        self.assertEqual(planning.event_count, 4)

        book = self._exported(planning, "action_export_france_travail")
        self.assertEqual(book.sheetnames, ['=HYPERLINK("x")', "Armentieres", "Roubaix"])
        arm = book["Armentieres"]
        self.assertEqual(arm.max_row, 3, "header + two slots")
        self.assertEqual(arm["A2"].value, datetime(2026, 1, 12), "sorted by date")
        self.assertEqual(arm["A2"].number_format, "dd/mm/yyyy")
        self.assertEqual(arm["B2"].value, time(9, 0), "local time")
        self.assertEqual(arm["B2"].number_format, "hh:mm")
        self.assertEqual(arm["D2"].value, self.site_arm.address_ids.name)
        self.assertEqual(arm["F2"].value, "Claire Martin")
        self.assertEqual(book["Roubaix"]["E2"].value, "À distance", "France Travail's word")
        self.assertEqual(arm["E2"].value, "Présentiel")
        lille = book['=HYPERLINK("x")']
        for row in lille.iter_rows():
            for cell in row:
                self.assertNotEqual(cell.data_type, "f", "no formula is ever written")

        book = self._exported(planning, "action_export_xlsx")
        sheet = book.active
        self.assertEqual(sheet.max_row, 5)
        self.assertEqual(sheet["A2"].value, '=HYPERLINK("x")')
        self.assertEqual(sheet["A2"].data_type, "s")
        self.assertIsInstance(sheet["B2"].value, datetime)
        self.assertEqual(sheet["A3"].value, "Armentieres")
        self.assertEqual([sheet["G3"].value, sheet["G4"].value], [1, 0], "places taken")

        only_arm = self._planning(
            date(2026, 1, 1), date(2026, 1, 31), site_ids=[Command.set(self.site_arm.ids)]
        )
        book = self._exported(only_arm, "action_export_france_travail")
        self.assertEqual(book.sheetnames, ["Armentieres"])
