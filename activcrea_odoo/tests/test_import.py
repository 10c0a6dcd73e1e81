import base64
import hashlib
import io
from datetime import date, datetime
from pathlib import Path
from unittest.mock import patch

import openpyxl

from odoo.tests import Form, tagged

from .common import ActivcreaCase

DATA = Path(__file__).parents[1] / "static" / "tests" / "data"


@tagged("post_install", "-at_install")
class TestImport(ActivcreaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Slots planned before France Travail's list (UTC; 09:00 Paris = 08:00 UTC)
        cls.slot_arm_9 = cls._slot(datetime(2026, 1, 12, 8, 0))
        cls.slot_lil_9 = cls._slot(
            datetime(2026, 1, 12, 8, 0), user=cls.counselor_2, site=cls.site_lil
        )

    def _import(self, filename=None, content=None, resource=None):
        content = content if content is not None else (DATA / filename).read_bytes()
        batch = (
            self.env["activcrea.import"]
            .with_user(self.manager)
            .with_context(lang=self.manager.lang)
            .create(
                {
                    "resource_id": (resource or self.resource).id,
                    "file": base64.b64encode(content),
                    "filename": filename or "upload.csv",
                }
            )
        )
        batch.action_preview()
        return batch

    def _counts(self):
        return (
            self.env["res.partner"]
            .with_context(active_test=False)
            .search_count([("france_travail_id", "!=", False)]),
            # archived ones included: a registration not confirmed at J-2 is cancelled
            # (enrolment archived, see test_mailing.py)
            self.env["activcrea.enrolment"].with_context(active_test=False).search_count([]),
            self.env["calendar.event"]
            .with_context(active_test=False)
            .search_count([("activcrea_ods_id", "=", self.ods.id)]),
        )

    def test_j10_then_j2(self):
        # a remote slot: its video call's channel receives the person seated in it
        self.slot_arm_9._create_videocall_channel()
        channel = self.slot_arm_9.videocall_channel_id
        self.assertTrue(channel)
        batch = self._import("liste_inscrits_J-10.csv")
        self.assertEqual(batch.state, "preview", batch.log)
        self.assertEqual(batch.list_type, "temporary")
        self.assertEqual(
            (batch.count_new, batch.count_update, batch.count_skipped, batch.count_error),
            (11, 0, 1, 0),
        )
        skipped = batch.line_ids.filtered(lambda line: line.status == "skipped")
        self.assertEqual(skipped.france_travail_id, "5566778M")
        self.assertIn("CCI GRAND LILLE", skipped.message)
        self.assertEqual(self._counts(), (0, 0, 2), "the preview writes nothing")

        batch.action_confirm()
        self.assertEqual(batch.state, "done", batch.log)
        self.assertEqual(self._counts()[:2], (11, 11))
        camille = self.env["res.partner"].search([("france_travail_id", "=", "1234567A")])
        self.assertEqual(camille.name, "Camille LEFEBVRE")
        self.assertEqual(camille.email, "camille.lefebvre@example.org")
        self.assertEqual(camille.phone, "+33612345678")
        self.assertEqual(camille.birthdate, date(1988, 3, 14))
        self.assertTrue(camille.activcrea_import_created)
        self.assertEqual(camille.title, self.env.ref("base.res_partner_title_madam"))
        enrolment = camille.activcrea_enrolment_ids
        self.assertEqual(enrolment.ods_id, self.ods)
        self.assertEqual(enrolment.resource_id, self.resource)
        self.assertEqual(enrolment.site_id, self.site_arm)
        self.assertEqual(enrolment.start_date, date(2026, 1, 12))
        self.assertEqual(enrolment.ft_advisor, "MARTIN Sophie")
        self.assertEqual(enrolment.ft_agency_code, "59041")
        self.assertEqual(enrolment.confirmation, "pending")
        self.assertEqual(enrolment.user_id, self.counselor, "referent = the counselor of the slot")
        # the planned slot received her; the second Lille registrant at 09:00 gets a slot to assign
        self.assertIn(camille, self.slot_arm_9.partner_ids)
        self.assertIn(camille, channel.channel_member_ids.partner_id)
        lille_9 = self.env["calendar.event"].search(
            [
                ("activcrea_site_id", "=", self.site_lil.id),
                ("start", "=", datetime(2026, 1, 12, 8, 0)),
            ]
        )
        self.assertEqual(len(lille_9), 2)
        self.assertEqual(lille_9.filtered("activcrea_to_assign").activcrea_import_created, True)
        self.assertEqual(sum(lille_9.mapped("activcrea_places_taken")), 2)
        to_assign = self.env["calendar.event"].search([("activcrea_to_assign", "=", True)])
        self.assertEqual(len(to_assign), 9)
        self.assertFalse(to_assign.user_id)
        # each with its registrant seated: participant and attendee
        for meeting in to_assign:
            self.assertEqual(len(meeting.partner_ids), 1, meeting.name)
            self.assertEqual(meeting.attendee_ids.partner_id, meeting.partner_ids, meeting.name)
        self.assertTrue(all(to_assign.mapped("activcrea_is_step_one")))
        # the file is kept with the history
        self.assertTrue(
            self.env["ir.attachment"].search_count(
                [
                    ("res_model", "=", "activcrea.import"),
                    ("res_id", "=", batch.id),
                    ("res_field", "=", "file"),
                ]
            )
        )

        j2 = self._import("liste_inscrits_J-2.csv")
        self.assertEqual(j2.list_type, "validated")
        self.assertEqual((j2.count_new, j2.count_update, j2.count_skipped), (0, 11, 1))
        self.assertEqual(j2.count_not_confirmed, 2)
        camille_line = j2.line_ids.filtered(lambda line: line.france_travail_id == "1234567A")
        self.assertIn(
            "Order Number", camille_line.message, "the user reads labels, not field names"
        )
        self.assertNotIn("order_number", camille_line.message)
        j2.action_confirm()
        self.assertEqual(j2.state, "done", j2.log)
        self.assertEqual(self._counts(), (11, 11, 11), "updates, never duplicates")
        enrolments = self.env["activcrea.enrolment"].with_context(active_test=False).search([])
        confirmed = enrolments.filtered(lambda e: e.confirmation == "confirmed")
        not_confirmed = enrolments.filtered(lambda e: e.confirmation == "not_confirmed")
        self.assertEqual(len(confirmed), 9)
        self.assertEqual(
            sorted(not_confirmed.partner_id.mapped("france_travail_id")), ["3456789C", "8901234H"]
        )
        self.assertEqual(camille.activcrea_enrolment_ids.order_number, "2026000101")
        attendee = self.slot_arm_9.attendee_ids.filtered(lambda a: a.partner_id == camille)
        self.assertTrue(attendee.activcrea_confirmed)
        nguyen = not_confirmed.partner_id.filtered(lambda p: p.france_travail_id == "3456789C")
        nguyen_attendee = self.env["calendar.attendee"].search([("partner_id", "=", nguyen.id)])
        self.assertFalse(nguyen_attendee.activcrea_confirmed)

        # the cancellation (test_mailing.py) took them out of their meetings; a meeting the
        # import had created for one of them, left empty, is archived
        Event = self.env["calendar.event"].with_context(active_test=False)
        cancelled_meetings = not_confirmed.activcrea_meeting_id
        self.assertEqual(len(cancelled_meetings), 2)
        self.assertFalse(cancelled_meetings.partner_ids & not_confirmed.partner_id)
        for meeting in cancelled_meetings:
            self.assertEqual(meeting.active, not meeting.activcrea_import_created, meeting.name)
        self.assertTrue(cancelled_meetings.filtered("activcrea_import_created"))
        active_to_assign = Event.search([("activcrea_to_assign", "=", True), ("active", "=", True)])
        self.assertFalse(active_to_assign.filtered(lambda e: not e.partner_ids), "no empty one")

        again = self._import("liste_inscrits_J-2.csv")
        # the two registrations cancelled at J-2 are read as they are: unchanged, no slot
        # taken, no meeting to create for them, nobody put back in a meeting
        self.assertEqual(
            (again.count_new, again.count_update, again.count_unchanged), (0, 0, 11)
        )
        self.assertEqual(again.count_not_confirmed, 2)
        lines = again.line_ids.filtered("not_confirmed")
        self.assertEqual(lines.mapped("status"), ["unchanged", "unchanged"])
        self.assertEqual(lines.event_id, cancelled_meetings)
        self.assertIn("already cancelled", lines[0].message)
        again.action_confirm()
        self.assertEqual(again.state, "done", again.log)
        self.assertEqual(self._counts(), (11, 11, 11), "re-importing changes nothing")
        self.assertFalse(
            Event.search([("partner_ids", "in", not_confirmed.partner_id.ids)]),
            "the cancelled registrants stay out of every meeting",
        )
        for meeting in cancelled_meetings:
            self.assertEqual(meeting.active, not meeting.activcrea_import_created, meeting.name)

    def test_moved_meeting_leaves_the_former_slot(self):
        """France Travail moved Camille's meeting between the J-10 and the J-2 lists: she
        takes the slot planned at the new time and leaves the former one."""
        self._import("liste_inscrits_J-10.csv").action_confirm()
        camille = self.env["res.partner"].search([("france_travail_id", "=", "1234567A")])
        self.assertIn(camille, self.slot_arm_9.partner_ids)
        slot_arm_14 = self._slot(datetime(2026, 1, 13, 13, 0))  # 14:00 in Paris
        content = (DATA / "liste_inscrits_J-2.csv").read_bytes()
        camille_row = next(line for line in content.split(b"\n") if b";1234567A;" in line)
        moved = camille_row.replace(b";12/01/2026 09:00;", b";13/01/2026 14:00;")
        self.assertNotEqual(moved, camille_row)
        # her line alone: the former slot is at none of the file's times
        batch = self._import(content=content.split(b"\n")[0] + b"\n" + moved + b"\n")
        line = batch.line_ids.filtered(lambda line: line.france_travail_id == "1234567A")
        self.assertEqual(line.status, "update")
        self.assertIn("The meeting moved", line.message)
        self.assertIn(camille, self.slot_arm_9.partner_ids, "the preview writes nothing")
        batch.action_confirm()
        self.assertEqual(batch.state, "done", batch.log)
        self.assertNotIn(camille, self.slot_arm_9.partner_ids)
        self.assertNotIn(camille, self.slot_arm_9.attendee_ids.partner_id)
        self.assertIn(camille, slot_arm_14.partner_ids)
        self.assertIn(camille, slot_arm_14.attendee_ids.partner_id)
        self.assertEqual(camille.activcrea_enrolment_ids.start_date, date(2026, 1, 13))

    def test_file_readings_are_forgotten(self):
        """The confirmation reads the rows its preview read in the same process; once
        the import is confirmed or cancelled, nothing of the file stays in memory."""
        from ..rules import prestappli

        def kept(content):
            digest = hashlib.sha256(content).digest()
            return any(key[0] == digest for key in prestappli._SHARED)

        content = (DATA / "liste_inscrits_J-10.csv").read_bytes()
        batch = self._import(content=content)
        self.assertTrue(kept(content))
        with patch.object(
            prestappli, "read_registrants", wraps=prestappli.read_registrants
        ) as reader:
            batch.action_confirm()
        self.assertEqual(batch.state, "done", batch.log)
        reader.assert_not_called()  # the preview's reading
        self.assertFalse(kept(content))

        cancelled = self._import(content=content.replace(b"1234567A", b"1234567B"))
        self.assertTrue(kept(base64.b64decode(cancelled.file)))
        cancelled.action_cancel()
        self.assertFalse(kept(base64.b64decode(cancelled.file)))

    def test_wrong_market_writes_nothing(self):
        self.resource.market_number = "MA-2024-0001"
        batch = self._import("liste_inscrits_J-10.csv")
        self.assertEqual(batch.state, "error")
        self.assertIn("MA-2025-0042", batch.log)
        self.assertIn("MA-2024-0001", batch.log)
        batch.action_confirm()
        self.assertEqual(batch.state, "error")
        self.assertEqual(self._counts(), (0, 0, 2))

    def test_unknown_site_then_attach(self):
        self.site_rbx.address_ids.unlink()
        batch = self._import("liste_inscrits_J-10.csv")
        self.assertEqual(batch.state, "error")
        self.assertIn("BGE HAUTS DE FRANCE - 25 GRANDE RUE 59100 ROUBAIX", batch.log)
        self.assertEqual(
            batch.address_ids.name, "BGE HAUTS DE FRANCE - 25 GRANDE RUE 59100 ROUBAIX"
        )
        self.assertEqual(batch.address_ids.row_count, 3)
        self.assertEqual(self._counts(), (0, 0, 2))
        with Form(batch) as form:
            with form.address_ids.edit(0) as line:
                line.site_id = self.site_rbx
        batch.address_ids.action_attach()
        self.assertEqual(batch.state, "preview", batch.log)
        self.assertEqual(
            self.site_rbx.address_ids.name, "BGE HAUTS DE FRANCE - 25 GRANDE RUE 59100 ROUBAIX"
        )

    def test_bad_files(self):
        pdf = self._import("liste.pdf", content=b"%PDF-1.4\n%binary\x00\x01")
        self.assertEqual(pdf.state, "error")
        self.assertIn("CSV", pdf.log)
        empty = self._import("empty.csv", content=b"")
        self.assertEqual(empty.state, "error")
        missing = self._import("missing.csv", content="Nom;Prénom\nDUPONT;Jean\n".encode())
        self.assertEqual(missing.state, "error")
        self.assertIn("France Travail", missing.log)
        bad_id = (
            (DATA / "liste_inscrits_J-10.csv")
            .read_text(encoding="utf-8-sig")
            .replace("1234567A", "12AB")
        )
        batch = self._import("bad.csv", content=bad_id.encode("cp1252", errors="replace"))
        self.assertEqual(batch.state, "preview", batch.log)
        error = batch.line_ids.filtered(lambda line: line.status == "error")
        self.assertEqual(error.line_number, 2)
        self.assertIn("12AB", error.message)
        self.assertEqual(batch.count_new, 10)
        self.assertEqual(self._counts(), (0, 0, 2))

    def test_known_person_found_by_email(self):
        known = self.env["res.partner"].create(
            {"name": "Camille Lefebvre", "email": "camille.lefebvre@example.org"}
        )
        batch = self._import("liste_inscrits_J-10.csv")
        line = batch.line_ids.filtered(lambda line: line.france_travail_id == "1234567A")
        self.assertEqual(line.status, "update")
        batch.action_confirm()
        self.assertEqual(known.france_travail_id, "1234567A")
        self.assertEqual(len(known.activcrea_enrolment_ids), 1)

    def test_concurrent_confirmation_is_refused_cleanly(self):
        batch = self._import("liste_inscrits_J-10.csv")
        # a second connection holds the lot, as another manager confirming at the same moment
        with patch.object(type(batch), "_lock_resource", return_value=False):
            batch.action_confirm()
        self.assertEqual(batch.state, "error")
        self.assertIn("Another import", batch.log)
        self.assertEqual(self._counts(), (0, 0, 2))
        batch.action_preview()
        batch.action_confirm()
        self.assertEqual(batch.state, "done")

    def test_lock_resource_takes_the_row(self):
        batch = self._import("liste_inscrits_J-10.csv")
        self.assertTrue(batch._lock_resource())
        self.env.cr.execute(
            "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
            "WHERE c.relname = 'activcrea_resource' AND l.mode = 'RowShareLock' "
            "AND l.pid = pg_backend_pid()"
        )
        self.assertEqual(self.env.cr.fetchone()[0], 1)

    def test_messages_in_the_users_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(
            ["activcrea_odoo"], ["fr_FR"], overwrite=True
        )
        self.manager.lang = "fr_FR"
        missing = self._import("missing.csv", content="Nom;Prénom\nDUPONT;Jean\n".encode())
        self.assertEqual(missing.state, "error")
        self.assertIn("Colonne obligatoire manquante : Identifiant France Travail", missing.log)
        bad_id = (DATA / "liste_inscrits_J-10.csv").read_text(encoding="utf-8-sig")
        batch = self._import("bad.csv", content=bad_id.replace("1234567A", "12AB").encode())
        error = batch.line_ids.filtered(lambda line: line.status == "error")
        self.assertIn("Ligne 2", error.message)
        self.assertIn("12AB", error.message)

    def test_xlsx_reordered_columns_and_duplicates(self):
        """The list re-saved in Excel, columns moved, one registrant twice."""
        lines = (DATA / "liste_inscrits_J-10.csv").read_text(encoding="utf-8-sig").splitlines()
        rows = [line.split(";") for line in lines]
        rows = [row[::-1] for row in rows]  # every column in another place
        rows.append(rows[1])
        book = openpyxl.Workbook()
        for row in rows:
            book.active.append(row)
        buffer = io.BytesIO()
        book.save(buffer)
        batch = self._import("liste.xlsx", content=buffer.getvalue())
        self.assertEqual(batch.state, "preview", batch.log)
        self.assertEqual((batch.count_new, batch.count_skipped, batch.count_error), (11, 2, 0))
        duplicate = batch.line_ids.filtered(lambda line: line.line_number == len(rows))
        self.assertEqual(duplicate.status, "skipped")
        self.assertIn("row 2", duplicate.message)
        batch.action_confirm()
        self.assertEqual(self._counts()[:2], (11, 11))
