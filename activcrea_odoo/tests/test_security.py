"""Rights of the addon: one matrix of users (counselor, manager and accountant of two
companies, a manager of both, an enrolled person on the portal, internal users with no
Activ'Créa group) against every ``activcrea.*`` model and the Activ'Créa actions.

Each line runs in a savepoint rolled back afterwards, and is logged as
``matrix | who | what | expected | observed`` (run pytest with ``--log-cli-level=INFO`` to
read the whole matrix).
"""

import json
import logging
from datetime import date, datetime

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import json_default

from .common import ActivcreaCase

_logger = logging.getLogger(__name__)

GUARD = "activcrea.company.guard"
# Reference lists with no company and nothing personal in them (like Odoo's countries or
# units): the action types and the outcome reasons are the same for every legal entity.
SHARED_MODELS = {"activcrea.action.type", "activcrea.reason"}
CONFIG_MODELS = (
    "activcrea.antenna",
    "activcrea.site",
    "activcrea.site.address",
    "activcrea.ods",
    "activcrea.ods.step",
    "activcrea.resource",
)
IMPORT_MODELS = ("activcrea.import", "activcrea.import.line", "activcrea.import.address")
DENIED = "denied"
OK = "ok"


class _Rollback(Exception):
    pass


@tagged("post_install", "-at_install")
class TestSecurity(ActivcreaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env, company_a, company_b = cls.env, cls.company, cls.company_b
        cls.counselor_b = cls._user("ac_counselor_b", "counselor", company=company_b)
        cls.accountant_b = cls._user("ac_accountant_b", "accountant", company=company_b)
        cls.manager_ab = cls._user("ac_manager_ab", "manager")
        cls.manager_ab.company_ids = [Command.set(cls.companies.ids)]
        cls.plain = new_test_user(
            env, login="ac_plain", groups="base.group_user", company_id=company_a.id
        )
        cls.plain_b = new_test_user(
            env,
            login="ac_plain_b",
            groups="base.group_user",
            company_id=company_b.id,
            company_ids=[Command.set(company_b.ids)],
        )
        cls.portal = new_test_user(
            env, login="ac_portal", groups="base.group_portal", company_id=company_a.id
        )
        cls.portal.partner_id.france_travail_id = "1234567A"
        cls.users = {
            "counselor A": cls.counselor,
            "manager A": cls.manager,
            "accountant A": cls.accountant,
            "counselor B": cls.counselor_b,
            "manager B": cls.user_b,
            "accountant B": cls.accountant_b,
            "portal person": cls.portal,
            "no group A": cls.plain,
            "no group B": cls.plain_b,
        }
        # Company B: an offer delivered at its site, with an address, an import...
        cls.ods_b.write(
            {
                "special_service": "activcrea_2025",
                "site_ids": [Command.set(cls.site_b.ids)],
                "step_ids": [Command.create({"action_type_id": cls.type_diagnostic.id})],
            }
        )
        env["activcrea.site.address"].create({"name": "ADRESSE B", "site_id": cls.site_b.id})
        cls.import_b = env["activcrea.import"].create(
            {"resource_id": cls.resource_b.id, "company_id": company_b.id}
        )
        env["activcrea.import.line"].create(
            {"import_id": cls.import_b.id, "line_number": 1, "status": "new"}
        )
        env["activcrea.import.address"].create({"import_id": cls.import_b.id, "name": "B"})
        person_b = env["res.partner"].create({"name": "Person B"})
        env["activcrea.enrolment"].create(
            {"partner_id": person_b.id, "ods_id": cls.ods_b.id, "resource_id": cls.resource_b.id}
        )
        # Company A: one record of each model nothing else depends on
        cls.resource_a2 = env["activcrea.resource"].create(
            {"name": "Lot 4", "company_id": company_a.id, "ods_ids": [Command.link(cls.ods.id)]}
        )
        antenna = env["activcrea.antenna"].create({"name": "Spare", "company_id": company_a.id})
        site = env["activcrea.site"].create({"name": "Spare", "antenna_id": cls.antenna.id})
        ods = env["activcrea.ods"].create({"name": "Spare", "company_id": company_a.id})
        import_a = env["activcrea.import"].create(
            {"resource_id": cls.resource.id, "company_id": company_a.id}
        )
        cls.person = env["res.partner"].create({"name": "Person A"})
        cls.records = {
            "activcrea.antenna": antenna,
            "activcrea.site": site,
            "activcrea.site.address": env["activcrea.site.address"].create(
                {"name": "SPARE ADDRESS", "site_id": site.id}
            ),
            "activcrea.ods": ods,
            "activcrea.ods.step": env["activcrea.ods.step"].create(
                {"ods_id": ods.id, "action_type_id": cls.type_coaching.id}
            ),
            "activcrea.resource": env["activcrea.resource"].create(
                {"name": "Spare", "company_id": company_a.id}
            ),
            "activcrea.enrolment": env["activcrea.enrolment"].create(
                {
                    "partner_id": cls.portal.partner_id.id,
                    "ods_id": cls.ods.id,
                    "resource_id": cls.resource.id,
                    "site_id": cls.site_arm.id,
                    "start_date": date(2030, 1, 7),
                }
            ),
            "activcrea.import": import_a,
            "activcrea.import.line": env["activcrea.import.line"].create(
                {"import_id": import_a.id, "line_number": 1, "status": "new"}
            ),
            "activcrea.import.address": env["activcrea.import.address"].create(
                {"import_id": import_a.id, "name": "UNKNOWN ADDRESS", "row_count": 2}
            ),
        }
        cls.create_vals = {
            "activcrea.antenna": {"name": "New", "company_id": company_a.id},
            "activcrea.site": {"name": "New", "antenna_id": cls.antenna.id},
            "activcrea.site.address": {"name": "NEW ADDRESS", "site_id": site.id},
            "activcrea.ods": {"name": "New", "company_id": company_a.id},
            "activcrea.ods.step": {"ods_id": ods.id, "action_type_id": cls.type_workshop.id},
            "activcrea.resource": {"name": "New", "company_id": company_a.id},
            "activcrea.enrolment": {
                "partner_id": cls.person.id,
                "ods_id": cls.ods.id,
                "resource_id": cls.resource.id,
                "site_id": cls.site_arm.id,
            },
            "activcrea.import": {"resource_id": cls.resource.id, "company_id": company_a.id},
            "activcrea.import.line": {"import_id": import_a.id, "line_number": 2, "status": "new"},
            "activcrea.import.address": {"import_id": import_a.id, "name": "OTHER"},
        }
        cls.write_vals = {
            "activcrea.antenna": {"name": "Renamed"},
            "activcrea.site": {"name": "Renamed"},
            "activcrea.site.address": {"name": "RENAMED ADDRESS"},
            "activcrea.ods": {"name": "Renamed"},
            "activcrea.ods.step": {"sequence": 5},
            "activcrea.resource": {"market_number": "MA-1"},
            "activcrea.enrolment": {"order_number": "BC-1"},
            "activcrea.import": {"filename": "liste.csv"},
            "activcrea.import.line": {"message": "Checked"},
            "activcrea.import.address": {"row_count": 3},
        }
        # what would take each record into company B
        cls.move_vals = {
            "activcrea.antenna": {"company_id": company_b.id},
            "activcrea.site": {"antenna_id": cls.antenna_b.id},
            "activcrea.site.address": {"site_id": cls.site_b.id},
            "activcrea.ods": {"company_id": company_b.id},
            "activcrea.ods.step": {"ods_id": cls.ods_b.id},
            "activcrea.resource": {"company_id": company_b.id},
            "activcrea.enrolment": {
                "ods_id": cls.ods_b.id,
                "resource_id": cls.resource_b.id,
                "site_id": cls.site_b.id,
            },
            "activcrea.import": {"company_id": company_b.id, "resource_id": cls.resource_b.id},
            "activcrea.import.line": {"import_id": cls.import_b.id},
            "activcrea.import.address": {"import_id": cls.import_b.id},
        }
        # Activ'Créa actions: a slot of A with the enrolled person, one of B
        cls.slot_a = cls._slot(
            datetime(2030, 1, 7, 8),
            partner_ids=[Command.set([cls.counselor.partner_id.id, cls.portal.partner_id.id])],
        )
        cls.slot_b = env["calendar.event"].create(
            {
                "name": "Slot B",
                "start": datetime(2030, 1, 7, 8),
                "stop": datetime(2030, 1, 7, 9),
                "user_id": cls.counselor_b.id,
                "partner_ids": [Command.set(cls.counselor_b.partner_id.ids)],
                "activcrea_ods_id": cls.ods_b.id,
                "activcrea_step_id": cls.ods_b.first_step_id.id,
                "activcrea_resource_id": cls.resource_b.id,
                "activcrea_site_id": cls.site_b.id,
            }
        )
        cls.meeting = env["calendar.event"].create(
            {
                "name": "Staff meeting",
                "start": datetime(2030, 1, 8, 8),
                "stop": datetime(2030, 1, 8, 9),
                "user_id": cls.plain.id,
            }
        )

    # Tools ---------------------------------------------------------------------------------
    def _as(self, user, model_or_records, companies=None):
        records = (
            self.env[model_or_records]
            if isinstance(model_or_records, str)
            else model_or_records
        )
        companies = companies or user.company_id
        return records.with_user(user).with_context(allowed_company_ids=companies.ids)

    def _company_label(self, records):
        field = "activcrea_company_id" if records._name == "calendar.event" else "company_id"
        names = {self.company: "A", self.company_b: "B"}
        labels = sorted({names.get(c, "other") for c in records.sudo().mapped(field)})
        return "+".join(labels) or "none"

    def _observe(self, function):
        """Run ``function`` in a savepoint rolled back afterwards: what it returns, "ok",
        "denied" (AccessError) or "refused" (another user error)."""
        observed = None
        try:
            with self.env.cr.savepoint():
                result = function()
                observed = result if isinstance(result, str) else OK
                raise _Rollback
        except _Rollback:
            self.env.invalidate_all()
        except AccessError as error:
            observed, self._error = DENIED, error
        except UserError as error:
            observed, self._error = "refused", error
        self.env.invalidate_all()
        return observed

    def _line(self, who, what, expected, function):
        self._error = None
        observed = self._observe(function)
        _logger.info("matrix | %s | %s | %s | %s", who, what, expected, observed)
        with self.subTest(who=who, what=what):
            self.assertEqual(observed, expected, f"{who}: {what}: {self._error}")

    def _search(self, user, model, companies=None):
        return lambda: self._company_label(self._as(user, model, companies).search([]))

    # Every model is covered --------------------------------------------------------------
    def test_every_model_has_a_company_rule(self):
        """Lists the models from the registry: a new model without a rule fails here."""
        Rule = self.env["ir.rule"]
        models = [name for name in self.env.registry if name.startswith("activcrea.")]
        self.assertIn("activcrea.import.address", models)
        for name in models:
            model = self.env[name]
            with self.subTest(model=name):
                if model._abstract:
                    continue
                rules = Rule.search([("model_id.model", "=", name), ("global", "=", True)])
                if model._transient:
                    # a wizard holds one user's choices: each user sees their own
                    self.assertTrue(
                        any("create_uid" in rule.domain_force for rule in rules),
                        f"{name}: a wizard needs a rule on create_uid",
                    )
                    continue
                if name in SHARED_MODELS:
                    self.assertNotIn("company_id", model._fields, f"{name}: now company-bound")
                    continue
                parents = [p for p in model._inherits if p.startswith("activcrea.")]
                if parents and not rules:
                    continue  # ir.rule applies the rules of the delegated parent
                self.assertTrue(
                    any("company_ids" in rule.domain_force for rule in rules),
                    f"{name}: no multi-company record rule",
                )
                self.assertIn("company_id", model._fields)
                self.assertTrue(
                    model._fields["company_id"].store, f"{name}: a rule needs a stored company"
                )
                self.assertIsInstance(model, type(self.env[GUARD]), f"{name}: no company guard")
        self.assertIsInstance(self.env["calendar.event"], type(self.env[GUARD]))
        self.assertTrue(
            Rule.search(
                [("model_id.model", "=", "calendar.event"), ("domain_force", "ilike", "activcrea")]
            )
        )
        # and through the ORM: a manager of B finds nothing of A in any of them
        for name in models:
            model = self.env[name]
            if model._abstract or model._transient or name in SHARED_MODELS:
                continue
            with self.subTest(model=name, user="manager B"):
                self.assertIn(self._search(self.user_b, name)(), ("B", "none"))

    # The matrix on the addon's models ----------------------------------------------------
    def _expected(self, model, operation, who):
        """What each user may do on company A's record of ``model``."""
        is_import = model in IMPORT_MODELS
        readers_a = {"counselor A", "manager A"} | (set() if is_import else {"accountant A"})
        readers_b = {"counselor B", "manager B"} | (set() if is_import else {"accountant B"})
        if operation == "search":
            if who in readers_a:
                return "A"
            if who in readers_b:
                # company B has no step and no spare record of some models: "B" or "none"
                return "B"
            return DENIED
        writers = {"manager A"}
        if model == "activcrea.enrolment" and operation in ("write", "create"):
            writers.add("counselor A")
        return OK if who in writers else DENIED

    def test_matrix_models(self):
        for model in CONFIG_MODELS + ("activcrea.enrolment",) + IMPORT_MODELS:
            record = self.records[model]
            for who, user in self.users.items():
                expected = self._expected(model, "search", who)
                observed_search = self._observe(self._search(user, model))
                if expected == "B" and observed_search == "none":
                    expected = "none"
                _logger.info(
                    "matrix | %s | %s search | %s | %s", who, model, expected, observed_search
                )
                with self.subTest(who=who, what=f"{model} search"):
                    self.assertEqual(observed_search, expected)
                as_user = self._as(user, record)
                self._line(
                    who,
                    f"{model} read A's record",
                    OK if expected == "A" else DENIED,
                    lambda as_user=as_user: as_user.read(["display_name"]) and None,
                )
                self._line(
                    who,
                    f"{model} write",
                    self._expected(model, "write", who),
                    lambda as_user=as_user, model=model: as_user.write(self.write_vals[model])
                    and None,
                )
                self._line(
                    who,
                    f"{model} create in A",
                    self._expected(model, "create", who),
                    lambda user=user, model=model: self._as(user, model).create(
                        self.create_vals[model]
                    )
                    and None,
                )
                self._line(
                    who,
                    f"{model} unlink",
                    self._expected(model, "unlink", who),
                    lambda as_user=as_user: as_user.unlink() and None,
                )
                self._line(
                    who,
                    f"{model} move to company B",
                    DENIED,
                    lambda as_user=as_user, model=model: as_user.write(self.move_vals[model])
                    and None,
                )
            # a user of both companies moves a record when both are selected, not otherwise
            both = self._as(self.manager_ab, record, self.companies)

            def move(records=both, model=model):
                records.write(self.move_vals[model])
                return self._company_label(records)

            self._line("manager A+B, A and B selected", f"{model} move to B", "B", move)
            self._line(
                "manager A+B, A selected",
                f"{model} move to B",
                DENIED,
                lambda model=model, record=record: self._as(self.manager_ab, record).write(
                    self.move_vals[model]
                ),
            )

    def test_allowed_companies_switching(self):
        for model in CONFIG_MODELS[:2] + ("activcrea.enrolment", "activcrea.import.address"):
            for label, companies, expected in (
                ("A", self.company, "A"),
                ("B", self.company_b, "B"),
                ("A and B", self.companies, "A+B"),
            ):
                self._line(
                    f"manager A+B, {label} selected",
                    f"{model} search",
                    expected,
                    self._search(self.manager_ab, model, companies),
                )
            self._line(
                "manager A+B, B selected",
                f"{model} read A's record",
                DENIED,
                lambda model=model: self._as(
                    self.manager_ab, self.records[model], self.company_b
                ).read(["display_name"]),
            )
        self._line(
            "manager A+B, B selected",
            "Activ'Créa action of A visible",
            "none",
            lambda: self._company_label(
                self._as(self.manager_ab, "calendar.event", self.company_b).search(
                    [("id", "=", self.slot_a.id)]
                )
            ),
        )
        # a user may not select a company they do not belong to
        self._line(
            "manager A",
            "select company B",
            DENIED,
            lambda: self._as(self.manager, "activcrea.site", self.company_b).search([]),
        )

    def test_counselor_keeps_offer_and_resource(self):
        enrolment = self.records["activcrea.enrolment"]
        for who, user, expected in (
            ("counselor A", self.counselor, DENIED),
            ("manager A", self.manager, OK),
        ):
            self._line(
                who,
                "enrolment: change the resource (same company)",
                expected,
                lambda user=user: self._as(user, enrolment).write(
                    {"resource_id": self.resource_a2.id}
                ),
            )
        self._line(
            "counselor A",
            "enrolment: change the site and the form",
            OK,
            lambda: self._as(self.counselor, enrolment).write(
                {"site_id": self.site_lil.id, "ft_advisor": "M. Dupont"}
            ),
        )
        self._line(
            "counselor A",
            "enrolment: write the same resource again (a form saving every field)",
            OK,
            lambda: self._as(self.counselor, enrolment).write(
                {"resource_id": self.resource.id, "ods_id": self.ods.id}
            ),
        )

    # Actions (buttons and methods) -------------------------------------------------------
    def test_matrix_actions(self):
        import_a = self.records["activcrea.import"]
        address = self.records["activcrea.import.address"]
        for who in ("counselor A", "accountant A", "manager B", "no group A", "portal person"):
            user = self.users[who]
            self._line(
                who,
                "import: preview",
                DENIED,
                lambda user=user: self._as(user, import_a).action_preview(),
            )
            self._line(
                who,
                "import: confirm",
                DENIED,
                lambda user=user: self._as(user, import_a).action_confirm(),
            )
            self._line(
                who,
                "import address: attach to a site",
                DENIED,
                lambda user=user: self._as(user, address).write({"site_id": self.site_arm.id}),
            )
        self._line(
            "manager A",
            "import without a file: preview",
            "error",
            lambda: self._as(self.manager, import_a).action_preview()
            and self._as(self.manager, import_a).state,
        )
        self._line(
            "manager A+B, A and B selected",
            "import address of A: attach to B's site",
            "refused",
            lambda: self._as(self.manager_ab, address, self.companies)
            .write({"site_id": self.site_b.id}),
        )

        def attach():
            mine = self._as(self.manager, address)
            mine.site_id = self.site_arm
            mine.action_attach()
            return self._company_label(
                self.env["activcrea.site.address"].search([("name", "=", "UNKNOWN ADDRESS")])
            )

        self._line("manager A", "import address: attach to A's site", "A", attach)
        # Slot wizard: managers only, each their own, never in another company
        values = {
            "user_ids": [Command.set(self.counselor.ids)],
            "ods_id": self.ods.id,
            "step_id": self.step_one.id,
            "resource_id": self.resource.id,
            "site_id": self.site_arm.id,
            "date_from": date(2030, 2, 4),
            "date_to": date(2030, 2, 4),
            "time_from": 9.0,
            "time_to": 10.0,
        }

        def create_slots(user, companies=None, **extra):
            wizard = self._as(user, "activcrea.slot.wizard", companies).create(
                dict(values, **extra)
            )
            wizard.action_create_slots()
            return self._company_label(wizard.event_ids)

        self._line("manager A", "slot wizard", "A", lambda: create_slots(self.manager))
        self._line("counselor A", "slot wizard", DENIED, lambda: create_slots(self.counselor))
        self._line("no group A", "slot wizard", DENIED, lambda: create_slots(self.plain))
        self._line(
            "manager A+B, A selected",
            "slot wizard with B's offer, resource and site",
            DENIED,
            lambda: create_slots(
                self.manager_ab,
                user_ids=[Command.set(self.manager_ab.ids)],
                ods_id=self.ods_b.id,
                step_id=self.ods_b.first_step_id.id,
                resource_id=self.resource_b.id,
                site_id=self.site_b.id,
            ),
        )
        wizard = self.env["activcrea.slot.wizard"].with_user(self.manager).create(values)
        self._line(
            "manager B",
            "slot wizard of manager A: read",
            DENIED,
            lambda: self._as(self.user_b, wizard).read(["site_id"]),
        )
        # Planning table and exports: each manager their company's slots
        managers = (("manager A", self.manager, "A"), ("manager B", self.user_b, "B"))
        for who, user, expected in managers:
            planning = self._as(user, "activcrea.planning").create(
                {"date_from": date(2030, 1, 1), "date_to": date(2030, 1, 31)}
            )
            self._line(
                who,
                "planning: slots of January",
                expected,
                lambda planning=planning: self._company_label(planning.event_ids),
            )
            self._line(
                who,
                "planning: France Travail export",
                OK,
                lambda planning=planning: planning.action_export_france_travail() and None,
            )
        self._line(
            "counselor A",
            "planning",
            DENIED,
            lambda: self._as(self.counselor, "activcrea.planning").create(
                {"date_from": date(2030, 1, 1), "date_to": date(2030, 1, 31)}
            ),
        )

    # Activ'Créa actions (calendar.event) -------------------------------------------------
    def test_matrix_events(self):
        slot = self.slot_a
        visible_to = {
            "counselor A",
            "manager A",
            "accountant A",
            "no group A",
            "portal person",  # an attendee
        }
        activcrea_users_a = {"counselor A", "manager A", "accountant A"}
        for who, user in self.users.items():
            as_user = self._as(user, slot)
            self._line(
                who,
                "Activ'Créa action of A: found",
                "A" if who in visible_to else "none",
                lambda user=user: self._company_label(
                    self._as(user, "calendar.event").search([("id", "=", slot.id)])
                ),
            )
            self._line(
                who,
                "Activ'Créa action of A: read its site",
                OK if who in activcrea_users_a else DENIED,
                lambda as_user=as_user: as_user.read(["activcrea_site_id"]) and None,
            )
            # Odoo's privacy check reads the organizer (res.users), which a portal user may
            # not: the portal shows meetings through its own (sudo) pages.
            self._line(
                who,
                "Activ'Créa action of A: read its name and time",
                OK if who in visible_to - {"portal person"} else DENIED,
                lambda as_user=as_user: as_user.read(["name", "start"]) and None,
            )
            self._line(
                who,
                "Activ'Créa action of A: move it one hour later",
                OK if who in activcrea_users_a else DENIED,
                lambda as_user=as_user: as_user.write(
                    {"start": datetime(2030, 1, 7, 9), "stop": datetime(2030, 1, 7, 10)}
                ),
            )
            self._line(
                who,
                "Activ'Créa action of A: change its site",
                OK if who in activcrea_users_a else DENIED,
                lambda as_user=as_user: as_user.write({"activcrea_site_id": self.site_lil.id}),
            )
            self._line(
                who,
                "Activ'Créa action of A: move it to B's offer and site",
                DENIED,
                lambda as_user=as_user: as_user.write(
                    {
                        "activcrea_ods_id": self.ods_b.id,
                        "activcrea_step_id": False,
                        "activcrea_resource_id": self.resource_b.id,
                        "activcrea_site_id": self.site_b.id,
                    }
                ),
            )
            self._line(
                who,
                "Activ'Créa action of A: delete",
                OK if who in activcrea_users_a else DENIED,
                lambda as_user=as_user: as_user.unlink() and None,
            )
            self._line(
                who,
                "Activ'Créa action: create one in A",
                OK if who in activcrea_users_a else DENIED,
                lambda user=user: self._as(user, "calendar.event").create(
                    {
                        "name": "New action",
                        "start": datetime(2030, 3, 4, 8),
                        "stop": datetime(2030, 3, 4, 9),
                        "activcrea_site_id": self.site_arm.id,
                    }
                )
                and None,
            )
            self._line(
                who,
                "Activ'Créa action: create one in B",
                OK if who in ("counselor B", "manager B", "accountant B") else DENIED,
                lambda user=user: self._as(user, "calendar.event").create(
                    {
                        "name": "New action",
                        "start": datetime(2030, 3, 4, 8),
                        "stop": datetime(2030, 3, 4, 9),
                        "activcrea_site_id": self.site_b.id,
                    }
                )
                and None,
            )
        # Odoo's own calendar keeps working for users with no Activ'Créa group
        for who, user in (("no group A", self.plain), ("no group B", self.plain_b)):
            self._line(
                who,
                "own meeting: create, move, copy, delete",
                OK,
                lambda user=user: self._own_meeting(user),
            )
        self._line(
            "no group A",
            "copy an Activ'Créa action (gets a plain meeting)",
            "none",
            lambda: self._company_label(self._as(self.plain, slot).copy()),
        )
        self._line(
            "counselor A",
            "copy an Activ'Créa action (an independent slot)",
            "A",
            lambda: self._company_label(
                self._as(self.counselor, slot).copy(
                    {"start": datetime(2030, 1, 9, 8), "stop": datetime(2030, 1, 9, 9)}
                )
            ),
        )
        self._line(
            "manager B",
            "Activ'Créa actions found",
            "B",
            lambda: self._company_label(
                self._as(self.user_b, "calendar.event").search([("activcrea_site_id", "!=", False)])
            ),
        )
        self._line(
            "no group B",
            "every Activ'Créa action found (B's only)",
            "B",
            lambda: self._company_label(
                self._as(self.plain_b, "calendar.event").search(
                    [("start", ">=", datetime(2030, 1, 1))]
                )
            ),
        )

    @staticmethod
    def _round_trip(domain):
        """A domain as the web client sends it back: through JSON."""
        return json.loads(json.dumps(domain, default=json_default))

    def _own_meeting(self, user):
        Event = self._as(user, "calendar.event")
        meeting = Event.create(
            {"name": "Lunch", "start": datetime(2030, 5, 6, 10), "stop": datetime(2030, 5, 6, 11)}
        )
        meeting.write({"start": datetime(2030, 5, 6, 11), "stop": datetime(2030, 5, 6, 12)})
        Event.search_read([("id", "=", meeting.id)], ["name", "start", "partner_ids"])
        meeting.copy().unlink()
        meeting.unlink()

    # Group-by of actions by Activ'Créa fields, as the web client asks for it -------------
    def test_group_by_activcrea_fields_keeps_private_events_private(self):
        public = self._slot(datetime(2030, 1, 8, 8), site=self.site_lil, user=self.counselor_2)
        private = self._slot(
            datetime(2030, 1, 8, 9), site=self.site_lil, user=self.counselor_2, privacy="private"
        )
        domain = [("activcrea_ods_id", "=", self.ods.id)]
        for who, user, lille in (
            ("manager A", self.manager, public),
            ("counselor A", self.counselor, public),
            ("counselor A (owner of the private one)", self.counselor_2, public | private),
        ):
            Event = self._as(user, "calendar.event")
            for field in (
                "activcrea_site_id",
                "activcrea_resource_id",
                "activcrea_ods_id",
                "activcrea_step_id",
            ):
                with self.subTest(who=who, field=field):
                    result = Event.web_read_group(domain, [field], [field])
                    self.assertTrue(result["groups"])
                    for group in result["groups"]:
                        # the group's domain travels to the browser and back as JSON
                        rows = Event.search(self._round_trip(group["__domain"]))
                        self.assertEqual(len(rows), group[f"{field}_count"], group[field])
                        self.assertTrue(rows)
            lille_group = next(
                group
                for group in Event.web_read_group(
                    domain, ["activcrea_site_id"], ["activcrea_site_id"]
                )["groups"]
                if group["activcrea_site_id"][0] == self.site_lil.id
            )
            rows = Event.search(self._round_trip(lille_group["__domain"]))
            _logger.info(
                "matrix | %s | group by site: Lille's rows | %s | %s",
                who,
                sorted(lille.ids),
                sorted(rows.ids),
            )
            self.assertEqual(rows, lille, who)
            # read_group (the old API) agrees
            groups = Event.read_group(domain, ["activcrea_site_id"], ["activcrea_site_id"])
            counts = {g["activcrea_site_id"][0]: g["activcrea_site_id_count"] for g in groups}
            self.assertEqual(counts[self.site_lil.id], len(lille))
        # the private event's Activ'Créa fields and name stay hidden from the manager
        self.env.invalidate_all()
        seen = self._as(self.manager, private).read(["name", "activcrea_site_id"])[0]
        self.assertFalse(seen["activcrea_site_id"])
        self.assertNotEqual(seen["name"], "Diagnostic")  # the name _slot() gives
