import base64
import logging
from collections import Counter, defaultdict
from datetime import timedelta

import psycopg2

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, split_every

from ..rules import import_plan, prestappli, registrants
from ..rules.messages import render_all
from ..rules.sites import match_sites
from ..tools.bulk_create import bulk_create, column_text, copy_rows, copy_text
from ..tools.gc_pause import paused_gc

_logger = logging.getLogger(__name__)

# No e-mail, chatter message or tracking while an import writes: the e-mails of the
# service are sent by their own rules, once the import is committed.
QUIET = {
    "no_mail_to_attendees": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_notrack": True,
    "tracking_disable": True,
    "mail_auto_subscribe_no_notify": True,
    "activcrea_import": True,
}


# What the create() overrides of the records an import writes do with its values: nothing
# (tools/bulk_create.py writes them in one COPY; an override not listed here sends the
# batch through create()). Read in Odoo 18.0 for the import's values: people with no
# parent, child, website, VAT number or autocomplete data; enrolments; attendees that are
# registrants, never the user importing, with no common name.
MAIL_THREAD = "with tracking_disable (QUIET), no follower, message or tracking"
REVIEWED_CREATE = {
    "res.partner": {
        "odoo.addons.mail.models.mail_thread": MAIL_THREAD,
        "odoo.addons.base.models.res_partner": "website cleaning, parent and children "
        "synchronisation, a company's first contact: no website, parent or child",
        "odoo.addons.partner_autocomplete.models.res_partner": "enriches one company "
        "created from the autocomplete: the import creates people, no VAT, no data",
        "odoo.addons.account.models.partner": "customer or supplier rank from the "
        "res_partner_search_mode context: not set by the import",
        "odoo.addons.base_vat.models.res_partner": "normalises a VAT number: none given",
    },
    "activcrea.enrolment": {
        "odoo.addons.mail.models.mail_thread": MAIL_THREAD,
        "odoo.addons.activcrea_odoo.models.activcrea_company_guard": "its check, "
        "_activcrea_check_companies, is run by bulk_create after the COPY",
    },
    "calendar.event": {
        "odoo.addons.mail.models.mail_thread": MAIL_THREAD,
        "odoo.addons.activcrea_odoo.models.activcrea_company_guard": "its check, "
        "_activcrea_check_companies, is run by bulk_create after the COPY",
        "odoo.addons.activcrea_odoo.models.calendar_event": "its check of the Activ'Créa "
        "fields' rights, _activcrea_check_create_fields, is made before bulk_create",
        "odoo.addons.calendar.models.calendar_event": "the organizer by default (given), "
        "an activity on the related record (none), a relative video-call URL made "
        "absolute (none), attendees made from partner_ids (none given: the person is "
        "seated afterwards as in a planned slot, _join_meetings), recurrence (none), "
        "invitations (not sent while importing: no_mail_to_attendees), activities "
        "synchronised (none) and reminders scheduled (none: no alarm_ids)",
    },
    "calendar.attendee": {
        "odoo.addons.calendar.models.calendar_attendee": "accepts the attendee of the user "
        "creating it (never a registrant: checked), an e-mail from a common name (none "
        "given) and makes the person follow the meeting (not registrants: "
        "calendar_attendee.py)",
    },
}

# The stored rows of the history, compared at confirmation with the rows decided then
LINE_FIELDS = [
    "line_number",
    "status",
    "message",
    "name",
    "france_travail_id",
    "order_number",
    "meeting",
    "location",
    "site_id",
    "partner_id",
    "enrolment_id",
    "event_id",
    "not_confirmed",
]
LINKS = ("partner_id", "enrolment_id", "event_id")


class ActivcreaImport(models.Model):
    """One import of France Travail's registrant list.

    Contract for integrators: create with ``resource_id``, ``file`` (base64) and
    ``filename``, call :meth:`action_preview` then :meth:`action_confirm`.  Neither raises
    for a bad file: ``state`` becomes ``error`` and ``log`` holds every message.
    """

    _name = "activcrea.import"
    _description = "Import of France Travail's registrant list"
    _inherit = ["mail.thread", "activcrea.company.guard"]
    _order = "create_date desc, id desc"
    _check_company_auto = True

    name = fields.Char(default=lambda self: self.env._("New"), readonly=True, copy=False)
    resource_id = fields.Many2one(
        "activcrea.resource",
        required=True,
        check_company=True,
        domain="[('ods_id', '!=', False)]",
        help="The lot of the contract the list belongs to; its offer receives the enrolments.",
    )
    ods_id = fields.Many2one(related="resource_id.ods_id", store=True, string="ODS")
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    file = fields.Binary(attachment=True, copy=False)
    filename = fields.Char()
    list_type = fields.Selection(
        [("temporary", "Temporary list (J-10)"), ("validated", "Validated list (J-2)")],
        help="Left empty, it is read from the file: a list carrying order numbers is the "
        "validated one.",
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("preview", "Preview"),
            ("error", "Error"),
            ("done", "Done"),
            ("cancel", "Cancelled"),
        ],
        default="draft",
        required=True,
        tracking=True,
        copy=False,
    )
    log = fields.Text(readonly=True, copy=False)
    user_id = fields.Many2one("res.users", default=lambda self: self.env.user, readonly=True)
    date_done = fields.Datetime("Imported on", readonly=True, copy=False)
    line_ids = fields.One2many("activcrea.import.line", "import_id", string="Rows", copy=False)
    address_ids = fields.One2many(
        "activcrea.import.address", "import_id", string="Unknown addresses", copy=False
    )
    count_new = fields.Integer("New people", readonly=True, copy=False)
    count_update = fields.Integer("Updates", readonly=True, copy=False)
    count_unchanged = fields.Integer("Already imported", readonly=True, copy=False)
    count_skipped = fields.Integer("Skipped", readonly=True, copy=False)
    count_error = fields.Integer("Errors", readonly=True, copy=False)
    count_not_confirmed = fields.Integer("Not confirmed", readonly=True, copy=False)
    # What a confirmed import wrote, for the smart buttons
    partner_count = fields.Integer("People", compute="_compute_record_counts")
    enrolment_count = fields.Integer("Enrolments", compute="_compute_record_counts")
    event_count = fields.Integer("Meetings", compute="_compute_record_counts")

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", self.env._("New")) == self.env._("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code(
                    "activcrea.import"
                ) or self.env._("New")
        return super().create(vals_list)

    def _written_lines(self):
        return self.line_ids.filtered(lambda line: line.status in ("new", "update", "unchanged"))

    @api.depends("line_ids.partner_id", "line_ids.enrolment_id", "line_ids.event_id", "state")
    def _compute_record_counts(self):
        for batch in self:
            lines = batch._written_lines() if batch.state == "done" else batch.line_ids.browse()
            batch.partner_count = len(lines.partner_id)
            batch.enrolment_count = len(lines.enrolment_id)
            batch.event_count = len(lines.event_id)

    def _open_records(self, model, records, name):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "view_mode": "list,form",
            "domain": [("id", "in", records.ids)],
            "context": {"active_test": False, "create": False},
        }

    def action_view_partners(self):
        return self._open_records(
            "res.partner", self._written_lines().partner_id, self.env._("Imported people")
        )

    def action_view_enrolments(self):
        return self._open_records(
            "activcrea.enrolment",
            self._written_lines().enrolment_id,
            self.env._("Imported enrolments"),
        )

    def action_view_events(self):
        events = self._written_lines().event_id
        action = self._open_records("calendar.event", events, self.env._("Imported meetings"))
        action["views"] = [
            (self.env.ref("activcrea_odoo.calendar_event_view_list_planning").id, "list"),
            (False, "form"),
        ]
        return action

    def action_cancel(self):
        """Drop a preview that will not be confirmed: its rows go, the record stays."""
        if any(batch.state == "done" for batch in self):
            raise UserError(self.env._("A done import cannot be cancelled."))
        self._forget_file()
        self.line_ids.unlink()
        self.address_ids.unlink()
        self.write({"state": "cancel"})
        return True

    @api.autovacuum
    def _gc_abandoned(self):
        """Delete the imports never confirmed after 30 days: they wrote nothing, and their
        file and rows hold personal data of people who may never have been registered."""
        limit = fields.Datetime.now() - timedelta(days=30)
        self.sudo().search([("state", "!=", "done"), ("write_date", "<", limit)]).unlink()

    def action_confirm_notify(self):
        """The form's button: confirm, then tell the user what happened."""
        self.ensure_one()
        self.action_confirm()
        if self.state == "done":
            message = self.env._(
                "New people: %(new)s, updates: %(update)s, already imported: %(unchanged)s, "
                "skipped: %(skipped)s, errors: %(error)s, not confirmed: %(not_confirmed)s.",
                new=self.count_new,
                update=self.count_update,
                unchanged=self.count_unchanged,
                skipped=self.count_skipped,
                error=self.count_error,
                not_confirmed=self.count_not_confirmed,
            )
            title, kind = self.env._("Import %(name)s done", name=self.name), "success"
        else:
            message = self.env._("Nothing was imported: see the messages on the import.")
            title, kind = self.env._("Import %(name)s failed", name=self.name), "danger"
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": title,
                "message": message,
                "type": kind,
                "sticky": kind == "danger",
                # closes nothing on a full-page form: it reloads the record
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    @api.onchange("file", "resource_id")
    def _onchange_file(self):
        if self.state in ("preview", "error"):
            self.state = "draft"

    # Preview -----------------------------------------------------------------------------
    def action_preview(self):
        for batch in self:
            if batch.state in ("done", "cancel"):
                raise UserError(
                    self.env._(
                        "The import %(name)s is done or cancelled: start a new import.",
                        name=batch.name,
                    )
                )
            batch._preview()
        return True

    def _preview(self):
        self.ensure_one()
        with paused_gc():
            plan = self._build_plan()
            self._write_plan(plan, "preview")
        return plan

    def _write_plan(self, plan, state):
        """Store the plan on the import: its rows and counts, or its errors."""
        if plan["errors"]:
            self.line_ids.unlink()
            self.address_ids.unlink()
            self.write(
                {
                    "state": "error",
                    "log": "\n".join(plan["errors"]),
                    "address_ids": [
                        Command.create({"name": address, "row_count": count})
                        for address, count in plan["unknown_addresses"]
                    ],
                    **import_plan.counts([]),
                }
            )
            return
        self.address_ids.unlink()
        self.write(
            {
                "state": state,
                "list_type": plan["list_type"],
                "log": "\n".join(plan["log"]),
                **import_plan.counts(plan["lines"]),
            }
        )
        self._store_lines(plan["lines"])

    def _store_lines(self, lines):
        """The rows of the history. A confirmation keeps the preview's rows and writes
        only what changed: the records written, or a row decided otherwise since."""
        wanted = {}
        for line in lines:
            values = import_plan.line_values(line)
            values["message"] = render_all(line.messages, self.env._)
            wanted[values["line_number"]] = values
        Line = self.env["activcrea.import.line"]
        stored = self._read_values(Line, [("import_id", "=", self.id)], LINE_FIELDS, "id")
        stale, links = [], []
        for values in stored:
            target = wanted.get(values["line_number"])
            changes = import_plan.line_changes(values, target) if target else None
            if changes is None or not set(changes) <= set(LINKS):
                # gone from the file, or decided otherwise: made anew below, in the batch
                stale.append(values["id"])
                continue
            del wanted[values["line_number"]]
            if changes:
                links.append((values["id"], *(target[name] or None for name in LINKS)))
        Line.browse(stale).unlink()
        self._link_lines(links)
        self._create_lines(list(wanted.values()))

    def _create_lines(self, values_list):
        """Create the history rows in one COPY.

        A row is the import's own record of one line of the file: no chatter, tracking,
        follower, constraint or computed field hangs on it except its company, which is
        the import's. Through create() 5,000 rows cost a second of the preview; here the
        result is the same rows, after the same access check. A field added to the model
        later, that this insert would leave out, sends the rows through create() again."""
        Line = self.env["activcrea.import.line"]
        columns = [*LINE_FIELDS, "import_id", "company_id"]
        stored = {name for name, field in Line._fields.items() if field.store and field.column_type}
        if stored - set(columns) - set(models.MAGIC_COLUMNS):
            Line.create([dict(values, import_id=self.id) for values in values_list])
            return
        if not values_list:
            return
        Line.check_access("create")
        now, uid = self.env.cr.now(), self.env.uid
        texts = [column_text(Line, Line._fields[name]) for name in LINE_FIELDS]
        fixed = [copy_text(value) for value in (self.id, self.company_id.id, uid, now, uid, now)]
        copy_rows(
            self.env.cr,
            Line._table,
            [*columns, "create_uid", "create_date", "write_uid", "write_date"],
            ([*(text(values) for text in texts), *fixed] for values in values_list),
        )
        # the import's rows and the counts read from them
        self.invalidate_recordset()

    def _link_lines(self, links):
        """Point unchanged rows at the records the confirmation wrote, in one query.

        In SQL rather than a write() per row (5,000 calls for a 5,000-row list): these
        columns of the import's own history rows carry no computed field, tracking,
        follower or constraint, and the cache is invalidated afterwards, so what a user
        reads is what write() would have stored."""
        if not links:
            return
        self.env["activcrea.import.line"].browse(link[0] for link in links).check_access("write")
        self.env.flush_all()
        for chunk in split_every(1000, links):
            self.env.cr.execute(
                SQL(
                    """
                    UPDATE activcrea_import_line AS line
                       SET partner_id = new.partner_id, enrolment_id = new.enrolment_id,
                           event_id = new.event_id, write_uid = %s, write_date = %s
                      FROM (VALUES %s) AS new (id, partner_id, enrolment_id, event_id)
                     WHERE line.id = new.id
                    """,
                    self.env.uid,
                    self.env.cr.now(),
                    SQL(", ").join(SQL("(%s, %s::int, %s::int, %s::int)", *link) for link in chunk),
                )
            )
        self.env["activcrea.import.line"].invalidate_model([*LINKS, "write_uid", "write_date"])
        # the import's rows and the counts read from them
        self.invalidate_recordset()

    def _build_plan(self):
        """Read the file and the data once, then decide every row in plain Python
        (rules/import_plan.py): what confirming would write."""
        self.ensure_one()
        plan = {"errors": [], "unknown_addresses": [], "lines": [], "log": []}
        result = self._read_file(plan)
        if plan["errors"]:
            return plan
        company, resource = self.company_id, self.resource_id
        ours, skipped = import_plan.split_providers(result.rows, {company.siret}, {company.name})
        site_of = self._check_market_and_sites(ours, plan)
        if plan["errors"]:
            return plan
        sorted_rows = import_plan.sort_rows(
            ours, site_of, self._site_names(site_of), resource.ods_id.name, skipped
        )
        plan["list_type"] = import_plan.list_type(result.rows, self.list_type)
        people, enrolment_of, slots = self._read_records(sorted_rows.rows)
        decisions = import_plan.decide_rows(
            sorted_rows.rows,
            site_of,
            people,
            enrolment_of,
            slots,
            plan["list_type"],
            resource.id,
            self._field_labels(),
        )
        plan.update(
            rows=sorted_rows.rows,
            decisions=decisions,
            lines=import_plan.plan_lines(sorted_rows, decisions),
        )
        plan["log"].append(
            self.env._(
                "Rows read: %(rows)s (%(encoding)s).",
                rows=len(result.rows),
                encoding=self._file_format_label(result.encoding, result.delimiter),
            )
        )
        return plan

    def _forget_file(self):
        """The readings of the imports' files that this process keeps leave its memory
        (prestappli.read_registrants_shared): they hold personal data."""
        for batch in self.filtered("file"):
            prestappli.read_registrants_shared_forget(base64.b64decode(batch.file))

    def _read_file(self, plan):
        """France Travail's rows, or the errors that stop the import in ``plan``."""
        if not self.file:
            plan["errors"].append(self.env._("Choose the file of France Travail's list to import."))
            return None
        resource = self.resource_id
        if not resource.ods_id:
            plan["errors"].append(
                self.env._(
                    'The resource "%(resource)s" is linked to no service offer: link it to the '
                    "Activ'Créa offer first.",
                    resource=resource.name,
                )
            )
            return None
        # the preview's rows when the confirmation runs in the same process: the same
        # bytes read the same (the data they are checked against is read again)
        result = prestappli.read_registrants_shared(
            base64.b64decode(self.file), self.filename or ""
        )
        if result.errors:
            plan["errors"].append(render_all(result.errors, self.env._))
        return result

    def _check_market_and_sites(self, rows, plan):
        """The site of each address of our rows; the market and the unknown addresses
        stop the import (errors in ``plan``)."""
        resource = self.resource_id
        mismatches = prestappli.market_mismatches(rows, resource.market_number or "")
        if mismatches:
            plan["errors"].append(
                self.env._(
                    "The market reference in the file (%(file_values)s) is not the market number "
                    'of the resource "%(resource)s" (%(resource_value)s). Check that you chose '
                    "the right resource, and that the resource's market number is the one France "
                    "Travail gave (a resource is linked to one offer only).",
                    file_values=", ".join(mismatches),
                    resource=resource.name,
                    resource_value=resource.market_number or self.env._("none"),
                )
            )
            return {}
        index = self.env["activcrea.site.address"]._alias_index(self.company_id.ids)
        site_of, unknown = match_sites([row.values.get("location") for row in rows], index)
        if unknown:
            counts = Counter(row.values.get("location") for row in rows)
            plan["unknown_addresses"] = [(address, counts[address]) for address in unknown]
            plan["errors"].append(
                self.env._(
                    "These site addresses of the file are not recognised. Attach each one to its "
                    "site (as a France Travail address) and run the preview again:"
                )
            )
            plan["errors"] += [f"- {address}" for address in unknown]
        return site_of

    def _site_names(self, site_of):
        """``{site id: (name, in the offer)}`` for the sites of the file."""
        sites = self.env["activcrea.site"].browse(set(site_of.values()))
        offer_sites = self.resource_id.ods_id.site_ids
        return {site.id: (site.name, site in offer_sites) for site in sites}

    def _file_format_label(self, encoding, delimiter):
        """The file's format in the user's words: "UTF-8 text, separator semicolon"."""
        if not encoding:
            return self.env._("Excel workbook")
        encodings = {
            "utf-8-sig": "UTF-8",
            "utf-8": "UTF-8",
            "cp1252": "Windows-1252",
            "latin-1": "ISO-8859-1",
        }
        delimiters = {
            ";": self.env._("semicolon"),
            ",": self.env._("comma"),
            "\t": self.env._("tab"),
            "|": self.env._("vertical bar"),
        }
        return self.env._(
            "%(encoding)s text, separator: %(delimiter)s",
            encoding=encodings.get(encoding, encoding.upper()),
            delimiter=delimiters.get(delimiter, repr(delimiter)),
        )

    def _read_records(self, rows):
        """The people, enrolments and planned slots the rows may concern, in a few
        batched queries: ``(PeopleIndex, {partner id: enrolment}, SlotIndex)``."""
        ods = self.resource_id.ods_id
        ft_ids, emails, birthdates = import_plan.lookup_keys(rows)
        candidates = self._read_values(
            self.env["res.partner"],
            [
                "|",
                "|",
                ("france_travail_id", "in", list(ft_ids)),
                ("email", "in", list(emails)),
                ("birthdate", "in", list(birthdates)),
            ],
            ["name", "email", "phone", "france_travail_id", "birthdate"],
            order="id",
        )
        people = registrants.PeopleIndex(candidates)
        known = [pid for pid in (people.find(row.values) for row in rows) if pid]
        enrolments = self._read_values(
            self.env["activcrea.enrolment"],
            [("partner_id", "in", known), ("ods_id", "=", ods.id)],
            [
                "partner_id",
                "start_date",
                "site_id",
                "order_number",
                "confirmation",
                "ft_advisor",
                "ft_agency_code",
                "resource_id",
                # a registration cancelled at J-2 stays as it is (registrants.decide)
                "activcrea_cancelled_on",
                "activcrea_meeting_id",
            ],
            order="id desc",
        )
        enrolment_of = {}
        for enrolment in enrolments:
            enrolment_of.setdefault(enrolment["partner_id"], enrolment)
        # search_fetch, not raw SQL: the calendar hides the private slots of others
        # from the reader (calendar.event._fetch_query)
        Event = self.env["calendar.event"]
        fnames = ["start", "activcrea_site_id", "partner_ids", "user_id"]
        steps_one = [("activcrea_ods_id", "=", ods.id), ("activcrea_is_step_one", "=", True)]
        # The slots at the file's times, then the others the known people sit in (their
        # meeting moved): two plain queries. One query with an OR of both was planned as
        # a scan costly enough for PostgreSQL to compile it (JIT): 28 ms against 7 for
        # the two, with the 5,000 slots of benchmarks/bench_import.py.
        events = Event.search_fetch(
            [*steps_one, ("start", "in", list({row.values["meeting_utc"] for row in rows}))],
            fnames,
            order="start, id",
        )
        if known:
            elsewhere = Event.search([*steps_one, ("partner_ids", "in", known)]) - events
            if elsewhere:
                elsewhere.fetch(fnames)
                events = (events | elsewhere).sorted(lambda event: (event.start, event.id))
        columns = self._fetched(events, fnames)
        slots = registrants.SlotIndex(
            [
                {
                    "id": event_id,
                    "site_id": site_id or False,
                    "start": start,
                    "participants": set(partner_ids),
                    "user_id": user_id or False,
                }
                for event_id, start, site_id, partner_ids, user_id in zip(
                    events._ids, *columns, strict=True
                )
            ],
            self._organizer_partners(events),
        )
        return people, enrolment_of, slots

    @staticmethod
    def _fetched(records, fnames):
        """The values of ``fnames`` that ``search_fetch`` left in cache for ``records``,
        a list per field, as the cache holds them (ids for relations): the thousands of
        slots of a re-import are then not read one record and field at a time."""
        cache = records.env.cache
        columns = []
        for name in fnames:
            field = records._fields[name]
            values = list(cache.get_values(records, field))
            if len(values) != len(records):  # not all in cache: read as usual
                values = [field.convert_to_cache(record[name], record) for record in records]
            columns.append(values)
        return columns

    def _read_values(self, model, domain, fnames, order):
        """What ``search_read(domain, fnames, order=order, load=None)`` gives, archived
        records included, in one query: the records the user may read (``_search``
        applies the record rules, after the same access checks), as dicts of column
        values. Through search_read, the few thousand people and enrolments a J-2 list
        or a re-import knows cost a record each, most of the preview's time. People,
        enrolments, attendees and the import's rows hide no field of a record its reader
        may read (the calendar's events do: the slots are read through search_fetch)."""
        model = model.with_context(active_test=False)
        model.check_access("read")
        model.check_field_access_rights("read", fnames)
        query = model._search(domain, order=order)
        columns = [
            SQL("%s AS %s", model._field_to_sql(query.table, name, query), SQL.identifier(name))
            for name in fnames
        ]
        rows = self.env.execute_query(query.select(SQL.identifier(query.table, "id"), *columns))
        names = ["id", *fnames]
        # empty values as the ORM reads them
        return [
            dict(zip(names, [False if value is None else value for value in row], strict=True))
            for row in rows
        ]

    def _field_labels(self):
        """The user's words for the fields an import may update."""
        labels = {}
        for model in ("activcrea.enrolment", "res.partner"):
            for name, field in self.env[model]._fields.items():
                labels[name] = field._description_string(self.env)
        return labels

    def _organizer_partners(self, events):
        return {user.id: user.partner_id.id for user in events.user_id}

    # Confirm -----------------------------------------------------------------------------
    def action_confirm(self):
        for batch in self:
            batch._confirm()
        return True

    def _confirm(self):
        self.ensure_one()
        if self.state in ("done", "cancel"):
            raise UserError(
                self.env._(
                    "The import %(name)s is done or cancelled: start a new import.",
                    name=self.name,
                )
            )
        if not self._lock_resource():
            self.write(
                {
                    "state": "error",
                    "log": self.env._(
                        "Another import of the resource %(resource)s is being confirmed right now. "
                        "Nothing was imported: run the preview again in a moment.",
                        resource=self.resource_id.name,
                    ),
                }
            )
            return
        try:
            with self.env.cr.savepoint():
                with paused_gc():
                    # the file is checked again against the data of now, not of the preview
                    plan = self._build_plan()
                    self._forget_file()  # its last reading
                    if not plan["errors"]:
                        self._apply(plan)
                    self._write_plan(plan, "done")
                if self.state == "done":
                    self.date_done = fields.Datetime.now()
                    # portal access, questionnaire, cancellations (activcrea_import_mailing.py)
                    self._activcrea_after_import()
        except Exception as error:  # noqa: BLE001 - any failure leaves nothing written
            _logger.exception("Activ'Créa import %s failed", self.name)
            self.env.invalidate_all()
            self.write(
                {
                    "state": "error",
                    "log": self.env._("Nothing was imported: %(error)s", error=str(error)),
                }
            )

    def _lock_resource(self):
        """Serialise the confirmations of one resource: two managers confirming lists of
        the same lot at once would both create the people the other one is creating."""
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    "SELECT id FROM activcrea_resource WHERE id = %s FOR UPDATE NOWAIT",
                    [self.resource_id.id],
                )
        except psycopg2.errors.LockNotAvailable:
            return False
        return True

    def _apply(self, plan):
        """Write the plan in batches: people, meetings, participants, enrolments."""
        env = self.with_context(**QUIET).env
        rows, decisions = plan["rows"], plan["decisions"]
        self._create_people(env, rows, decisions)
        self._write_changes(
            env["res.partner"],
            import_plan.group_changes(rows, decisions, "partner_changes", "partner_id"),
        )
        created = self._create_meetings(
            env, import_plan.meetings_to_create(rows, decisions), decisions
        )
        joins, leaves = import_plan.participants(rows, decisions)
        self._leave_meetings(env, leaves)
        confirmed = import_plan.confirmed_flags(rows, decisions)
        seated = self._join_meetings(env, joins, confirmed, created)
        # the attendees just seated were created with their flag
        self._confirm_attendees(
            env, {pair: flag for pair, flag in confirmed.items() if pair not in seated}
        )
        self._create_enrolments(env, rows, decisions)
        self._write_changes(
            env["activcrea.enrolment"],
            import_plan.group_changes(rows, decisions, "enrolment_changes", "enrolment_id"),
        )
        # Written: the thousands of records read back whole by the checks leave the cache
        # (what follows reads few of them), and the memory with them.
        self.env.flush_all()
        self.env.invalidate_all()

    def _create_people(self, env, rows, decisions):
        new_rows = [row for row in rows if not decisions[row.line]["partner_id"]]
        if not new_rows:
            return
        titles = {
            code: self.env["ir.model.data"]._xmlid_to_res_id(f"base.res_partner_title_{code}")
            for code in ("madam", "mister")
        }
        # New people write and read in the BGE's language (its company's), not the
        # language of whoever runs the import (a script runs in English)
        lang = registrants.person_lang(
            self.company_id.partner_id.lang,
            self.env.user.lang,
            {code for code, _name in self.env["res.lang"].get_installed()},
        )
        created = bulk_create(
            env["res.partner"],
            [
                registrants.partner_values(row.values, titles, lang)
                | {"activcrea_import_created": True}
                for row in new_rows
            ],
            REVIEWED_CREATE["res.partner"],
        )
        for row, partner in zip(new_rows, created, strict=True):
            decisions[row.line]["partner_id"] = partner.id
        # A new person's meetings are known to be none, in the cache: linking each one to
        # a meeting would then update that cache through a set operation that grows with
        # the number of people (seconds for 5,000). They are read again when needed.
        created.invalidate_recordset(["meeting_ids"])

    def _write_changes(self, model, groups):
        """The same changes written once for all the records that receive them."""
        for changes, ids in groups:
            model.browse(ids).write(changes)

    def _create_meetings(self, env, rows, decisions):
        """A meeting to assign for each row that found no free planned slot; its person
        is seated afterwards, as in a planned slot (_join_meetings)."""
        Event = env["calendar.event"]
        if not rows:
            return Event
        ods, resource = self.resource_id.ods_id, self.resource_id
        step = ods.first_step_id
        slot_minutes = Event._activcrea_slot_minutes()
        name = self.env._("%(step)s - %(person)s")  # translated once for the thousands
        values = [
            {
                "name": name % {"step": step.name, "person": registrants.listed_name(row.values)},
                "start": row.values["meeting_utc"],
                "stop": row.values["meeting_utc"] + timedelta(minutes=slot_minutes),
                "user_id": False,
                "partner_ids": [],  # not the user importing, calendar's default participant
                "activcrea_ods_id": ods.id,
                "activcrea_step_id": step.id,
                "activcrea_resource_id": resource.id,
                "activcrea_site_id": decisions[row.line]["site_id"],
                "activcrea_mode": row.values.get("mode") or "onsite",
                "activcrea_import_created": True,
                "activcrea_to_assign": True,
            }
            for row in rows
        ]
        Event._activcrea_check_create_fields(values)
        events = bulk_create(Event, values, REVIEWED_CREATE["calendar.event"])
        for row, event in zip(rows, events, strict=True):
            decisions[row.line].update(event_id=event.id, attendee_ok=False)
        return events

    def _leave_meetings(self, env, leaves):
        """People whose meeting moved leave their former slot (and its attendee goes)."""
        by_event = defaultdict(list)
        for event_id, partner_id in leaves:
            by_event[event_id].append(partner_id)
        for event_id, partner_ids in by_event.items():
            env["calendar.event"].browse(event_id).write(
                {"partner_ids": [Command.unlink(pid) for pid in partner_ids]}
            )

    def _join_meetings(self, env, joins, confirmed, created):
        """Seat each person in their planned slot: its participant and attendee (its
        « confirmed » flag as ``confirmed`` says; ``created``: the meetings this import
        has just created, where nobody sits yet). Returns the pairs seated.

        In one batch instead of a calendar.event write() per slot (5,000 writes, most of
        a planned import's time). What such a write does for a new participant is done
        here for all at once: the access checks, an attendee per person, the participant
        link. What it would do besides is nothing for an import: invitations are not sent
        while importing (``no_mail_to_attendees``, as before), registrants do not follow
        the meeting (see calendar_attendee.py), the slot's alarms were scheduled when it
        was planned (they read the attendees when they ring), and its activities do not
        change with the attendees."""
        if not joins:
            return set()
        Event = env["calendar.event"]
        events = Event.browse({event_id for event_id, _partner in joins})
        events.check_access("write")
        events._activcrea_check_staff()
        events.filtered(
            lambda event: event.user_id and event.user_id != env.user
        )._check_calendar_privacy_write_permissions()
        seated = set()
        for event in events - created:  # the meetings just created have nobody yet
            seated.update((event.id, partner.id) for partner in event.partner_ids)
        joins = [pair for pair in dict.fromkeys(joins) if pair not in seated]
        if not joins:
            return set()
        values = [
            {
                "event_id": event_id,
                "partner_id": partner_id,
                "activcrea_confirmed": confirmed.get((event_id, partner_id), False),
            }
            for event_id, partner_id in joins
        ]
        # the user's own attendee is accepted by calendar's create(): through it
        own = env.user.partner_id.id
        bulk_create(
            env["calendar.attendee"],
            [vals for vals in values if vals["partner_id"] != own],
            REVIEWED_CREATE["calendar.attendee"],
        )
        env["calendar.attendee"].create([vals for vals in values if vals["partner_id"] == own])
        field = Event._fields["partner_ids"]
        events.modified(["partner_ids"], before=True)
        # nobody else sees the meetings this transaction created: their pairs are new
        fresh = set(created._ids)
        copy_rows(
            env.cr,
            field.relation,
            [field.column1, field.column2],
            ([str(event_id), str(partner)] for event_id, partner in joins if event_id in fresh),
        )
        others = [pair for pair in joins if pair[0] not in fresh]
        for chunk in split_every(1000, others):
            env.cr.execute(
                SQL(
                    "INSERT INTO %s (%s, %s) VALUES %s ON CONFLICT DO NOTHING",
                    SQL.identifier(field.relation),
                    SQL.identifier(field.column1),
                    SQL.identifier(field.column2),
                    SQL(", ").join(SQL("(%s, %s)", *pair) for pair in chunk),
                )
            )
        events.invalidate_recordset(["partner_ids"])
        env["res.partner"].browse({partner for _event, partner in joins}).invalidate_recordset(
            ["meeting_ids"]
        )
        events.modified(["partner_ids"])
        joined = defaultdict(list)  # the people of each meeting, once for all meetings
        for event_id, partner in joins:
            joined[event_id].append(partner)
        # As calendar's write() does, but as superuser: the channel of a slot's video call
        # is its counselor's, whose members only may add people to it, and the import has
        # checked above that the user may seat people in the slot.
        for event in events.filtered("videocall_channel_id"):
            event.videocall_channel_id.sudo().add_members(joined[event.id])
        return set(joins)

    def _confirm_attendees(self, env, wanted):
        """The attendee's « confirmed by France Travail » as the row says."""
        if not wanted:
            return
        attendees = self._read_values(
            env["calendar.attendee"],
            [
                ("event_id", "in", list({event_id for event_id, _partner in wanted})),
                ("partner_id", "in", list({partner for _event, partner in wanted})),
            ],
            ["event_id", "partner_id", "activcrea_confirmed"],
            order="id",
        )
        flips = defaultdict(list)
        for attendee in attendees:
            confirmed = wanted.get((attendee["event_id"], attendee["partner_id"]))
            if confirmed is not None and confirmed != attendee["activcrea_confirmed"]:
                flips[confirmed].append(attendee["id"])
        for confirmed, ids in flips.items():
            env["calendar.attendee"].browse(ids).write({"activcrea_confirmed": confirmed})

    def _create_enrolments(self, env, rows, decisions):
        new_rows = [row for row in rows if not decisions[row.line]["enrolment_id"]]
        if not new_rows:
            return
        events = env["calendar.event"].browse({decisions[row.line]["event_id"] for row in new_rows})
        referents = {event.id: event.user_id.id for event in events if event.user_id}
        ods, resource = self.resource_id.ods_id, self.resource_id
        created = bulk_create(
            env["activcrea.enrolment"],
            [
                registrants.enrolment_values(
                    row.values, decisions[row.line].get("confirmation")
                )
                | {
                    "partner_id": decisions[row.line]["partner_id"],
                    "ods_id": ods.id,
                    "resource_id": resource.id,
                    "site_id": decisions[row.line]["site_id"],
                    "company_id": self.company_id.id,
                    "user_id": referents.get(decisions[row.line]["event_id"]),
                }
                for row in new_rows
            ],
            REVIEWED_CREATE["activcrea.enrolment"],
        )
        for row, enrolment in zip(new_rows, created, strict=True):
            decisions[row.line]["enrolment_id"] = enrolment.id
