"""tools/bulk_create.py writes what create() writes.

Each case creates the same values twice, once through ``create()`` and once through
``bulk_create`` with the reasons the import gives for its models, and compares every
column of the rows, as PostgreSQL holds them.
"""

from datetime import date, datetime
from unittest.mock import patch

from odoo.exceptions import AccessError, ValidationError
from odoo.tools import SQL, mute_logger

from ..models.activcrea_import import QUIET, REVIEWED_CREATE
from ..tools import bulk_create as bulk_module
from ..tools.bulk_create import create_overrides
from .common import ActivcreaCase

# the columns that differ between two rows made of the same values
OWN = {"id"}
RANDOM = {"calendar.attendee": {"access_token"}}


class TestBulkCreate(ActivcreaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.quiet = cls.env(context=dict(cls.env.context, **QUIET))
        cls.fr = cls.env.ref("base.fr")
        cls.madam = cls.env.ref("base.res_partner_title_madam")

    def _bulk(self, model, vals_list, reviewed):
        """bulk_create, failing if it falls back to create() (which it logs)."""
        with patch.object(bulk_module, "_logger") as logger:
            records = bulk_module.bulk_create(model, vals_list, reviewed)
        self.assertFalse(logger.info.call_args_list, "bulk_create used create()")
        return records

    def _rows(self, records):
        self.env.flush_all()
        return self.env.execute_query_dict(
            SQL(
                "SELECT * FROM %s WHERE id IN %s ORDER BY id",
                SQL.identifier(records._table),
                tuple(records.ids),
            )
        )

    def _assert_same(self, model, vals_list, reviewed=None, self_columns=()):
        """Create ``vals_list`` both ways; every column must match, the columns of
        ``self_columns`` pointing each row at itself."""
        Model = self.quiet[model]
        by_orm = Model.create([dict(vals) for vals in vals_list])
        by_bulk = self._bulk(
            Model, [dict(vals) for vals in vals_list], reviewed or REVIEWED_CREATE[model]
        )
        self.assertEqual(len(by_bulk), len(vals_list))
        self.assertFalse(set(by_bulk.ids) & set(by_orm.ids))
        skip = OWN | RANDOM.get(model, set()) | set(self_columns)
        for orm_row, bulk_row in zip(self._rows(by_orm), self._rows(by_bulk), strict=True):
            for column in self_columns:
                self.assertEqual(orm_row[column], orm_row["id"], column)
                self.assertEqual(bulk_row[column], bulk_row["id"], column)
            differences = {
                column: (orm_row[column], bulk_row[column])
                for column in orm_row
                if column not in skip and orm_row[column] != bulk_row[column]
            }
            self.assertEqual(differences, {}, f"{model}: create() vs bulk_create")
        return by_orm, by_bulk

    def _people(self, count, **extra):
        return [
            {
                "name": f"Camille LEFEBVRE {index}",
                "email": f"camille.lefebvre.{index}@example.org",
                "phone": f"06 12 34 56 {index:02d}",
                "title": self.madam.id,
                "france_travail_id": f"{1234567 + index:07d}A",
                "birthdate": date(1990, 1, 1 + index),
                "lang": "fr_FR" if self.env["res.lang"]._lang_get("fr_FR") else "en_US",
                "activcrea_import_created": True,
                **extra,
            }
            for index in range(count)
        ]

    def test_people(self):
        self.assertTrue(
            create_overrides(self.env["res.partner"]) <= set(REVIEWED_CREATE["res.partner"])
        )
        self._assert_same("res.partner", self._people(4), self_columns=["commercial_partner_id"])
        # with a country: the phone is formatted, and Peppol's fields follow it
        self._assert_same(
            "res.partner",
            self._people(3, country_id=self.fr.id),
            self_columns=["commercial_partner_id"],
        )

    def test_enrolments(self):
        self.assertTrue(
            create_overrides(self.env["activcrea.enrolment"])
            <= set(REVIEWED_CREATE["activcrea.enrolment"])
        )
        # same names, other people: the same rows but their person
        people = self.quiet["res.partner"].create(self._people(3) + self._people(3))
        values = [
            {
                "start_date": date(2026, 3, 2 + index % 3),
                "order_number": f"2026{index:06d}",
                "ft_advisor": "CONSEILLER 01",
                "ft_agency_code": "59001",
                "confirmation": "confirmed" if index % 2 else "pending",
                "ods_id": self.ods.id,
                "resource_id": self.resource.id,
                "site_id": self.site_arm.id,
                "company_id": self.company.id,
                "user_id": self.counselor.id if index % 2 else False,
            }
            for index in range(3)
        ]
        Enrolment = self.quiet["activcrea.enrolment"]
        by_orm = Enrolment.create(
            [vals | {"partner_id": person.id} for vals, person in zip(values, people[:3])]
        )
        by_bulk = self._bulk(
            Enrolment,
            [vals | {"partner_id": person.id} for vals, person in zip(values, people[3:])],
            REVIEWED_CREATE["activcrea.enrolment"],
        )
        for orm_row, bulk_row in zip(self._rows(by_orm), self._rows(by_bulk), strict=True):
            differences = {
                column: (orm_row[column], bulk_row[column])
                for column in orm_row
                if column not in {"id", "partner_id"} and orm_row[column] != bulk_row[column]
            }
            self.assertEqual(differences, {})
        # the one2many of the person follows, as after create()
        self.assertEqual(people[3].activcrea_enrolment_ids, by_bulk[0])
        self.assertEqual(by_bulk.mapped("situation"), by_orm.mapped("situation"))

    def test_attendees(self):
        slot = self._slot(datetime(2026, 3, 2, 9))
        people = self.quiet["res.partner"].create(self._people(2) + self._people(2))
        self.assertEqual(slot.attendee_ids.partner_id, self.counselor.partner_id)
        Attendee = self.quiet["calendar.attendee"]
        values = [{"event_id": slot.id, "activcrea_confirmed": True}] * 2
        by_orm = Attendee.create(
            [vals | {"partner_id": person.id} for vals, person in zip(values, people[:2])]
        )
        by_bulk = self._bulk(
            Attendee,
            [vals | {"partner_id": person.id} for vals, person in zip(values, people[2:])],
            REVIEWED_CREATE["calendar.attendee"],
        )
        for orm_row, bulk_row in zip(self._rows(by_orm), self._rows(by_bulk), strict=True):
            differences = {
                column: (orm_row[column], bulk_row[column])
                for column in orm_row
                if column not in {"id", "partner_id", "access_token"}
                and orm_row[column] != bulk_row[column]
            }
            self.assertEqual(differences, {})
        # a token of its own each (the default changes from one call to the next)
        tokens = by_bulk.mapped("access_token") + by_orm.mapped("access_token")
        self.assertEqual(len(set(tokens)), 4)
        self.assertTrue(all(tokens))
        # the meeting lists them, as after create()
        self.assertEqual(slot.attendee_ids.partner_id, self.counselor.partner_id | people)

    def test_meetings(self):
        """A meeting to assign, as the import makes it: no participant yet."""
        self.assertTrue(
            create_overrides(self.env["calendar.event"]) <= set(REVIEWED_CREATE["calendar.event"])
        )
        values = [
            {
                "name": f"Diagnostic - LEFEBVRE Camille {index}",
                "start": datetime(2026, 3, 2, 8 + index),
                "stop": datetime(2026, 3, 2, 9 + index),
                "user_id": False,
                "partner_ids": [],
                "activcrea_ods_id": self.ods.id,
                "activcrea_step_id": self.step_one.id,
                "activcrea_resource_id": self.resource.id,
                "activcrea_site_id": self.site_arm.id,
                "activcrea_mode": "remote" if index % 2 else "onsite",
                "activcrea_import_created": True,
                "activcrea_to_assign": True,
            }
            for index in range(3)
        ]
        by_orm, by_bulk = self._assert_same("calendar.event", values)
        self.assertEqual(by_bulk.mapped("activcrea_company_id"), self.company)
        self.assertTrue(all(by_bulk.mapped("activcrea_is_step_one")))
        self.assertFalse(by_bulk.partner_ids)
        self.assertFalse(by_bulk.attendee_ids)

    def test_checks(self):
        """The checks of create() run: constraints, record rules, companies."""
        with self.assertRaises(ValidationError), mute_logger("odoo.sql_db"):
            self._bulk(
                self.quiet["res.partner"],
                self._people(2, france_travail_id="not an id"),
                REVIEWED_CREATE["res.partner"],
            )
        self.assertFalse(
            self.env["res.partner"].search([("name", "=like", "Camille LEFEBVRE %")])
        )
        person = self.quiet["res.partner"].create(self._people(1))
        enrolment_b = {
            "partner_id": person.id,
            "ods_id": self.ods_b.id,
            "resource_id": self.resource_b.id,
            "company_id": self.company_b.id,
            "start_date": date(2026, 3, 2),
        }
        # a manager of A writes no enrolment in B
        with self.assertRaises(AccessError):
            self._bulk(
                self.quiet["activcrea.enrolment"].with_user(self.manager),
                [enrolment_b],
                REVIEWED_CREATE["activcrea.enrolment"],
            )
        # nor an enrolment of A pointing at B's offer
        with self.assertRaises(Exception):  # noqa: B017 - Odoo's UserError or AccessError
            self._bulk(
                self.quiet["activcrea.enrolment"],
                [enrolment_b | {"company_id": self.company.id, "resource_id": self.resource.id}],
                REVIEWED_CREATE["activcrea.enrolment"],
            )

    def test_unknown_override(self):
        """A create() override nobody read sends the batch through create()."""
        with patch.object(bulk_module, "_insert", side_effect=AssertionError("INSERT")):
            people = bulk_module.bulk_create(self.quiet["res.partner"], self._people(2), {})
        self.assertEqual(len(people), 2)
        self.assertEqual(people.commercial_partner_id, people)
