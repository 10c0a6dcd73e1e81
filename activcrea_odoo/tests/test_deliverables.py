import base64
import io
import zipfile
from datetime import date, datetime

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import format_date

from .common import ActivcreaCase

DIAGNOSTIC = "activcrea_odoo.action_report_deliverable_diagnostic"
BILAN = "activcrea_odoo.action_report_deliverable_bilan"
ATTENDANCE = "activcrea_odoo.action_report_deliverable_attendance"
EVENT = "activcrea_odoo.action_report_event_attendance"


@tagged("post_install", "-at_install")
class TestDeliverables(ActivcreaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reason = cls.env["activcrea.reason"].search([("kind", "=", "bilan")], limit=1)
        cls.Report = cls.env["ir.actions.report"]
        cls.camille, cls.karim = cls.env["res.partner"].create(
            [
                {
                    "name": "Camille LEFEBVRE",
                    "france_travail_id": "1234567A",
                    "email": "camille@example.org",
                },
                {"name": "Karim DUBOIS", "france_travail_id": "2345678B"},
            ]
        )
        # 12/01/2026 09:00 Paris = 08:00 UTC
        cls.slot = cls._slot(datetime(2026, 1, 12, 8, 0))
        cls.slot.partner_ids = [Command.link(cls.camille.id), Command.link(cls.karim.id)]
        cls.coaching = cls._slot(
            datetime(2026, 2, 2, 9, 0), activcrea_step_id=cls.step_coaching.id, name="Suivi"
        )
        cls.coaching.partner_ids = [Command.link(cls.camille.id)]
        cls.coaching.attendee_ids.filtered(lambda a: a.partner_id == cls.camille).write(
            {"activcrea_attended": "yes"}
        )
        common = {
            "ods_id": cls.ods.id,
            "resource_id": cls.resource.id,
            "site_id": cls.site_arm.id,
            "start_date": date(2026, 1, 12),
            "user_id": cls.counselor.id,
        }
        cls.complete = cls.env["activcrea.enrolment"].create(
            {
                **common,
                "partner_id": cls.camille.id,
                "order_number": "2026000101",
                "ft_advisor": "MARTIN Sophie",
                "ft_agency_code": "59041",
                "diagnostic_date": date(2026, 1, 12),
                "diagnostic_outcome": "continued",
                "bilan_date": date(2026, 4, 2),
                "bilan_outcome": "relevant",
                "bilan_reason_id": cls.reason.id,
            }
        )
        cls.incomplete = cls.env["activcrea.enrolment"].create(
            {**common, "partner_id": cls.karim.id, "site_id": False, "order_number": "2026000102"}
        )

    def _html(self, report, records):
        return self.Report._render_qweb_html(report, records.ids)[0].decode()

    # The documents -------------------------------------------------------------------
    def test_each_report_holds_the_person_the_dates_and_the_order(self):
        start = format_date(self.env, date(2026, 1, 12))
        for report in (DIAGNOSTIC, BILAN, ATTENDANCE):
            with self.subTest(report=report):
                html = self._html(report, self.complete)
                for text in ("Camille LEFEBVRE", "1234567A", "2026000101", start, "BGE Test"):
                    self.assertIn(text, html)
        self.assertIn("MARTIN Sophie", self._html(DIAGNOSTIC, self.complete))
        bilan = self._html(BILAN, self.complete)
        self.assertIn(format_date(self.env, date(2026, 4, 2)), bilan)
        self.assertIn(self.reason.name, bilan)
        attendance = self._html(ATTENDANCE, self.complete)
        self.assertIn(format_date(self.env, date(2026, 2, 2)), attendance)
        self.assertIn("09:00", attendance)  # Paris time, not UTC
        self.assertIn("signature", attendance)

    def test_event_attendance_sheet_lists_every_participant(self):
        html = self._html(EVENT, self.slot)
        self.assertIn("Camille LEFEBVRE", html)
        self.assertIn("Karim DUBOIS", html)
        self.assertIn("2345678B", html)
        self.assertNotIn(self.counselor.name + "</td>", html.split("participants")[-1])

    # The checks ----------------------------------------------------------------------
    def test_print_buttons_check_first(self):
        enrolment = self.complete.with_user(self.manager)
        action = enrolment.action_print_diagnostic()
        self.assertEqual(action["type"], "ir.actions.report")
        self.assertEqual(action["report_name"], "activcrea_odoo.report_deliverable_diagnostic")
        self.assertEqual(enrolment.action_print_bilan()["type"], "ir.actions.report")

    def test_refusal_lists_every_problem_and_where(self):
        with self.assertRaises(UserError) as refusal:
            self.incomplete.action_print_diagnostic()
        text = str(refusal.exception)
        for expected in (
            "no site",
            "France Travail advisor is missing",
            "agency code is missing",
            "initial diagnostic date is missing",
            "outcome of the initial diagnostic is missing",
        ):
            self.assertIn(expected, text)
        self.assertIn("tab « Activ'Créa form »", text)
        self.assertNotIn("order number is missing", text)

    def test_refusals_of_each_check(self):
        cases = [
            ({"resource_id": False}, "action_print_attendance_sheet", "no resource"),
            ({"start_date": date(2026, 1, 13)}, "action_print_attendance_sheet", "is after the first action"),
            ({"diagnostic_date": date(2026, 1, 14)}, "action_print_diagnostic", "differs from the date of the first action"),
            ({"bilan_date": False, "bilan_outcome": False, "bilan_reason_id": False}, "action_print_bilan", "date of the bilan, early exit or abandonment is missing"),
            ({"bilan_reason_id": False}, "action_print_bilan", "No reason"),
            ({"bilan_outcome": False}, "action_print_bilan", "outcome of the bilan"),
        ]  # fmt: skip
        for day, (values, method, message) in enumerate(cases, start=1):
            with self.subTest(message=message):
                enrolment = self.complete.copy({"start_date": date(2025, 12, day), **values})
                with self.assertRaisesRegex(UserError, message):
                    getattr(enrolment, method)()

    def test_no_action_refused(self):
        enrolment = self.incomplete.copy({"site_id": self.site_arm.id, "start_date": False})
        enrolment.partner_id = self.env["res.partner"].create({"name": "Sans ACTION"})
        with self.assertRaisesRegex(UserError, "no action in this offer"):
            enrolment.action_print_attendance_sheet()

    def test_rendering_refuses_too_whoever_asks(self):
        """The Print menu and the report URL go through the same checks."""
        with self.assertRaisesRegex(UserError, "no site"):
            self.Report._render_qweb_pdf(ATTENDANCE, self.incomplete.ids)
        self.assertFalse(self.incomplete.attendance_printed_date)

    def test_counselor_prints_the_attendance_sheet(self):
        action = self.complete.with_user(self.counselor).action_print_attendance_sheet()
        self.assertEqual(action["type"], "ir.actions.report")

    # Printing as PDF: date and attachment --------------------------------------------
    def test_printing_records_the_date_and_keeps_the_pdf(self):
        report = self.Report.with_context(force_report_rendering=True)
        pdf, kind = report._render_qweb_pdf(DIAGNOSTIC, self.complete.ids)
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        self.assertTrue(self.complete.diagnostic_printed_date)
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", "activcrea.enrolment"), ("res_id", "=", self.complete.id)]
        )
        self.assertEqual(attachment.mapped("name"), ["1234567A_LEFEBVRE_Camille_diagnostic.pdf"])
        self.assertIn(attachment, self.complete.message_ids.attachment_ids)
        # printed again after a change: a new PDF, the older one stays
        report._render_qweb_pdf(DIAGNOSTIC, self.complete.ids)
        self.assertEqual(
            self.env["ir.attachment"].search_count(
                [("res_model", "=", "activcrea.enrolment"), ("res_id", "=", self.complete.id)]
            ),
            2,
        )

    # The deposit pack ----------------------------------------------------------------
    def _due(self):
        Enrolment = self.env["activcrea.enrolment"]
        return Enrolment.search(
            Enrolment._deliverables_due_domain() + [("id", "in", (self.complete | self.incomplete).ids)]
        )

    def test_deposit_pack(self):
        self.incomplete.write({"diagnostic_outcome": "continued"})
        self.assertEqual(self._due(), self.complete | self.incomplete)
        pack = (
            self.env["activcrea.deposit.pack"]
            .with_user(self.manager)
            .with_context(active_model="activcrea.enrolment", active_ids=(self.complete | self.incomplete).ids)
            .create({})
        )
        self.assertEqual(pack.enrolment_ids, self.complete | self.incomplete)
        pack.action_build()
        self.assertEqual(pack.document_count, 3)
        with zipfile.ZipFile(io.BytesIO(base64.b64decode(pack.zip_file))) as archive:
            names = sorted(archive.namelist())
            self.assertTrue(all(archive.read(name).startswith(b"%PDF") for name in names))
        self.assertEqual(
            names,
            [
                "1234567A_LEFEBVRE_Camille_bilan.pdf",
                "1234567A_LEFEBVRE_Camille_diagnostic.pdf",
                "1234567A_LEFEBVRE_Camille_emargement.pdf",
            ],
        )
        self.assertIn("Karim DUBOIS (2345678B)", pack.left_out)
        self.assertIn("no site", pack.left_out)
        pack.deposit_date = date(2026, 4, 10)
        pack.action_mark_deposited()
        self.assertEqual(self.complete.deposit_diagnostic_date, date(2026, 4, 10))
        self.assertEqual(self.complete.deposit_bilan_date, date(2026, 4, 10))
        self.assertFalse(self.incomplete.deposit_diagnostic_date)
        self.assertEqual(self._due(), self.incomplete)

    def test_deposit_pack_by_resource_and_period(self):
        pack = self.env["activcrea.deposit.pack"].create(
            {
                "resource_id": self.resource.id,
                "date_from": date(2026, 1, 1),
                "date_to": date(2026, 1, 31),
            }
        )
        self.assertEqual(pack._target_enrolments(), self.complete)
        with self.assertRaisesRegex(UserError, "Select enrolments"):
            self.env["activcrea.deposit.pack"].create({})._target_enrolments()

    def test_dashboard_filter_is_the_due_domain(self):
        view = self.env.ref("activcrea_odoo.activcrea_enrolment_view_search")
        self.assertIn('name="deliverables_due"', view.arch_db)
        Enrolment = self.env["activcrea.enrolment"]
        from odoo.tools.safe_eval import safe_eval  # noqa: PLC0415
        from lxml import etree  # noqa: PLC0415

        node = etree.fromstring(view.arch_db).xpath("//filter[@name='deliverables_due']")[0]
        self.assertEqual(safe_eval(node.get("domain")), Enrolment._deliverables_due_domain())

    def test_checks_use_a_fixed_number_of_queries(self):
        few = self.complete | self.incomplete
        people = self.env["res.partner"].create([{"name": f"Porteur {i}"} for i in range(8)])
        many = few | self.env["activcrea.enrolment"].create(
            [
                {"partner_id": person.id, "ods_id": self.ods.id, "start_date": date(2026, 1, 5)}
                for person in people
            ]
        )
        counts = []
        for enrolments in (few, many):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self.env["activcrea.deposit.pack"]._sort_out(enrolments)
            counts.append(self.env.cr.sql_log_count - before)
        self.assertEqual(counts[0], counts[1])
