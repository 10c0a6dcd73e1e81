from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import ActivcreaCase


@tagged("post_install", "-at_install")
class TestConfiguration(ActivcreaCase):
    def test_first_step_is_the_diagnostic(self):
        self.assertEqual(self.ods.first_step_id.action_type_id, self.type_diagnostic)
        with self.assertRaisesRegex(ValidationError, "must be the initial diagnostic"):
            self.env["activcrea.ods"].create(
                {
                    "name": "Wrong order",
                    "special_service": "activcrea_2025",
                    "step_ids": [
                        Command.create({"sequence": 1, "action_type_id": self.type_workshop.id}),
                        Command.create({"sequence": 2, "action_type_id": self.type_diagnostic.id}),
                    ],
                }
            )
        # Moving a workshop above the diagnostic of an existing offer is refused too.
        with self.assertRaisesRegex(ValidationError, "must be the initial diagnostic"):
            self.step_coaching.sequence = 0
        # An offer that is not Activ'Créa may start with anything.
        other = self.env["activcrea.ods"].create(
            {
                "name": "Workshops",
                "step_ids": [
                    Command.create({"sequence": 1, "action_type_id": self.type_workshop.id})
                ],
            }
        )
        self.assertEqual(other.first_step_id.action_type_id, self.type_workshop)

    def test_resource_has_exactly_one_offer(self):
        self.assertEqual(self.resource.ods_id, self.ods)
        second = self.env["activcrea.ods"].create({"name": "Second", "company_id": self.company.id})
        with self.assertRaisesRegex(ValidationError, "exactly one offer"):
            self.resource.ods_ids = [Command.link(second.id)]
        # The same rule from the offer's side.
        with self.assertRaisesRegex(ValidationError, "exactly one offer"):
            second.resource_ids = [Command.link(self.resource.id)]
        self.assertEqual(self.resource.ods_ids, self.ods)

    def test_resource_form_and_co_contractor(self):
        with Form(self.env["activcrea.resource"]) as form:
            form.name = "Lot 4"
            form.market_number = "MA-2025-0042"
            form.lot_number = "4"
            form.contractor_role = "co"
            form.lead_contractor_id = self.financer
            form.ods_ids.add(self.env["activcrea.ods"].create({"name": "Lot 4 offer"}))
        resource = form.record
        self.assertEqual(resource.ods_id.name, "Lot 4 offer")
        with self.assertRaisesRegex(ValidationError, "lead contractor"):
            resource.lead_contractor_id = False
        with self.assertRaisesRegex(ValidationError, "ends before it starts"):
            resource.write({"date_start": "2026-01-01", "date_end": "2025-01-01"})

    def test_france_travail_addresses_are_unique_and_normalized(self):
        address = self.site_arm.address_ids
        self.assertEqual(
            address.normalized, "bge hauts de france 3 rue de la gare 59280 armentieres"
        )
        with self.assertRaisesRegex(ValidationError, "already used by the site"):
            self.env["activcrea.site.address"].create(
                {
                    "name": "bge Hauts-de-France  3, rue de la Gare 59280 Armentières",
                    "site_id": self.site_lil.id,
                }
            )
        index = self.env["activcrea.site.address"]._alias_index(self.company.ids)
        self.assertEqual(index[address.normalized], self.site_arm.id)
        self.assertEqual(len(index), 3)

    def test_site_company_follows_antenna(self):
        self.assertEqual(self.site_arm.company_id, self.company)
        self.assertEqual(self.site_b.company_id, self.company_b)

    def test_counselor_sites_on_user(self):
        self.assertIn(self.counselor, self.site_arm.user_ids)
        self.counselor.activcrea_site_ids = [Command.link(self.site_lil.id)]
        self.assertIn(self.counselor, self.site_lil.user_ids)

    def test_company_legal_entity_fields(self):
        self.company.write(
            {
                "activcrea_invoice_prefix": "JUN",
                "activcrea_invoice_base_number": "14",
                "activcrea_legal_form": "Association loi 1901",
                "ape": "8559A",
            }
        )
        self.assertEqual(self.company.partner_id.siret, "41234567800021")
        self.assertEqual(self.company.activcrea_antenna_ids, self.antenna)

    def test_france_travail_identifier_format(self):
        partner = self.env["res.partner"].create({"name": "A", "france_travail_id": "1234567A"})
        partner.france_travail_id = "12345678901"
        with self.assertRaisesRegex(ValidationError, "not valid"):
            partner.france_travail_id = "12345A"
