from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import ActivcreaCase


@tagged("post_install", "-at_install")
class TestSecurity(ActivcreaCase):
    def test_manager_implies_counselor(self):
        self.assertTrue(self.manager.has_group("activcrea_odoo.group_activcrea_counselor"))
        self.assertFalse(self.counselor.has_group("activcrea_odoo.group_activcrea_manager"))

    def test_counselor_cannot_edit_configuration(self):
        ods = self.ods.with_user(self.counselor)
        self.assertEqual(ods.name, "Activ'Créa 2025")
        with self.assertRaises(AccessError):
            ods.name = "Changed"
        with self.assertRaises(AccessError):
            self.env["activcrea.site"].with_user(self.counselor).create(
                {"name": "New", "antenna_id": self.antenna.id}
            )
        with self.assertRaises(AccessError):
            self.resource.with_user(self.counselor).market_number = "X"
        # the manager can
        self.ods.with_user(self.manager).name = "Activ'Créa 2025 (renamed)"
        self.assertEqual(self.ods.name, "Activ'Créa 2025 (renamed)")

    def test_accountant_reads_configuration_only(self):
        self.assertTrue(self.resource.with_user(self.accountant).market_number)
        with self.assertRaises(AccessError):
            self.resource.with_user(self.accountant).market_number = "X"

    def _as_user_b(self, records):
        return records.with_user(self.user_b).with_context(allowed_company_ids=self.company_b.ids)

    def test_other_company_sees_nothing(self):
        for model in ("activcrea.site", "activcrea.resource", "activcrea.ods", "activcrea.antenna"):
            visible = self._as_user_b(self.env[model]).search([])
            self.assertFalse(visible.company_id & self.company, model)
        sites_b = self._as_user_b(self.env["activcrea.site"]).search([])
        self.assertEqual(sites_b, self.site_b)
        with self.assertRaises(AccessError):
            self._as_user_b(self.site_arm).read(["name"])
        with self.assertRaises(AccessError):
            self._as_user_b(self.resource).read(["market_number"])
        visible_a = self.env["activcrea.resource"].with_user(self.manager).search([])
        self.assertIn(self.resource, visible_a)
        self.assertNotIn(self.resource_b, visible_a)

    def test_import_menu_reserved_to_managers(self):
        with self.assertRaises(AccessError):
            self.env["activcrea.import"].with_user(self.counselor).create(
                {"resource_id": self.resource.id}
            )
