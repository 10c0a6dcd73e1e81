"""tools/bulk_create.py writes what create() writes.

Each case creates the same values twice, once through ``create()`` and once through
``bulk_create`` with the reasons the import gives for its models, and compares every
column of the rows, as PostgreSQL holds them.
"""

from datetime import date, datetime
from unittest.mock import patch

from odoo import Command
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

    def _assert_same(self, model, vals_list, self_columns=(), apart=None):
        """Create ``vals_list`` both ways; every column must match, the columns of
        ``self_columns`` pointing each row at itself. ``apart`` gives the values that
        must differ between both ways (``([{field: value}] for create(), [...] for
        bulk_create)``, another person each): their columns are not compared."""
        Model = self.quiet[model]
        orm_extra, bulk_extra = apart or ([{}] * len(vals_list), [{}] * len(vals_list))
        by_orm = Model.create([vals | extra for vals, extra in zip(vals_list, orm_extra)])
        by_bulk = self._bulk(
            Model,
            [vals | extra for vals, extra in zip(vals_list, bulk_extra)],
            REVIEWED_CREATE[model],
        )
        self.assertEqual(len(by_bulk), len(vals_list))
        self.assertFalse(set(by_bulk.ids) & set(by_orm.ids))
        skip = OWN | RANDOM.get(model, set()) | set(self_columns)
        skip |= {name for extra in orm_extra for name in extra}
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

    def test_copy_text(self):
        """What the COPY sends holds what an INSERT holds: text with tabs, line ends,
        backslashes and what COPY reads as NULL, numbers, dates, company values."""
        nasty = "L'É\tcole\\N \\ « 1 »\r\n2\n😀\x0b"
        people = self._people(
            2,
            street=nasty,
            street2="\\N",
            comment=f"<p>{nasty}</p>",
            partner_latitude=48.8566123,
            credit_limit=1234.5,
            activcrea_archived_on=datetime(2026, 3, 2, 9, 30, 15),
            color=0,
        )
        by_orm, by_bulk = self._assert_same(
            "res.partner", people, self_columns=["commercial_partner_id"]
        )
        self.assertEqual(by_bulk[0].street, nasty)
        self.assertEqual(by_bulk[0].street2, "\\N")
        self.assertEqual(by_bulk.mapped("credit_limit"), [1234.5, 1234.5])
        self.env.cr.execute("SELECT color FROM res_partner WHERE id IN %s", [tuple(by_bulk.ids)])
        self.assertEqual(self.env.cr.fetchall(), [(0,), (0,)])  # an integer 0 is 0, not NULL
        # a value COPY cannot carry sends the batch through create(), nothing written
        with patch.object(bulk_module, "copy_text", side_effect=TypeError("no text")):
            with patch.object(bulk_module, "_logger") as logger:
                again = bulk_module.bulk_create(
                    self.quiet["res.partner"], self._people(1), REVIEWED_CREATE["res.partner"]
                )
        self.assertIn("no text", str(logger.info.call_args))
        self.assertEqual(len(again), 1)
        self.assertEqual(again.commercial_partner_id, again)

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
        self.assertFalse(people.activcrea_enrolment_ids)  # in cache, empty
        by_orm, by_bulk = self._assert_same(
            "activcrea.enrolment",
            values,
            apart=(
                [{"partner_id": person.id} for person in people[:3]],
                [{"partner_id": person.id} for person in people[3:]],
            ),
        )
        # the one2many of the person follows, as after create()
        self.assertEqual(people[3].activcrea_enrolment_ids, by_bulk[0])
        self.assertEqual(by_bulk.mapped("situation"), by_orm.mapped("situation"))

    def test_attendees(self):
        slot = self._slot(datetime(2026, 3, 2, 9))
        people = self.quiet["res.partner"].create(self._people(2) + self._people(2))
        self.assertEqual(slot.attendee_ids.partner_id, self.counselor.partner_id)
        by_orm, by_bulk = self._assert_same(
            "calendar.attendee",
            [{"event_id": slot.id, "activcrea_confirmed": True}] * 2,
            apart=(
                [{"partner_id": person.id} for person in people[:2]],
                [{"partner_id": person.id} for person in people[2:]],
            ),
        )
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

    def test_values_create_writes_itself(self):
        """A value create() writes through its field (tags of a person) sends the batch
        through create(), which writes them."""
        tag = self.env["res.partner.category"].create({"name": "Entrepreneur"})
        with patch.object(bulk_module, "_logger") as logger:
            people = bulk_module.bulk_create(
                self.quiet["res.partner"],
                self._people(2, category_id=[Command.set(tag.ids)]),
                REVIEWED_CREATE["res.partner"],
            )
        self.assertIn("value for category_id, not a column", str(logger.info.call_args))
        self.assertEqual(people.category_id, tag)
        # empty, the same value is no reason to leave the batch
        with patch.object(bulk_module, "_logger") as logger:
            others = bulk_module.bulk_create(
                self.quiet["res.partner"],
                self._people(2, category_id=[Command.set([])]),
                REVIEWED_CREATE["res.partner"],
            )
        self.assertFalse(logger.info.call_args_list)
        self.assertFalse(others.category_id)

    def test_unknown_override(self):
        """A create() override nobody read sends the batch through create()."""
        with patch.object(bulk_module, "_insert", side_effect=AssertionError("INSERT")):
            people = bulk_module.bulk_create(self.quiet["res.partner"], self._people(2), {})
        self.assertEqual(len(people), 2)
        self.assertEqual(people.commercial_partner_id, people)
