from odoo.tests import HttpCase, new_test_user, tagged

from .common import ImportListMixin


@tagged("post_install", "-at_install")
class TestManagerTour(HttpCase):
    """The browser tour of static/tests/tours/activcrea_manager_tour.js, as an
    office manager in French, on the demo BGE (France Travail's example files
    name its market, lot and sites)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.resource = cls.env.ref(
            "activcrea_odoo.resource_ma_2025_0042_lot3", raise_if_not_found=False
        )
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.manager = new_test_user(
            cls.env,
            login="ac_tour_manager",
            name="Sophie Gestion",
            groups="base.group_user,activcrea_odoo.group_activcrea_manager",
            lang="fr_FR",
            tz="Europe/Paris",
        )

    def setUp(self):
        super().setUp()
        if not self.resource:
            self.skipTest("the tour walks the demo BGE: install with demo data")

    def test_manager_tour(self):
        people = self.env["res.partner"].search([("france_travail_id", "!=", False)])
        self.start_tour("/odoo", "activcrea_manager_tour", login="ac_tour_manager")
        imported = self.env["res.partner"].search([("france_travail_id", "!=", False)]) - people
        self.assertTrue(imported, "the tour's imports created people")
        enrolments = self.env["activcrea.enrolment"].search([("partner_id", "in", imported.ids)])
        self.assertEqual(len(enrolments), len(imported))
        self.assertEqual(set(enrolments.resource_id.ids), {self.resource.id})
        batches = self.env["activcrea.import"].search(
            [("create_uid", "=", self.manager.id)], order="id"
        )
        self.assertEqual(batches.mapped("state"), ["done", "done"])
        slots = self.env["calendar.event"].search(
            [
                ("create_uid", "=", self.manager.id),
                ("activcrea_is_step_one", "=", True),
                ("activcrea_import_created", "=", False),
            ]
        )
        self.assertTrue(slots, "the tour's slot wizard created slots")
        self.assertEqual(
            slots.user_id, self.env.ref("activcrea_odoo.user_counselor_martin")
        )
        # the assignment (issue 12): the registrant of the J-10 list who had no free slot; at
        # J-2 France Travail did not confirm him, so his registration was cancelled (issue 13)
        lambert = (
            self.env["res.partner"]
            .with_context(active_test=False)
            .search([("france_travail_id", "=", "8901234H")])
        )
        self.assertIn(lambert, self.env["res.partner"].with_context(active_test=False).search(
            [("id", "not in", people.ids), ("france_travail_id", "!=", False)]
        ))
        meeting = (
            self.env["calendar.event"]
            .with_context(active_test=False)
            .search([("activcrea_import_created", "=", True), ("name", "ilike", "LAMBERT")])
        )
        self.assertEqual(len(meeting), 1, "LAMBERT's meeting")
        self.assertFalse(meeting.activcrea_to_assign, "assigned by the tour")
        self.assertTrue(meeting.user_id, "in a counselor's agenda")
        self.assertNotIn(lambert, meeting.partner_ids, "cancelled at J-2")
        self.assertFalse(meeting.active, "left empty by the cancellation: out of the agenda")


@tagged("post_install", "-at_install")
class TestAccountantTour(ImportListMixin, HttpCase):
    """The browser tour of static/tests/tours/activcrea_accountant_tour.js: an accountant
    in French generates the invoice of an enrolment of France Travail's example files."""

    def test_accountant_tour(self):
        resource = self.env.ref("activcrea_odoo.resource_ma_2025_0042_lot3", raise_if_not_found=False)
        if not resource:
            self.skipTest("the tour walks the demo BGE: install with demo data")
        self.env["res.lang"]._activate_lang("fr_FR")
        new_test_user(
            self.env,
            login="ac_tour_accountant",
            name="Paul Compta",
            groups="base.group_user,activcrea_odoo.group_activcrea_accountant",
            lang="fr_FR",
            tz="Europe/Paris",
        )
        for name in ("liste_inscrits_J-10.csv", "liste_inscrits_J-2.csv"):
            self._import_list(name, resource=resource)
        enrolment = self.env["activcrea.enrolment"].search(
            [("partner_id.france_travail_id", "=", "1234567A")]
        )
        enrolment.write(
            {
                "diagnostic_outcome": "continued",
                "bilan_date": enrolment.end_date,
                "bilan_outcome": "relevant",
                "bilan_reason_id": self.env["activcrea.reason"]
                .search([("kind", "=", "bilan")], limit=1)
                .id,
            }
        )
        self.assertTrue(enrolment.billing_due, enrolment.billing_blocker)
        self.start_tour("/odoo", "activcrea_accountant_tour", login="ac_tour_accountant")
        invoice = self.env["account.move"].search([("activcrea_enrolment_id", "=", enrolment.id)])
        self.assertEqual(invoice.state, "posted")
        self.assertRegex(invoice.name, r"^14JUNF26\d{5}$")
        self.assertEqual(invoice.partner_id, resource.financer_id)
