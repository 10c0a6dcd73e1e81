import base64
from contextlib import contextmanager
from pathlib import Path

from odoo import Command
from odoo.tests import TransactionCase, new_test_user

ADDRESSES = {
    "armentieres": "BGE HAUTS DE FRANCE - 3 RUE DE LA GARE 59280 ARMENTIERES",
    "lille": "BGE HAUTS DE FRANCE - 14 BOULEVARD CARNOT 59000 LILLE",
    "roubaix": "BGE HAUTS DE FRANCE - 25 GRANDE RUE 59100 ROUBAIX",
}

# France Travail's example files
DATA = Path(__file__).parents[1] / "static" / "tests" / "data"


class ImportListMixin:
    """France Travail's registrant lists imported as the import screen does it (for the
    tests of ActivcreaCase and the browser tours alike)."""

    def _import_list(self, filename, user=None, resource=None, confirm=True):
        """Upload ``DATA / filename`` on ``resource`` (default ``self.resource``) as ``user``
        (default the test's environment) and preview it; with ``confirm``, confirm it and
        check it is done."""
        imports = self.env["activcrea.import"]
        if user:
            imports = imports.with_user(user)
        batch = imports.create(
            {
                "resource_id": (resource or self.resource).id,
                "file": base64.b64encode((DATA / filename).read_bytes()),
                "filename": filename,
            }
        )
        batch.action_preview()
        if confirm:
            batch.action_confirm()
            self.assertEqual(batch.state, "done", batch.log)
        return batch


class ActivcreaCase(ImportListMixin, TransactionCase):
    """A configured BGE (the one of France Travail's example files), users per group,
    and a second legal entity to check the multi-company rules."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The tests read messages in English whatever the database's languages (a French
        # database makes French the default of new users): the language is set, here and
        # on every test user. A test about French sets it explicitly (see test_french.py).
        cls.env["res.lang"]._activate_lang("en_US")
        cls.env = cls.env(
            context=dict(
                cls.env.context, lang="en_US", tracking_disable=True, no_mail_to_attendees=True
            )
        )
        cls.company = cls.env["res.company"].create({"name": "BGE Test", "siret": "41234567800021"})
        cls.company_b = cls.env["res.company"].create(
            {"name": "BGE Other", "siret": "99999999900011"}
        )
        companies = cls.company | cls.company_b
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=[cls.company.id]))
        cls.manager = cls._user("ac_manager", "manager")
        cls.accountant = cls._user("ac_accountant", "accountant")
        cls.type_diagnostic = cls.env.ref("activcrea_odoo.action_type_diagnostic")
        cls.type_coaching = cls.env.ref("activcrea_odoo.action_type_coaching")
        cls.type_workshop = cls.env.ref("activcrea_odoo.action_type_workshop")
        cls.type_bilan = cls.env.ref("activcrea_odoo.action_type_bilan")
        cls.antenna = cls.env["activcrea.antenna"].create(
            {"name": "Métropole", "company_id": cls.company.id}
        )
        cls.sites = {}
        for key, address in ADDRESSES.items():
            cls.sites[key] = cls.env["activcrea.site"].create(
                {
                    "name": key.capitalize(),
                    "antenna_id": cls.antenna.id,
                    "address_ids": [Command.create({"name": address})],
                }
            )
        cls.site_arm, cls.site_lil, cls.site_rbx = (
            cls.sites["armentieres"],
            cls.sites["lille"],
            cls.sites["roubaix"],
        )
        cls.all_sites = cls.site_arm | cls.site_lil | cls.site_rbx
        cls.ods = cls.env["activcrea.ods"].create(
            {
                "name": "Activ'Créa 2025",
                "special_service": "activcrea_2025",
                "company_id": cls.company.id,
                "site_ids": [Command.set(cls.all_sites.ids)],
                "step_ids": [
                    Command.create({"sequence": 1, "action_type_id": cls.type_diagnostic.id}),
                    Command.create({"sequence": 2, "action_type_id": cls.type_coaching.id}),
                    Command.create({"sequence": 3, "action_type_id": cls.type_workshop.id}),
                    Command.create({"sequence": 4, "action_type_id": cls.type_bilan.id}),
                ],
            }
        )
        cls.step_one = cls.ods.first_step_id
        cls.step_coaching = cls.ods.step_ids.filtered(
            lambda s: s.action_type_id == cls.type_coaching
        )
        cls.financer = cls.env["res.partner"].create({"name": "France Travail", "is_company": True})
        cls.resource = cls.env["activcrea.resource"].create(
            {
                "name": "Marché Activ'Créa 2025 - lot 3",
                "company_id": cls.company.id,
                "antenna_id": cls.antenna.id,
                "market_number": "MA-2025-0042",
                "lot_number": "3",
                "financer_id": cls.financer.id,
                "ods_ids": [Command.set(cls.ods.ids)],
            }
        )
        cls.counselor = cls._user(
            "ac_counselor", "counselor", name="Claire Martin", sites=cls.site_arm
        )
        cls.counselor_2 = cls._user(
            "ac_counselor_2", "counselor", name="Thomas Bernard", sites=cls.site_lil | cls.site_rbx
        )
        # The other legal entity
        cls.antenna_b = cls.env["activcrea.antenna"].create(
            {"name": "Autre", "company_id": cls.company_b.id}
        )
        cls.site_b = cls.env["activcrea.site"].create(
            {"name": "Site B", "antenna_id": cls.antenna_b.id}
        )
        cls.ods_b = cls.env["activcrea.ods"].create(
            {"name": "ODS B", "company_id": cls.company_b.id}
        )
        cls.resource_b = cls.env["activcrea.resource"].create(
            {
                "name": "Resource B",
                "company_id": cls.company_b.id,
                "ods_ids": [Command.set(cls.ods_b.ids)],
            }
        )
        cls.user_b = cls._user("ac_manager_b", "manager", company=cls.company_b)
        cls.companies = companies

    @classmethod
    def _user(cls, login, role, company=None, sites=None, **values):
        """A user of one company with one Activ'Créa role (counselor, manager, accountant)."""
        company = company or cls.company
        return new_test_user(
            cls.env,
            login=login,
            groups=f"base.group_user,activcrea_odoo.group_activcrea_{role}",
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
            tz="Europe/Paris",
            activcrea_site_ids=[Command.set(sites.ids if sites else [])],
            **({"lang": "en_US"} | values),
        )

    @contextmanager
    def assertRaisesRegex(self, exception, regex):  # pylint: disable=arguments-differ
        """Odoo's ``assertRaises`` rolls back to a savepoint; unittest's regex variant does not."""
        with self.assertRaises(exception) as context:
            yield context
        self.assertRegex(str(context.exception), regex)
        self.env.invalidate_all()

    @classmethod
    def _slot(cls, start, user=None, site=None, hours=1, **values):
        """A first-step slot; ``start`` is a naive UTC datetime."""
        from datetime import timedelta

        user = user or cls.counselor
        vals = {
            "name": "Diagnostic",
            "start": start,
            "stop": start + timedelta(hours=hours),
            "user_id": user.id,
            "partner_ids": [Command.set(user.partner_id.ids)],
            "activcrea_ods_id": cls.ods.id,
            "activcrea_step_id": cls.step_one.id,
            "activcrea_resource_id": cls.resource.id,
            "activcrea_site_id": (site or cls.site_arm).id,
        }
        vals.update(values)
        return cls.env["calendar.event"].create(vals)
