import base64
from collections import Counter
from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..rules.exports import (
    FRANCE_TRAVAIL_MODES,
    build_france_travail_workbook,
    build_planning_workbook,
)
from ..rules.messages import render_all
from ..rules.planning import check_period
from ..rules.prestappli import PARIS, to_utc


class ActivcreaPlanning(models.TransientModel):
    """The « Planification Activ'Créa » table and its two Excel exports."""

    _name = "activcrea.planning"
    _description = "Activ'Créa planning"

    date_from = fields.Date(required=True)
    date_to = fields.Date(required=True)
    resource_id = fields.Many2one("activcrea.resource", domain=[("ods_id.is_activcrea", "=", True)])
    site_ids = fields.Many2many("activcrea.site", string="Sites")
    user_ids = fields.Many2many("res.users", string="Counselors")
    event_ids = fields.Many2many("calendar.event", compute="_compute_event_ids", string="Slots")
    event_count = fields.Integer(compute="_compute_event_ids")
    period_warning = fields.Char(compute="_compute_period_warning")
    export_file = fields.Binary(readonly=True, attachment=True)
    export_filename = fields.Char(readonly=True)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        next_month = fields.Date.start_of(fields.Date.context_today(self), "month")
        next_month += relativedelta(months=1)
        values.setdefault("date_from", next_month)
        values.setdefault("date_to", fields.Date.end_of(next_month, "month"))
        return values

    def _check_period(self):
        messages = check_period(self.date_from, self.date_to)
        if messages:
            raise UserError(render_all(messages, self.env._))

    def _domain(self):
        # The period is read in French local time, as France Travail reads the file and as
        # the import reads its lists, whoever exports it.
        start = to_utc(datetime.combine(self.date_from, time.min))
        stop = to_utc(datetime.combine(self.date_to + timedelta(days=1), time.min))
        domain = [
            ("activcrea_is_step_one", "=", True),
            ("activcrea_site_id.company_id", "in", self.env.companies.ids),
            ("start", ">=", start),
            ("start", "<", stop),
        ]
        if self.resource_id:
            domain.append(("activcrea_resource_id", "=", self.resource_id.id))
        if self.site_ids:
            domain.append(("activcrea_site_id", "in", self.site_ids.ids))
        if self.user_ids:
            domain.append(("user_id", "in", self.user_ids.ids))
        return domain

    @api.depends("date_from", "date_to", "resource_id", "site_ids", "user_ids")
    def _compute_event_ids(self):
        for planning in self:
            if check_period(planning.date_from, planning.date_to):
                planning.event_ids = False
                planning.event_count = 0
                continue
            # by site (by name: the site's _order), then by date, as the table's title says
            events = self.env["calendar.event"].search(
                planning._domain(), order="activcrea_site_id, start, id"
            )
            planning.event_ids = events
            planning.event_count = len(events)

    @api.depends("date_from", "date_to")
    def _compute_period_warning(self):
        for planning in self:
            messages = check_period(planning.date_from, planning.date_to)
            planning.period_warning = render_all(messages, self.env._) or False

    @api.depends("date_from", "date_to")
    def _compute_display_name(self):
        for planning in self:
            planning.display_name = self.env._(
                "Planification %(date_from)s - %(date_to)s",
                date_from=planning.date_from and planning.date_from.strftime("%d/%m/%Y"),
                date_to=planning.date_to and planning.date_to.strftime("%d/%m/%Y"),
            )

    def action_show(self):
        self.ensure_one()
        self._check_period()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "activcrea_odoo.calendar_event_action_planning"
        )
        action["domain"] = self._domain()
        action["name"] = action["display_name"] = self.display_name
        # the calendar opens on the chosen period, not on today
        action["context"] = {
            "group_by": ["activcrea_site_id"],
            "initial_date": fields.Date.to_string(self.date_from),
        }
        return action

    def _rows(self):
        """Slots of the table as plain dicts, in a handful of queries whatever their number.

        Plain queries on ids rather than one clever join: their plans do not depend on the
        table statistics, which are stale right after a bulk creation of slots.
        """
        self._check_period()
        Event = self.env["calendar.event"]
        ids = Event.search(self._domain(), order="start, id").ids
        Event.flush_model(
            ["start", "stop", "activcrea_site_id", "user_id", "activcrea_mode", "partner_ids"]
        )
        slots = self.env.execute_query(
            SQL(
                """
                SELECT start AT TIME ZONE 'UTC' AT TIME ZONE %s,
                       stop AT TIME ZONE 'UTC' AT TIME ZONE %s,
                       activcrea_site_id, user_id, activcrea_mode, id
                  FROM calendar_event
                 WHERE id = ANY(%s)
                 ORDER BY start, id
                """,
                PARIS.key,
                PARIS.key,
                ids,
            )
        )
        participants = self.env.execute_query(
            SQL(
                """
                SELECT calendar_event_id, res_partner_id
                  FROM calendar_event_res_partner_rel
                 WHERE calendar_event_id = ANY(%s)
                """,
                ids,
            )
        )
        users = self.env["res.users"].browse({slot[3] for slot in slots if slot[3]})
        organizer = {user.id: user.partner_id.id for user in users}
        organizer_of_event = {slot[5]: organizer.get(slot[3]) for slot in slots}
        places = Counter(
            event_id
            for event_id, partner_id in participants
            if partner_id != organizer_of_event.get(event_id)
        )
        sites = self.env["activcrea.site"].browse({slot[2] for slot in slots if slot[2]})
        addresses = {}
        for address in sites.address_ids.sorted("id"):
            addresses.setdefault(address.site_id.id, address.name)
        site_names = {site.id: site.name for site in sites}
        counselors = {user.id: user.name for user in users}
        modes = dict(Event._fields["activcrea_mode"]._description_selection(self.env))
        rows = []
        for start, stop, site_id, user_id, mode, event_id in slots:
            rows.append(
                {
                    "site": site_names.get(site_id, ""),
                    "date": start.date(),
                    "start": start.time(),
                    "end": stop.time(),
                    "address": addresses.get(site_id, ""),
                    "mode": modes.get(mode, ""),
                    "mode_code": mode,
                    "counselor": counselors.get(user_id, ""),
                    "places": places[event_id],
                }
            )
        return rows

    def _download(self, content, filename):
        self.write({"export_file": base64.b64encode(content), "export_filename": filename})
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self._name}/{self.id}/export_file/{filename}?download=true",
            "target": "self",
        }

    def _period_label(self):
        return f"{self.date_from:%Y%m%d}-{self.date_to:%Y%m%d}"

    def action_export_xlsx(self):
        self.ensure_one()
        headers = [
            self.env._("Site"),
            self.env._("Date"),
            self.env._("Start"),
            self.env._("End"),
            self.env._("Counselor"),
            self.env._("Mode"),
            self.env._("Places taken"),
        ]
        rows = [
            [
                row["site"],
                row["date"],
                row["start"],
                row["end"],
                row["counselor"],
                row["mode"],
                row["places"],
            ]
            for row in sorted(
                self._rows(), key=lambda row: (row["site"], row["date"], row["start"])
            )
        ]
        content = build_planning_workbook(rows, headers)
        return self._download(content, f"planification_activcrea_{self._period_label()}.xlsx")

    def action_export_france_travail(self):
        self.ensure_one()
        rows = [
            dict(row, mode=FRANCE_TRAVAIL_MODES.get(row["mode_code"], row["mode"]))
            for row in self._rows()
        ]
        content = build_france_travail_workbook(rows)
        return self._download(content, f"planification_france_travail_{self._period_label()}.xlsx")
