from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, ValidationError

from ..rules.planning import find_overlaps

MODES = [("onsite", "On site"), ("remote", "Remote")]

# Who reads the Activ'Créa fields of an action: its site, offer, resource, "to assign"... are
# the BGE's business, not the whole company's. Odoo's own calendar keeps working for every
# other user: the fields are left out of their views, and an event they duplicate or create
# carries none.
ACTIVCREA_GROUPS = (
    "activcrea_odoo.group_activcrea_counselor,activcrea_odoo.group_activcrea_accountant"
)


class CalendarEvent(models.Model):
    _name = "calendar.event"
    _inherit = ["calendar.event", "activcrea.company.guard"]
    _activcrea_company_field = "activcrea_company_id"

    activcrea_ods_id = fields.Many2one(
        "activcrea.ods", string="ODS", index=True, groups=ACTIVCREA_GROUPS
    )
    activcrea_step_id = fields.Many2one(
        "activcrea.ods.step",
        string="Action type",
        domain="[('ods_id', '=', activcrea_ods_id)]",
        help="The step of the offer this action delivers.",
        groups=ACTIVCREA_GROUPS,
    )
    activcrea_resource_id = fields.Many2one(
        "activcrea.resource",
        string="Resource",
        domain="[('ods_ids', 'in', activcrea_ods_id)]",
        groups=ACTIVCREA_GROUPS,
    )
    activcrea_site_id = fields.Many2one(
        "activcrea.site",
        string="Site",
        index=True,
        domain="[('ods_ids', 'in', activcrea_ods_id)]",
        groups=ACTIVCREA_GROUPS,
    )
    # Not restricted: record rules read it (as superuser) and it tells nothing of the action.
    activcrea_company_id = fields.Many2one(
        "res.company",
        string="Activ'Créa company",
        compute="_compute_activcrea_company_id",
        store=True,
        index=True,
        help="The company of the action's offer, resource and site: only its users see the "
        "action, besides its attendees.",
    )
    activcrea_mode = fields.Selection(
        MODES, string="Mode", default="onsite", groups=ACTIVCREA_GROUPS
    )
    activcrea_is_step_one = fields.Boolean(
        "Activ'Créa first step",
        compute="_compute_activcrea_is_step_one",
        store=True,
        index=True,
        groups=ACTIVCREA_GROUPS,
        help="A slot of the first step (initial diagnostic) of an Activ'Créa offer: these are "
        "the slots exported to France Travail and offered at assignment.",
    )
    activcrea_import_created = fields.Boolean(
        "Created by import", copy=False, readonly=True, groups=ACTIVCREA_GROUPS
    )
    activcrea_to_assign = fields.Boolean(
        "To assign",
        copy=False,
        help="Created by an import: no counselor has this slot yet.",
        groups=ACTIVCREA_GROUPS,
    )
    activcrea_places_taken = fields.Integer(
        "Places taken", compute="_compute_activcrea_places_taken", groups=ACTIVCREA_GROUPS
    )
    # The attendees France Travail sends (not the counselors, staff users): the list with
    # the "confirmed" and "attended" columns.
    activcrea_participant_ids = fields.One2many(
        "calendar.attendee",
        "event_id",
        string="Registrants",
        domain=[("partner_id.user_ids", "not any", [("share", "=", False)])],
        groups=ACTIVCREA_GROUPS,
    )

    @api.depends(
        "activcrea_step_id", "activcrea_ods_id.first_step_id", "activcrea_ods_id.is_activcrea"
    )
    def _compute_activcrea_is_step_one(self):
        for event in self:
            ods = event.activcrea_ods_id
            event.activcrea_is_step_one = bool(
                ods.is_activcrea
                and event.activcrea_step_id
                and event.activcrea_step_id == ods.first_step_id
            )

    @api.depends(
        "activcrea_ods_id.company_id",
        "activcrea_resource_id.company_id",
        "activcrea_site_id.company_id",
    )
    def _compute_activcrea_company_id(self):
        for event in self:
            event.activcrea_company_id = event._activcrea_companies(
                event.activcrea_ods_id, event.activcrea_resource_id, event.activcrea_site_id
            )[:1]

    @api.model
    def _activcrea_companies(self, ods, resource, site):
        """The companies of an action's offer, resource and site, in that order."""
        return ods.company_id | resource.company_id | site.company_id

    @api.depends("attendee_ids", "user_id")
    def _compute_activcrea_places_taken(self):
        for event in self:
            organizer = event.user_id.partner_id
            event.activcrea_places_taken = len(event.attendee_ids.partner_id - organizer)

    @api.onchange("activcrea_ods_id")
    def _onchange_activcrea_ods_id(self):
        ods = self.activcrea_ods_id
        if self.activcrea_step_id.ods_id != ods:
            self.activcrea_step_id = ods.first_step_id
        if self.activcrea_resource_id not in ods.resource_ids:
            self.activcrea_resource_id = (
                ods.resource_ids[:1] if len(ods.resource_ids) == 1 else False
            )
        if self.activcrea_site_id not in ods.site_ids:
            self.activcrea_site_id = False

    @api.constrains(
        "activcrea_ods_id", "activcrea_step_id", "activcrea_resource_id", "activcrea_site_id"
    )
    def _check_activcrea_consistency(self):
        # An import checks thousands of actions of a few offers, steps, resources and
        # sites: each combination once, the combinations read in one query.
        combinations = (
            self.sudo()
            .with_context(active_test=False)
            ._read_group(
                [("id", "in", self.ids)],
                ["activcrea_ods_id", "activcrea_step_id", "activcrea_resource_id", "activcrea_site_id"],
                ["id:min"],
            )
        )
        for ods, step, resource, site, event_id in combinations:
            if ods and step and step.ods_id != ods:
                raise ValidationError(
                    self.env._(
                        'The action type "%(step)s" is not a step of the offer "%(ods)s".',
                        step=step.display_name,
                        ods=ods.name,
                    )
                )
            if ods and resource and resource not in ods.resource_ids:
                raise ValidationError(
                    self.env._(
                        'The resource "%(resource)s" does not fund the offer "%(ods)s": choose '
                        "one of the offer's resources.",
                        resource=resource.name,
                        ods=ods.name,
                    )
                )
            if ods and site and site not in ods.site_ids:
                raise ValidationError(
                    self.env._(
                        'The offer "%(ods)s" is not delivered at the site "%(site)s": add the '
                        "site to the offer or choose another one.",
                        ods=ods.name,
                        site=site.name,
                    )
                )
            if len(self._activcrea_companies(ods, resource, site)) > 1:
                raise ValidationError(
                    self.env._(
                        'The offer, resource and site of the action "%(name)s" belong to '
                        "different companies: choose them in one company.",
                        name=self.browse(event_id).sudo().name,
                    )
                )

    # The checks below also run when a user without Activ'Créa rights moves an action they
    # attend: they read the Activ'Créa fields as superuser.
    @api.constrains("start", "stop", "allday", "activcrea_is_step_one")
    def _check_activcrea_one_appointment(self):
        minutes = self._activcrea_slot_minutes()
        for event in self.sudo().filtered("activcrea_is_step_one"):
            if event.allday or (event.stop - event.start) > timedelta(minutes=minutes):
                raise ValidationError(
                    self.env._(
                        'The action "%(name)s" lasts longer than %(minutes)s minutes. Plan one '
                        "action per appointment (for example 9:00-10:00, then 10:00-11:00), never "
                        "a block such as 9:00-12:00: a block breaks the planning count and the "
                        "assignment of each registrant.",
                        name=event.name,
                        minutes=minutes,
                    )
                )

    @api.constrains("start", "stop", "user_id", "activcrea_is_step_one")
    def _check_activcrea_no_overlap(self):
        # in one query: an import creates thousands of meetings, with no counselor yet
        candidates = (
            self.sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("id", "in", self.ids),
                    ("activcrea_is_step_one", "=", True),
                    ("user_id", "!=", False),
                    ("allday", "=", False),
                ]
            )
        )
        if not candidates:
            return
        events = self.sudo().browse(candidates.ids)
        # every company: a counselor working for two companies has one agenda
        others = events.search(
            [
                ("activcrea_is_step_one", "=", True),
                ("user_id", "in", events.user_id.ids),
                ("start", "<", max(events.mapped("stop"))),
                ("stop", ">", min(events.mapped("start"))),
            ]
        )
        slots = list(others | events)
        keyed = [(slot.user_id.id, slot.start, slot.stop) for slot in slots]
        for first, second in find_overlaps(keyed):
            one, two = slots[first], slots[second]
            if one in events or two in events:
                raise ValidationError(
                    self.env._(
                        "%(counselor)s already has an Activ'Créa slot at that time: "
                        '"%(one)s" and "%(two)s" overlap.',
                        counselor=one.user_id.name,
                        one=one.display_name,
                        two=two.display_name,
                    )
                )

    @api.model
    def _activcrea_slot_minutes(self):
        value = self.env["ir.config_parameter"].sudo().get_param("activcrea_odoo.slot_minutes")
        return int(value or 60)

    @api.model
    def _activcrea_fields(self):
        return [
            name
            for name, field in self._fields.items()
            if name.startswith("activcrea_") and field.groups == ACTIVCREA_GROUPS
        ]

    @api.model_create_multi
    def create(self, vals_list):
        self._activcrea_check_create_fields(vals_list)
        return super().create(vals_list)

    @api.model
    def _activcrea_check_create_fields(self, vals_list):
        """create() does not check field groups as write() does: a user without
        Activ'Créa rights may not make an Activ'Créa action."""
        if not self.env.su:
            given = {name for vals in vals_list for name, value in vals.items() if value}
            self.check_field_access_rights("write", sorted(given & set(self._activcrea_fields())))

    def _activcrea_check_staff(self):
        """An Activ'Créa action is the BGE's planning: other users may see it in the agenda
        of their company, not move or delete it."""
        if self.env.su or self.env.user.has_groups(ACTIVCREA_GROUPS):
            return
        actions = self.sudo().filtered("activcrea_company_id")
        if actions:
            raise AccessError(
                self.env._(
                    "Only Activ'Créa users can change or delete the Activ'Créa action "
                    '"%(name)s".',
                    name=actions[0].with_env(self.env).display_name,
                )
            )

    def write(self, vals):
        self._activcrea_check_staff()
        return super().write(vals)

    def unlink(self):
        self._activcrea_check_staff()
        return super().unlink()

    def _get_default_privacy_domain(self):
        """Odoo adds this domain to a read_group on fields other than its public ones (our
        site, offer, resource...): private events of others stay out of the groups. Odoo's
        version holds a sub-query (a ``Query`` object); the domain is also sent back to the
        web client as each group's ``__domain``, where the sub-query becomes a string and the
        group opens empty. Same condition, with plain ids: an event without privacy follows
        its organizer's default, as in ``_check_private_event_conditions``."""
        private_organizers = (
            self.env["res.users.settings"]
            .sudo()
            .search([("calendar_default_privacy", "=", "private")])
            .user_id
        )
        return [
            "|",
            "|",
            "|",
            ("privacy", "=", "public"),
            ("privacy", "=", "confidential"),
            ("user_id", "=", self.env.uid),
            "&",
            ("privacy", "=", False),
            ("user_id", "not in", private_organizers.ids),
        ]

    def copy_data(self, default=None):
        # A copied slot is an independent event (the guide's "duplication sans liaison").
        default = dict(default or {})
        default.update(recurrency=False, recurrence_id=False, follow_recurrence=False)
        if not self.env.su and not self.env.user.has_groups(ACTIVCREA_GROUPS):
            # a user without Activ'Créa rights copies the meeting, not the Activ'Créa action
            default.update({name: False for name in self._activcrea_fields()})
        return super().copy_data(default)

    def copy(self, default=None):
        new_events = super().copy(default)
        for old, new in zip(self.sudo(), new_events, strict=True):
            if old.activcrea_ods_id and old.user_id:
                # the entrepreneurs stay on the original slot
                new.partner_ids = [Command.set(old.user_id.partner_id.ids)]
        return new_events
