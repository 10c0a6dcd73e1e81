"""Assignment of the registrants whose meeting has no counselor (guide, section 4).

A transient wizard with lines, as Odoo does for work that is prepared, checked and applied
in one sitting (payment registration, stock's backorder and immediate transfer): the source
of truth stays on ``calendar.event`` (``activcrea_to_assign``), the table is rebuilt from it
each time it is shown, and what a user chose in it is theirs only (record rules on
``create_uid``) and vacuumed after a few hours.
"""

from collections import defaultdict
from datetime import timezone

import psycopg2

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from ..rules import assignment as rules
from ..rules.prestappli import PARIS

CATEGORY_CODES = {
    rules.SLOT_SAME_TIME: "slot_same_time",
    rules.SLOT_OTHER_TIME: "slot_other_time",
    rules.WORKS_AT_SITE: "works_at_site",
    rules.OTHER_SITE: "other_site",
}
CATEGORY_NUMBERS = {code: number for number, code in CATEGORY_CODES.items()}
# The agenda is read as superuser: only when each counselor is busy is used, never what
# their events are about (private ones included).
QUIET = {
    "no_mail_to_attendees": True,
    "mail_create_nolog": True,
    "mail_notrack": True,
    "tracking_disable": True,
    "mail_auto_subscribe_no_notify": True,
}


def local_time(value):
    """« 12/01/2026 09:00 »: a UTC datetime in French local time, as France Travail's list."""
    if not value:
        return ""
    return value.replace(tzinfo=timezone.utc).astimezone(PARIS).strftime("%d/%m/%Y %H:%M")


class ActivcreaAssignment(models.TransientModel):
    _name = "activcrea.assignment"
    _description = "Assignment of registrants to counselors"

    resource_id = fields.Many2one(
        "activcrea.resource",
        domain="[('ods_id', '!=', False), ('company_id', 'in', allowed_company_ids)]",
        help="The lot of the contract whose registrants need a counselor.",
    )
    ods_id = fields.Many2one(related="resource_id.ods_id", string="ODS")
    site_id = fields.Many2one(
        "activcrea.site",
        domain="[('ods_ids', 'in', ods_id)]",
        help="Leave empty to see the registrants of every site.",
    )
    line_ids = fields.One2many("activcrea.assignment.line", "assignment_id", string="Registrants")
    line_count = fields.Integer(compute="_compute_line_count")
    result_message = fields.Text("What was done", readonly=True)
    shown = fields.Boolean(readonly=True)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if "resource_id" in fields_list and not values.get("resource_id"):
            resources = self.env["activcrea.resource"].search(
                [("ods_id", "!=", False), ("company_id", "in", self.env.companies.ids)], limit=2
            )
            if len(resources) == 1:
                values["resource_id"] = resources.id
        return values

    @api.depends("line_ids")
    def _compute_line_count(self):
        for wizard in self:
            wizard.line_count = len(wizard.line_ids)

    @api.onchange("resource_id", "site_id")
    def _onchange_filters(self):
        if self.site_id and self.site_id not in self.resource_id.ods_id.site_ids:
            self.site_id = False
        self.line_ids = [Command.clear()]
        self.shown = False
        self.result_message = False

    @api.depends("resource_id", "site_id")
    def _compute_display_name(self):
        for wizard in self:
            wizard.display_name = self.env._("Assignment")

    # Counter ---------------------------------------------------------------------------
    @api.model
    def _to_assign_domain(self, resource=None, site=None):
        domain = [
            ("activcrea_to_assign", "=", True),
            ("user_id", "=", False),
            ("activcrea_company_id", "in", self.env.companies.ids),
        ]
        if resource:
            domain.append(("activcrea_resource_id", "=", resource.id))
        if site:
            domain.append(("activcrea_site_id", "=", site.id))
        return domain

    @api.model
    def get_to_assign_count(self):
        """Registrants still without a counselor, in the user's companies (menu counter,
        dashboard banner); 0 for whoever may not assign."""
        if not self.env.user.has_group("activcrea_odoo.group_activcrea_manager"):
            return 0
        return self.env["calendar.event"].search_count(self._to_assign_domain())

    @api.model
    def get_dashboard_banner(self):
        """What the dashboard shows above the enrolments: the sentence, in the user's
        language, and the action that opens the assignment (None when nothing to do)."""
        count = self.get_to_assign_count()
        if not count:
            return None
        return {
            "count": count,
            "message": self.env._(
                "Registrants still without a counselor: %(count)s. France Travail sent them: "
                "assign each one to a counselor.",
                count=count,
            ),
            "button": self.env._("Assign"),
            "action": "activcrea_odoo.activcrea_assignment_action",
        }

    # Reading the data, ranking -----------------------------------------------------------
    def _check_resource(self):
        if not self.resource_id:
            raise UserError(
                self.env._(
                    "Choose the resource (the lot of the contract) whose registrants to assign."
                )
            )

    def _meetings(self):
        """The meetings created by the import that still need a counselor, as plain
        values, in one search and one read."""
        events = self.env["calendar.event"].search(
            self._to_assign_domain(self.resource_id, self.site_id), order="start, id"
        )
        return events, events.read(["start", "stop", "activcrea_site_id", "partner_ids"])

    def _counselors(self):
        company = self.resource_id.company_id
        users = self.env["res.users"].search(
            [
                ("groups_id", "in", self.env.ref("activcrea_odoo.group_activcrea_counselor").id),
                ("share", "=", False),
                ("company_ids", "in", company.ids),
            ],
            order="name, id",
        )
        return users

    def _agenda(self, users, start, stop):
        """Every event of the counselors between ``start`` and ``stop`` (one search, one
        read), as the rule's plain events: one per counselor involved."""
        Event = self.env["calendar.event"].sudo().with_context(active_test=True)
        user_partner = {user.id: user.partner_id.id for user in users}
        partner_user = {partner: user for user, partner in user_partner.items()}
        events = Event.search(
            [
                ("start", "<", stop),
                ("stop", ">", start),
                "|",
                ("user_id", "in", users.ids),
                ("partner_ids", "in", list(partner_user)),
            ]
        )
        rows = events.read(
            [
                "start",
                "stop",
                "user_id",
                "partner_ids",
                "activcrea_site_id",
                "activcrea_ods_id",
                "activcrea_resource_id",
                "activcrea_is_step_one",
                "activcrea_to_assign",
            ]
        )
        ods_id = self.resource_id.ods_id.id
        result = []
        for row in rows:
            organizer = row["user_id"] and row["user_id"][0]
            involved = {partner_user[pid] for pid in row["partner_ids"] if pid in partner_user}
            if organizer in user_partner:
                involved.add(organizer)
            registrants = set(row["partner_ids"]) - {user_partner.get(organizer)}
            resource = row["activcrea_resource_id"] and row["activcrea_resource_id"][0]
            is_free_slot = bool(
                row["activcrea_is_step_one"]
                and row["activcrea_ods_id"]
                and row["activcrea_ods_id"][0] == ods_id
                and resource in (False, self.resource_id.id)
                and not row["activcrea_to_assign"]
                and not registrants
            )
            for user_id in involved:
                result.append(
                    rules.Event(
                        id=row["id"],
                        user_id=user_id,
                        start=row["start"],
                        stop=row["stop"],
                        site_id=row["activcrea_site_id"] and row["activcrea_site_id"][0],
                        free_slot=is_free_slot and user_id == organizer,
                    )
                )
        return result

    def _proposals(self):
        """The meetings to assign and their ranked proposals: a fixed number of queries,
        whatever the number of registrants."""
        self.ensure_one()
        self._check_resource()
        events, rows = self._meetings()
        if not rows:
            return events, rows, {}
        users = self._counselors()
        users.read(["name", "activcrea_site_ids", "partner_id"])
        start = min(row["start"] for row in rows) - rules.WINDOW
        stop = max(row["stop"] for row in rows) + rules.WINDOW
        meetings = [
            rules.Meeting(
                row["id"],
                row["activcrea_site_id"] and row["activcrea_site_id"][0],
                row["start"],
                row["stop"],
            )
            for row in rows
        ]
        counselors = [
            rules.Counselor(user.id, user.name, frozenset(user.activcrea_site_ids.ids))
            for user in users
        ]
        ranked = rules.propose(meetings, counselors, self._agenda(users, start, stop))
        return events, rows, ranked

    def _fill(self):
        """(Re)build the table: one line per meeting, its proposals, the first chosen."""
        self.ensure_one()
        _events, rows, ranked = self._proposals()
        self.line_ids.unlink()
        lines = self.env["activcrea.assignment.line"].create(
            [
                {
                    "assignment_id": self.id,
                    "event_id": row["id"],
                    "partner_id": self._registrant(row),
                    "site_id": row["activcrea_site_id"] and row["activcrea_site_id"][0],
                    "start": row["start"],
                }
                for row in rows
            ]
        )
        line_of = {line.event_id.id: line.id for line in lines}
        self.env["activcrea.assignment.proposal"].create(
            [
                {
                    "line_id": line_of[meeting_id],
                    "rank": proposal.rank,
                    "user_id": proposal.user_id,
                    "category": CATEGORY_CODES[proposal.category],
                    "slot_id": proposal.event_id or False,
                    "slot_start": proposal.event_start or False,
                }
                for meeting_id, proposals in ranked.items()
                for proposal in proposals
            ]
        )
        self.shown = True
        return lines

    @staticmethod
    def _registrant(row):
        # the import creates the meeting with its one registrant (no organizer)
        return row["partner_ids"][0] if row["partner_ids"] else False

    def action_show(self):
        self.ensure_one()
        self.result_message = False
        self._fill()
        return self._reopen()

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "current",
            "name": self.env._("Assignment"),
        }

    # Applying ----------------------------------------------------------------------------
    def action_apply_all(self):
        """Apply the chosen proposal of every row (the first one unless changed)."""
        self.ensure_one()
        self._check_resource()
        lines = self.line_ids.filtered("proposal_id")
        if not lines:
            raise UserError(
                self.env._(
                    "No registrant of the table has a proposal to apply: show the table "
                    "again, or plan slots for the counselors first."
                )
            )
        return self._apply(lines, skipped=self.line_ids - lines)

    def _apply(self, lines, skipped=None):
        """Apply the chosen proposal of ``lines``: everything is checked first against the
        data of now, then written, or nothing is written."""
        self.ensure_one()
        self._check_resource()
        Event = self.env["calendar.event"]
        self._lock((lines.event_id | lines.proposal_id.slot_id).ids)
        Event.invalidate_model()
        errors = self._stale_errors(lines)
        if errors:
            raise UserError(
                self.env._(
                    "Nothing was assigned:\n%(errors)s\nShow the table again to see the "
                    "registrants as they are now.",
                    errors="\n".join(f"- {error}" for error in errors),
                )
            )
        done = []
        env = self.with_context(**QUIET).env
        with self.env.cr.savepoint():
            for line in lines:
                done.append(line.with_env(env)._apply_proposal())
            self.with_env(env)._set_referents(lines)
            env.flush_all()
        for line in skipped or []:
            done.append(
                self.env._(
                    "%(person)s: no counselor to propose, still to assign.",
                    person=line.partner_id.name,
                )
            )
        self.result_message = "\n".join(done)
        self._fill()
        return self._reopen()

    def _set_referents(self, lines):
        """The counselor of each registrant's first applied row becomes the referent of their
        enrolments of the offer that have none: one search, one write per counselor."""
        user_of = {}
        for line in lines:
            if line.partner_id:
                user_of.setdefault(line.partner_id.id, line.proposal_id.user_id)
        if not user_of:
            return
        enrolments = self.env["activcrea.enrolment"].search(
            [
                ("partner_id", "in", list(user_of)),
                ("ods_id", "=", self.ods_id.id),
                ("user_id", "=", False),
            ]
        )
        by_user = enrolments.grouped(lambda enrolment: user_of[enrolment.partner_id.id])
        for user, user_enrolments in by_user.items():
            user_enrolments.write({"user_id": user.id})

    def _lock(self, event_ids):
        """Two managers applying the same rows at once: the second one waits for nothing
        and is told to try again."""
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    "SELECT id FROM calendar_event WHERE id = ANY(%s) FOR UPDATE NOWAIT",
                    [list(event_ids)],
                )
        except psycopg2.errors.LockNotAvailable as error:
            raise UserError(
                self.env._(
                    "Someone else is assigning these registrants right now. Nothing was "
                    "assigned: show the table again in a moment."
                )
            ) from error

    def _stale_errors(self, lines):
        """What changed since the table was shown, row by row, in the user's words."""
        errors = []
        Event = self.env["calendar.event"]
        existing = Event.search([("id", "in", (lines.event_id | lines.proposal_id.slot_id).ids)])
        counselor_group = self.env.ref("activcrea_odoo.group_activcrea_counselor")
        hours = [line for line in lines if not line.proposal_id.slot_id]
        busy = self._busy_now(hours)
        choices = []
        for line in lines:
            proposal = line.proposal_id
            name = line.partner_id.name or line.event_id.name
            meeting = line.event_id
            if meeting not in existing or not meeting.activcrea_to_assign or meeting.user_id:
                errors.append(
                    self.env._(
                        "%(person)s: already assigned (or removed) by someone else meanwhile.",
                        person=name,
                    )
                )
                continue
            user = proposal.user_id
            if not user.active or counselor_group not in user.groups_id:
                errors.append(
                    self.env._(
                        "%(person)s: the counselor %(counselor)s was archived or is no longer "
                        "a counselor: choose another proposal.",
                        person=name,
                        counselor=user.name,
                    )
                )
                continue
            slot = proposal.slot_id
            if proposal.category in ("slot_same_time", "slot_other_time"):
                organizer = slot.user_id.partner_id
                if (
                    slot not in existing
                    or slot.user_id != user
                    or (slot.partner_ids - organizer)
                ):
                    errors.append(
                        self.env._(
                            "%(person)s: the slot of %(counselor)s at %(time)s was taken or "
                            "changed meanwhile.",
                            person=name,
                            counselor=user.name,
                            time=local_time(proposal.slot_start),
                        )
                    )
                    continue
            elif busy.get(line.id):
                errors.append(
                    self.env._(
                        "%(person)s: %(counselor)s has been given something else at that time "
                        "meanwhile.",
                        person=name,
                        counselor=user.name,
                    )
                )
                continue
            choices.append((line, user.id, slot.id, meeting.start, meeting.stop))
        for first, second in rules.first_conflicts(choices):
            errors.append(
                self.env._(
                    "%(person)s and %(other)s: the same proposal (%(counselor)s) is chosen for "
                    "both: choose another one for one of them.",
                    person=first.partner_id.name,
                    other=second.partner_id.name,
                    counselor=first.proposal_id.user_id.name,
                )
            )
        return errors

    def _busy_now(self, lines):
        """Lines of categories 3-4 whose counselor has, now, an event at the meeting's time."""
        if not lines:
            return {}
        users = self.env["res.users"].browse({line.proposal_id.user_id.id for line in lines})
        start = min(line.event_id.start for line in lines)
        stop = max(line.event_id.stop for line in lines)
        agenda = defaultdict(list)
        for event in self._agenda(users, start, stop):
            agenda[event.user_id].append(event)
        busy = {}
        for line in lines:
            meeting = line.event_id
            busy[line.id] = any(
                rules.overlaps(event.start, event.stop, meeting.start, meeting.stop)
                and event.id != meeting.id
                for event in agenda[line.proposal_id.user_id.id]
            )
        return busy
