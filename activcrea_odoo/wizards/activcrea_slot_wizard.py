from collections import defaultdict
from datetime import time, timedelta
from zoneinfo import ZoneInfo

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from ..rules.messages import render_all
from ..rules.planning import check_slot_request, generate_slots, split_free_slots
from ..rules.prestappli import parse_time

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


def _float_to_time(value):
    minutes = round((value or 0.0) * 60)
    return time(min(minutes // 60, 23), minutes % 60)


class ActivcreaSlotWizard(models.TransientModel):
    """Create independent one-appointment slots in counselors' agendas."""

    _name = "activcrea.slot.wizard"
    _description = "Create Activ'Créa slots"

    ods_id = fields.Many2one(
        "activcrea.ods",
        string="ODS",
        required=True,
        domain=[("is_activcrea", "=", True)],
        default=lambda self: self._default_ods(),
    )
    # The wizard plans slots, i.e. actions of the offer's first step (the initial diagnostic):
    # only those are exported to France Travail and offered at assignment. The other steps
    # are planned one by one from the agenda, with their participant.
    step_id = fields.Many2one(
        "activcrea.ods.step",
        string="Action type",
        related="ods_id.first_step_id",
        help="Slots are always actions of the offer's first step, the initial diagnostic: "
        "the planning table, the France Travail file and the import only use those.",
    )
    resource_id = fields.Many2one(
        "activcrea.resource",
        required=True,
        compute="_compute_resource_id",
        store=True,
        readonly=False,
        precompute=True,
        domain="[('ods_ids', 'in', ods_id)]",
    )
    site_id = fields.Many2one(
        "activcrea.site",
        required=True,
        compute="_compute_site_id",
        store=True,
        readonly=False,
        precompute=True,
        domain="[('ods_ids', 'in', ods_id)]",
    )
    user_ids = fields.Many2many(
        "res.users",
        string="Counselors",
        required=True,
        compute="_compute_user_ids",
        store=True,
        readonly=False,
        precompute=True,
        domain=lambda self: [
            ("groups_id", "in", self.env.ref("activcrea_odoo.group_activcrea_counselor").id)
        ],
        help="Filled with the counselors who work at the site; change it freely.",
    )
    site_warning = fields.Char(compute="_compute_site_warning")
    mode = fields.Selection(
        [("onsite", "On site"), ("remote", "Remote")], default="onsite", required=True
    )
    date_from = fields.Date(required=True, default=lambda self: self._next_week()[0])
    date_to = fields.Date(required=True, default=lambda self: self._next_week()[1])
    monday = fields.Boolean(default=True)
    tuesday = fields.Boolean(default=True)
    wednesday = fields.Boolean(default=True)
    thursday = fields.Boolean(default=True)
    friday = fields.Boolean(default=True)
    saturday = fields.Boolean()
    sunday = fields.Boolean()
    time_mode = fields.Selection(
        [("range", "A time range split into slots"), ("times", "Start times")],
        default="range",
        required=True,
    )
    time_from = fields.Float("From", default=9.0)
    time_to = fields.Float("To", default=12.0)
    start_times = fields.Char(help="Start times separated by commas, e.g. 09:00, 10:00, 14:00")
    slot_minutes = fields.Integer(
        "Slot length (minutes)",
        default=lambda self: self.env["calendar.event"]._activcrea_slot_minutes(),
    )
    event_ids = fields.Many2many("calendar.event", string="Created slots", readonly=True)
    created_count = fields.Integer(compute="_compute_created_count")
    skipped_count = fields.Integer(readonly=True)
    state = fields.Selection([("draft", "Draft"), ("done", "Done")], default="draft")

    @api.model
    def _next_week(self):
        """Monday and Friday of next week: slots are planned ahead."""
        today = fields.Date.context_today(self)
        monday = today + timedelta(days=7 - today.weekday())
        return monday, monday + timedelta(days=4)

    @api.model
    def _default_ods(self):
        offers = self.env["activcrea.ods"].search(
            [("is_activcrea", "=", True), ("company_id", "in", self.env.companies.ids)], limit=2
        )
        return offers if len(offers) == 1 else False

    @api.depends("ods_id")
    def _compute_resource_id(self):
        for wizard in self:
            resources = wizard.ods_id.resource_ids
            if wizard.resource_id not in resources:
                wizard.resource_id = resources if len(resources) == 1 else False

    @api.depends("ods_id")
    def _compute_site_id(self):
        for wizard in self:
            sites = wizard.ods_id.site_ids
            if wizard.site_id not in sites:
                wizard.site_id = sites if len(sites) == 1 else False

    @api.depends("site_id")
    def _compute_user_ids(self):
        for wizard in self:
            if not wizard.user_ids:
                wizard.user_ids = wizard.site_id.user_ids

    @api.depends("site_id", "user_ids")
    def _compute_site_warning(self):
        for wizard in self:
            site_id = wizard.site_id._origin.id
            elsewhere = wizard.user_ids._origin.filtered(
                lambda user, site_id=site_id: site_id not in user.activcrea_site_ids.ids
            )
            wizard.site_warning = (
                self.env._(
                    "Not working at %(site)s according to their Activ'Créa sites: "
                    "%(counselors)s. Their slots will be created all the same.",
                    counselors=", ".join(elsewhere.mapped("name")),
                    site=wizard.site_id.name,
                )
                if wizard.site_id and elsewhere
                else False
            )

    @api.depends("event_ids")
    def _compute_created_count(self):
        for wizard in self:
            wizard.created_count = len(wizard.event_ids)

    def _parsed_start_times(self):
        times = []
        for chunk in (self.start_times or "").replace(";", ",").split(","):
            if not chunk.strip():
                continue
            try:
                times.append(parse_time(chunk))
            except ValueError as error:
                raise UserError(
                    self.env._(
                        '"%(value)s" is not a start time; write it as 09:00 or 9h00.',
                        value=chunk.strip(),
                    )
                ) from error
        return times

    def _slot_request(self):
        weekdays = {index for index, name in enumerate(WEEKDAYS) if self[name]}
        if self.time_mode == "times":
            return weekdays, self._parsed_start_times(), None
        return weekdays, None, (_float_to_time(self.time_from), _float_to_time(self.time_to))

    def action_create_slots(self):
        self.ensure_one()
        if not self.step_id:
            raise UserError(
                self.env._(
                    'The offer "%(ods)s" has no steps: add its first step, the initial '
                    "diagnostic interview, before creating slots.",
                    ods=self.ods_id.name,
                )
            )
        weekdays, start_times, time_range = self._slot_request()
        messages = check_slot_request(
            self.date_from, self.date_to, weekdays, self.slot_minutes, start_times, time_range
        )
        if messages:
            raise UserError(render_all(messages, self.env._))
        local_slots = generate_slots(
            self.date_from, self.date_to, weekdays, self.slot_minutes, start_times, time_range
        )
        vals_list, skipped = [], 0
        busy_by_user = self._busy_intervals(local_slots)
        name, location = f"{self.step_id.name} - {self.site_id.name}", self._location()
        for user in self.user_ids:
            tz = ZoneInfo(user.tz or self.env.user.tz or "Europe/Paris")
            utc_slots = [
                (self._to_utc(start, tz), self._to_utc(end, tz)) for start, end in local_slots
            ]
            free, dropped = split_free_slots(utc_slots, busy_by_user[user.id])
            skipped += len(dropped)
            vals_list += [
                self._event_values(user, start, end, name, location) for start, end in free
            ]
        events = (
            self.env["calendar.event"]
            .with_context(no_mail_to_attendees=True, mail_create_nolog=True, tracking_disable=True)
            .create(vals_list)
        )
        self.write(
            {
                "event_ids": [Command.set(events.ids)],
                "skipped_count": skipped,
                "state": "done",
            }
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Create Activ'Créa slots"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    @staticmethod
    def _to_utc(local, tz):
        return local.replace(tzinfo=tz).astimezone(ZoneInfo("UTC")).replace(tzinfo=None)

    def _busy_intervals(self, local_slots):
        """Existing events of each counselor over the period, as UTC (start, stop)."""
        busy = defaultdict(list)
        if not local_slots:
            return busy
        margin = timedelta(days=1)
        events = self.env["calendar.event"].search_read(
            [
                "|",
                ("user_id", "in", self.user_ids.ids),
                ("partner_ids", "in", self.user_ids.partner_id.ids),
                ("start", "<", local_slots[-1][1] + margin),
                ("stop", ">", local_slots[0][0] - margin),
            ],
            ["start", "stop", "user_id", "partner_ids", "allday"],
        )
        user_of_partner = {user.partner_id.id: user.id for user in self.user_ids}
        for event in events:
            if event["allday"]:
                continue
            owners = {
                user_of_partner[pid] for pid in event["partner_ids"] if pid in user_of_partner
            }
            if event["user_id"] and event["user_id"][0] in self.user_ids.ids:
                owners.add(event["user_id"][0])
            for user_id in owners:
                busy[user_id].append((event["start"], event["stop"]))
        return busy

    def _event_values(self, user, start, stop, name, location):
        return {
            "name": name,
            "start": start,
            "stop": stop,
            "user_id": user.id,
            "partner_ids": [Command.set(user.partner_id.ids)],
            "activcrea_ods_id": self.ods_id.id,
            "activcrea_step_id": self.step_id.id,
            "activcrea_resource_id": self.resource_id.id,
            "activcrea_site_id": self.site_id.id,
            "activcrea_mode": self.mode,
            "location": location,
        }

    def _location(self):
        """The site's postal address on one line: the invitations tell where to go."""
        site = self.site_id
        if self.mode == "remote":
            return dict(self._fields["mode"]._description_selection(self.env))["remote"]
        return site.address_id._activcrea_one_line_address() or site.name

    def action_view_slots(self):
        """The created slots in the Activ'Créa agenda, on their first week, every
        counselor shown (not only the manager's own calendar)."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "activcrea_odoo.calendar_event_action_planning"
        )
        first = min(self.event_ids.mapped("start"), default=False)
        action.update(
            name=self.env._("Created slots"),
            display_name=self.env._("Created slots"),
            domain=[("id", "in", self.event_ids.ids)],
            context={
                "group_by": ["activcrea_site_id"],
                "initial_date": fields.Datetime.to_string(first) if first else False,
            },
        )
        return action
