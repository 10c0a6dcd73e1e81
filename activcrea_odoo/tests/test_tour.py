from odoo.tests import HttpCase, new_test_user, tagged


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
        if cls.env.ref("base.lang_fr").active is False:
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
        # the assignment (issue 12): the registrant of the J-2 list who had no free slot
        lambert = imported.filtered(lambda p: p.france_travail_id == "8901234H")
        meetings = self.env["calendar.event"].search([("partner_ids", "in", lambert.ids)])
        self.assertTrue(meetings, "LAMBERT's meeting")
        self.assertFalse(meetings.filtered("activcrea_to_assign"), "assigned by the tour")
        self.assertTrue(all(meeting.user_id for meeting in meetings), "in a counselor's agenda")
