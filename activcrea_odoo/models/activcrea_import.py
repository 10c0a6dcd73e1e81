import base64
import logging
from collections import Counter, defaultdict
from datetime import timedelta

import psycopg2

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from ..rules import prestappli, registrants
from ..rules.messages import Message, render_all
from ..rules.sites import match_sites

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


class ActivcreaImport(models.Model):
    """One import of France Travail's registrant list.

    Contract for integrators: create with ``resource_id``, ``file`` (base64) and
    ``filename``, call :meth:`action_preview` then :meth:`action_confirm`.  Neither raises
    for a bad file: ``state`` becomes ``error`` and ``log`` holds every message.
    """

    _name = "activcrea.import"
    _description = "Import of France Travail's registrant list"
    _inherit = ["mail.thread"]
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
        plan = self._build_plan()
        self._write_plan(plan, "preview")
        return plan

    def _write_plan(self, plan, state):
        """Store the plan on the import: its rows and counts, or its errors."""
        self.line_ids.unlink()
        self.address_ids.unlink()
        if plan["errors"]:
            self.write(
                {
                    "state": "error",
                    "log": "\n".join(plan["errors"]),
                    "address_ids": [
                        Command.create({"name": address, "row_count": count})
                        for address, count in plan["unknown_addresses"]
                    ],
                    **self._counts({}),
                }
            )
            return
        self.write(
            {
                "state": state,
                "list_type": plan["list_type"],
                "log": "\n".join(plan["log"]),
                **self._counts(plan),
            }
        )
        # created directly, in one batch: through the import's one2many they would go one
        # by one through the chatter's write
        self.env["activcrea.import.line"].create(
            [dict(line, import_id=self.id) for line in plan["lines"]]
        )

    def _counts(self, plan):
        counter = Counter(line["status"] for line in plan.get("lines", []))
        return {
            "count_new": counter["new"],
            "count_update": counter["update"],
            "count_unchanged": counter["unchanged"],
            "count_skipped": counter["skipped"],
            "count_error": counter["error"],
            "count_not_confirmed": len(plan.get("not_confirmed", [])),
        }

    def _build_plan(self):
        """Read the file and work out, row by row, what confirming would write."""
        self.ensure_one()
        plan = {"errors": [], "unknown_addresses": [], "lines": [], "log": [], "rows": []}
        resource = self.resource_id
        if not self.file:
            plan["errors"].append(self.env._("Choose the file of France Travail's list to import."))
            return plan
        if not resource.ods_id:
            plan["errors"].append(
                self.env._(
                    'The resource "%(resource)s" is linked to no service offer: link it to the '
                    "Activ'Créa offer first.",
                    resource=resource.name,
                )
            )
            return plan
        result = prestappli.read_registrants(base64.b64decode(self.file), self.filename or "")
        if result.errors:
            plan["errors"].append(render_all(result.errors, self.env._))
            return plan

        company = self.company_id
        rows, lines = [], []
        for row in result.rows:
            if prestappli.is_other_provider(row.values, {company.siret}, {company.name}):
                lines.append(
                    self._line(
                        row,
                        "skipped",
                        self.env._(
                            "Row of another provider (%(provider)s): not ours, skipped.",
                            provider=row.values.get("provider") or row.values.get("provider_siret"),
                        ),
                    )
                )
            else:
                rows.append(row)

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
            return plan

        index = self.env["activcrea.site.address"]._alias_index(company.ids)
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
            return plan
        ods_sites = resource.ods_id.site_ids
        for row in rows:
            site = self.env["activcrea.site"].browse(site_of[row.values.get("location")])
            if site not in ods_sites:
                row.errors.append(
                    Message(
                        self.env._('the site "%(site)s" is not a site of the offer "%(ods)s".'),
                        {"site": site.name, "ods": resource.ods_id.name},
                    )
                )
        valid = []
        for row in rows:
            if row.errors:
                lines.append(self._line(row, "error", render_all(row.errors, self.env._)))
            else:
                valid.append(row)
        seen = {}
        unique = []
        for row in valid:
            key = row.values["france_travail_id"]
            if key in seen:
                lines.append(
                    self._line(
                        row,
                        "skipped",
                        self.env._("Same person as row %(row)s: skipped.", row=seen[key]),
                    )
                )
            else:
                seen[key] = row.line
                unique.append(row)

        list_type = self.list_type or (
            "validated"
            if any(row.values.get("order_number") for row in result.rows)
            else "temporary"
        )
        plan["list_type"] = list_type
        plan["rows"] = [(row, site_of[row.values["location"]]) for row in unique]
        self._plan_records(plan)
        for row, _site_id in plan["rows"]:
            entry = plan["by_line"][row.line]
            lines.append(self._line(row, entry["status"], entry["message"], entry))
        plan["lines"] = sorted(lines, key=lambda line: line["line_number"])
        plan["log"].append(
            self.env._(
                "Rows read: %(rows)s (%(encoding)s).",
                rows=len(result.rows),
                encoding=self._file_format_label(result.encoding, result.delimiter),
            )
        )
        return plan

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

    def _line(self, row, status, message, entry=None):
        values = row.values
        entry = entry or {}
        return {
            "line_number": row.line,
            "status": status,
            "message": message,
            "name": registrants.listed_name(values),
            "france_travail_id": values.get("france_travail_id"),
            "order_number": values.get("order_number"),
            "meeting": values.get("meeting_utc"),
            "location": values.get("location"),
            "site_id": entry.get("site_id"),
            "partner_id": entry.get("partner_id"),
            "enrolment_id": entry.get("enrolment_id"),
            "event_id": entry.get("event_id"),
            "not_confirmed": entry.get("confirmation") == "not_confirmed",
        }

    def _plan_records(self, plan):
        """Find, in a few batched queries, the people, enrolments and meetings of the rows."""
        ods = self.resource_id.ods_id
        rows = [row for row, _site in plan["rows"]]
        Partner = self.env["res.partner"].with_context(active_test=False)
        ft_ids = {row.values["france_travail_id"] for row in rows}
        emails = {row.values["email"] for row in rows if row.values.get("email")}
        birthdates = {row.values["birthdate"] for row in rows if row.values.get("birthdate")}
        fields_read = ["name", "email", "phone", "france_travail_id", "birthdate"]
        candidates = Partner.search_read(
            [
                "|",
                "|",
                ("france_travail_id", "in", list(ft_ids)),
                ("email", "in", list(emails)),
                ("birthdate", "in", list(birthdates)),
            ],
            fields_read,
            order="id",
        )
        people = registrants.PeopleIndex(candidates)
        partner_ids = {}
        for row in rows:
            partner_ids[row.line] = people.find(row.values)
        known = [pid for pid in partner_ids.values() if pid]
        enrolments = (
            self.env["activcrea.enrolment"]
            .with_context(active_test=False)
            .search_read(
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
                ],
                order="id desc",
            )
        )
        enrolment_of = {}
        for enrolment in enrolments:
            enrolment_of.setdefault(enrolment["partner_id"][0], enrolment)
        events = self.env["calendar.event"].search_read(
            [
                ("activcrea_ods_id", "=", ods.id),
                ("activcrea_is_step_one", "=", True),
                "|",
                ("start", "in", list({row.values["meeting_utc"] for row in rows})),
                ("partner_ids", "in", known),
            ],
            ["start", "activcrea_site_id", "partner_ids", "user_id"],
            order="start, id",
        )
        slots = registrants.SlotIndex(
            [
                {
                    "id": event["id"],
                    "site_id": event["activcrea_site_id"] and event["activcrea_site_id"][0],
                    "start": event["start"],
                    "participants": set(event["partner_ids"]),
                    "user_id": event["user_id"] and event["user_id"][0],
                }
                for event in events
            ],
            self._organizer_partners(events),
        )
        plan["by_line"] = {}
        plan["not_confirmed"] = []
        labels = self._field_labels()
        for row, site_id in plan["rows"]:
            partner_id = partner_ids[row.line]
            partner = people.get(partner_id)
            enrolment = enrolment_of.get(partner_id) if partner_id else None
            decision = registrants.decide(
                row.values,
                site_id,
                partner,
                enrolment,
                slots,
                plan["list_type"],
                resource_id=self.resource_id.id,
                labels=labels,
            )
            decision.update(
                site_id=site_id, partner_id=partner_id, enrolment_id=enrolment and enrolment["id"]
            )
            decision["message"] = render_all(decision.pop("messages"), self.env._)
            plan["by_line"][row.line] = decision
            if decision.get("confirmation") == "not_confirmed":
                plan["not_confirmed"].append(row.line)

    def _field_labels(self):
        """The user's words for the fields an import may update."""
        labels = {}
        for model in ("activcrea.enrolment", "res.partner"):
            for name, field in self.env[model]._fields.items():
                labels[name] = field._description_string(self.env)
        return labels

    def _organizer_partners(self, events):
        user_ids = {event["user_id"][0] for event in events if event["user_id"]}
        users = self.env["res.users"].browse(user_ids)
        return {user.id: user.partner_id.id for user in users}

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
                # the file is checked again against the data of now, not of the preview
                plan = self._build_plan()
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
        """Write the plan: people, enrolments, meetings and participants, in batches."""
        env = self.with_context(**QUIET).env
        ods = self.resource_id.ods_id
        by_line = plan["by_line"]
        rows = plan["rows"]
        # People
        new_rows = [row for row, _site in rows if not by_line[row.line]["partner_id"]]
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
        created = env["res.partner"].create(
            [
                registrants.partner_values(row.values, titles, lang)
                | {"activcrea_import_created": True}
                for row in new_rows
            ]
        )
        for row, partner in zip(new_rows, created, strict=True):
            by_line[row.line]["partner_id"] = partner.id
        for row, _site in rows:
            changes = by_line[row.line].get("partner_changes")
            if changes:
                env["res.partner"].browse(by_line[row.line]["partner_id"]).write(changes)
        # Meetings: the planned slot, or a new one to assign
        slot_minutes = env["calendar.event"]._activcrea_slot_minutes()
        to_create = [
            (row, site_id) for row, site_id in rows if by_line[row.line]["event_id"] is None
        ]
        new_events = env["calendar.event"].create(
            [
                {
                    "name": self.env._(
                        "%(step)s - %(person)s",
                        step=ods.first_step_id.name,
                        person=registrants.listed_name(row.values),
                    ),
                    "start": row.values["meeting_utc"],
                    "stop": row.values["meeting_utc"] + timedelta(minutes=slot_minutes),
                    "user_id": False,
                    "partner_ids": [Command.link(by_line[row.line]["partner_id"])],
                    "activcrea_ods_id": ods.id,
                    "activcrea_step_id": ods.first_step_id.id,
                    "activcrea_resource_id": self.resource_id.id,
                    "activcrea_site_id": site_id,
                    "activcrea_mode": row.values.get("mode") or "onsite",
                    "activcrea_import_created": True,
                    "activcrea_to_assign": True,
                }
                for row, site_id in to_create
            ]
        )
        for (row, _site), event in zip(to_create, new_events, strict=True):
            by_line[row.line].update(event_id=event.id, attendee_ok=True)
        # Participants
        joins, leaves = defaultdict(list), defaultdict(list)
        for row, _site in rows:
            entry = by_line[row.line]
            if not entry.get("attendee_ok"):
                joins[entry["event_id"]].append(entry["partner_id"])
            for old_event in entry.get("leave_event_ids", []):
                leaves[old_event].append(entry["partner_id"])
        Event = env["calendar.event"]
        for event_id, partner_ids in leaves.items():
            Event.browse(event_id).write(
                {"partner_ids": [Command.unlink(pid) for pid in partner_ids]}
            )
        for event_id, partner_ids in joins.items():
            Event.browse(event_id).write(
                {"partner_ids": [Command.link(pid) for pid in partner_ids]}
            )
        self._sync_attendees(env, rows, by_line)
        # Enrolments
        Enrolment = env["activcrea.enrolment"]
        new_enrolments = [
            (row, site) for row, site in rows if not by_line[row.line]["enrolment_id"]
        ]
        referents = self._event_organizers(
            env, [by_line[row.line]["event_id"] for row, _site in rows]
        )
        created = Enrolment.create(
            [
                registrants.enrolment_values(row.values, by_line[row.line].get("confirmation"))
                | {
                    "partner_id": by_line[row.line]["partner_id"],
                    "ods_id": ods.id,
                    "resource_id": self.resource_id.id,
                    "site_id": site_id,
                    "company_id": self.company_id.id,
                    "user_id": referents.get(by_line[row.line]["event_id"]),
                }
                for row, site_id in new_enrolments
            ]
        )
        for (row, _site), enrolment in zip(new_enrolments, created, strict=True):
            by_line[row.line]["enrolment_id"] = enrolment.id
        for row, _site in rows:
            changes = by_line[row.line].get("enrolment_changes")
            if changes:
                Enrolment.browse(by_line[row.line]["enrolment_id"]).write(changes)
        for line in plan["lines"]:
            entry = by_line.get(line["line_number"])
            if entry and line["status"] in ("new", "update", "unchanged"):
                line.update(
                    partner_id=entry["partner_id"],
                    enrolment_id=entry["enrolment_id"],
                    event_id=entry["event_id"],
                )

    def _sync_attendees(self, env, rows, by_line):
        keys = {
            (by_line[row.line]["event_id"], by_line[row.line]["partner_id"]) for row, _site in rows
        }
        attendees = env["calendar.attendee"].search(
            [
                ("event_id", "in", [key[0] for key in keys]),
                ("partner_id", "in", [key[1] for key in keys]),
            ]
        )
        wanted = {}
        for row, _site in rows:
            entry = by_line[row.line]
            wanted[(entry["event_id"], entry["partner_id"])] = bool(row.values.get("order_number"))
        to_true = attendees.filtered(
            lambda a: wanted.get((a.event_id.id, a.partner_id.id)) and not a.activcrea_confirmed
        )
        to_false = attendees.filtered(
            lambda a: (
                wanted.get((a.event_id.id, a.partner_id.id)) is False and a.activcrea_confirmed
            )
        )
        to_true.write({"activcrea_confirmed": True})
        to_false.write({"activcrea_confirmed": False})

    def _event_organizers(self, env, event_ids):
        events = env["calendar.event"].browse(event_ids)
        return {event.id: event.user_id.id for event in events if event.user_id}
