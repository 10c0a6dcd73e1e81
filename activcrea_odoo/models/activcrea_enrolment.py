from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import SQL

from ..rules import alerts
from ..rules import situation as situation_rules
from ..rules.messages import render_all

# The three ends of the service and what records each; only one may be filled.
EXIT_FIELDS = {
    "bilan": ("bilan_date", "bilan_outcome", "bilan_reason_id"),
    "early_exit": ("early_exit_date", "early_exit_reason_id"),
    "abandoned": ("abandon_date", "abandon_reason_id"),
}
ALL_EXIT_FIELDS = tuple(name for names in EXIT_FIELDS.values() for name in names)
FORM_FIELDS = (
    "order_number",
    "ft_advisor",
    "ft_agency_code",
    "diagnostic_date",
    "diagnostic_outcome",
    "bilan_date",
    "early_exit_date",
    "abandon_date",
)


class ActivcreaEnrolment(models.Model):
    _name = "activcrea.enrolment"
    _description = "Enrolment in a service offer"
    _inherit = ["mail.thread", "mail.activity.mixin", "activcrea.company.guard"]
    _order = "start_date desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    active = fields.Boolean(default=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Person",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
    )
    france_travail_id = fields.Char(related="partner_id.france_travail_id")
    ods_id = fields.Many2one(
        "activcrea.ods",
        string="ODS",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
    )
    is_activcrea = fields.Boolean(related="ods_id.is_activcrea", store=True)
    resource_id = fields.Many2one(
        "activcrea.resource",
        domain="[('ods_ids', 'in', ods_id)]",
        index=True,
        tracking=True,
        check_company=True,
    )
    site_id = fields.Many2one(
        "activcrea.site",
        domain="[('ods_ids', 'in', ods_id)]",
        index=True,
        tracking=True,
        check_company=True,
    )
    company_id = fields.Many2one(
        "res.company",
        compute="_compute_company_id",
        store=True,
        readonly=False,
        required=True,
        index=True,
        precompute=True,
    )
    user_id = fields.Many2one("res.users", string="BGE referent", tracking=True, index=True)
    start_date = fields.Date(tracking=True, index=True)
    end_date = fields.Date(
        compute="_compute_end_date",
        store=True,
        readonly=False,
        tracking=True,
        help="Theoretical end: the start date plus the offer's duration; editable.",
    )
    # The Activ'Créa form ("prestation spéciale")
    order_number = fields.Char(
        tracking=True, index="btree_not_null", help="France Travail's order (bon de commande)."
    )
    confirmation = fields.Selection(
        [
            ("pending", "Awaiting confirmation"),
            ("confirmed", "Confirmed"),
            ("not_confirmed", "Not confirmed"),
        ],
        default="pending",
        required=True,
        tracking=True,
        help="Confirmed when France Travail's validated list (J-2) carries an order number.",
    )
    ft_advisor = fields.Char("France Travail advisor")
    ft_agency_code = fields.Char("France Travail agency code")
    diagnostic_date = fields.Date("Initial diagnostic date", tracking=True)
    diagnostic_outcome = fields.Selection(
        [("continued", "Continued the service"), ("redirected", "Redirected to France Travail")],
        string="After the initial diagnostic",
        tracking=True,
    )
    bilan_date = fields.Date(tracking=True)
    bilan_outcome = fields.Selection(
        [
            ("relevant", "Business creation relevant"),
            ("not_relevant", "Business creation not relevant"),
        ],
        tracking=True,
    )
    bilan_reason_id = fields.Many2one(
        "activcrea.reason", domain="[('kind', '=', 'bilan')]", string="Bilan reason"
    )
    early_exit_date = fields.Date(tracking=True)
    early_exit_reason_id = fields.Many2one(
        "activcrea.reason", domain="[('kind', '=', 'early_exit')]", string="Early exit reason"
    )
    abandon_date = fields.Date("Abandonment date", tracking=True)
    abandon_reason_id = fields.Many2one(
        "activcrea.reason", domain="[('kind', '=', 'abandon')]", string="Abandonment reason"
    )
    deposit_diagnostic_date = fields.Date(
        "Diagnostic deposited on Prest@ppli", help="Date the diagnostic deliverable was deposited."
    )
    deposit_bilan_date = fields.Date(
        "Bilan deposited on Prest@ppli", help="Date the final deliverable was deposited."
    )
    situation = fields.Selection(
        [("awaiting", "Awaiting the diagnostic")] + situation_rules.SITUATION_SELECTION,
        compute="_compute_situation",
        store=True,
        index=True,
    )
    is_closed = fields.Boolean(compute="_compute_situation", store=True)
    form_filled = fields.Boolean(
        "Form filled",
        compute="_compute_form_filled",
        store=True,
        help="At least one field of the Activ'Créa form is filled.",
    )
    past_action_count = fields.Integer(
        "Past actions",
        compute="_compute_action_counts",
        help="Actions of the offer the person attended (attendance « yes »).",
    )
    future_action_count = fields.Integer(
        "Future actions",
        compute="_compute_action_counts",
        help="Actions of the offer planned from now on, confirmed or not.",
    )
    has_action = fields.Boolean(
        "Action planned", compute="_compute_action_counts", search="_search_has_action"
    )
    has_future_action = fields.Boolean(
        compute="_compute_action_counts", search="_search_has_future_action"
    )
    alert_ending_soon = fields.Boolean(
        "Ends soon, nothing planned", compute="_compute_alerts", search="_search_alert_ending_soon"
    )
    alert_overdue = fields.Boolean(
        "Theoretical end passed, incomplete",
        compute="_compute_alerts",
        search="_search_alert_overdue",
    )
    # Set once the alert's activity is scheduled, cleared when the condition stops holding:
    # the referent gets one activity per alert episode, even after marking it done.
    alert_ending_soon_notified = fields.Boolean(copy=False)
    alert_overdue_notified = fields.Boolean(copy=False)

    _sql_constraints = [
        (
            "partner_ods_uniq",
            "unique(partner_id, ods_id, start_date)",
            "This person already has an enrolment in this offer starting on that date.",
        ),
    ]

    @api.depends("partner_id.name", "ods_id.name")
    def _compute_name(self):
        for enrolment in self:
            enrolment.name = " - ".join(
                filter(None, [enrolment.partner_id.name, enrolment.ods_id.name])
            )

    @api.depends("ods_id", "resource_id")
    def _compute_company_id(self):
        for enrolment in self:
            enrolment.company_id = (
                enrolment.resource_id.company_id
                or enrolment.ods_id.company_id
                or enrolment.company_id
                or self.env.company
            )

    @api.depends("start_date", "ods_id.duration_days")
    def _compute_end_date(self):
        for enrolment in self:
            if enrolment.start_date:
                enrolment.end_date = situation_rules.theoretical_end(
                    enrolment.start_date, enrolment.ods_id.duration_days or 90
                )

    def _exit_flags(self):
        self.ensure_one()
        return {kind: any(self[name] for name in names) for kind, names in EXIT_FIELDS.items()}

    @api.depends("diagnostic_outcome", *ALL_EXIT_FIELDS)
    def _compute_situation(self):
        for enrolment in self:
            enrolment.situation = (
                situation_rules.situation(enrolment.diagnostic_outcome, **enrolment._exit_flags())
                or "awaiting"
            )
            enrolment.is_closed = enrolment.situation in situation_rules.CLOSED_SITUATIONS

    @api.depends(*FORM_FIELDS)
    def _compute_form_filled(self):
        for enrolment in self:
            enrolment.form_filled = any(enrolment[name] for name in FORM_FIELDS)

    @api.constrains(*ALL_EXIT_FIELDS)
    def _check_single_exit(self):
        for enrolment in self:
            messages = situation_rules.check_single_exit(**enrolment._exit_flags())
            if messages:
                raise ValidationError(
                    render_all(messages, self.env._) + "\n" + enrolment.display_name
                )

    @api.constrains("start_date", "end_date")
    def _check_dates(self):
        for enrolment in self:
            if (
                enrolment.start_date
                and enrolment.end_date
                and enrolment.end_date < enrolment.start_date
            ):
                raise ValidationError(
                    self.env._(
                        "The enrolment %(name)s ends before it starts.", name=enrolment.display_name
                    )
                )

    # The import sets them from France Travail's list; a counselor follows the person.
    _activcrea_manager_only_fields = ("ods_id", "resource_id", "company_id")

    def write(self, vals):
        if not self.env.su and not self.env.user.has_group(
            "activcrea_odoo.group_activcrea_manager"
        ):
            for name in self._activcrea_manager_only_fields:
                if name not in vals:
                    continue
                field = self._fields[name]
                new_id = field.convert_to_cache(vals[name], self.browse()) or False
                changed = self.sudo().filtered(
                    lambda enrolment, name=name, new_id=new_id: enrolment[name].id != new_id
                )
                if changed:
                    raise AccessError(
                        self.env._(
                            "Only an Activ'Créa manager can change the %(field)s of the "
                            'enrolment "%(enrolment)s": the import of France Travail\'s list '
                            "sets it.",
                            field=field._description_string(self.env),
                            enrolment=changed[0].display_name,
                        )
                    )
        return super().write(vals)

    # Actions: events of the enrolment's offer where the person is a participant.
    def _query_actions(self, columns, tail):
        """``SELECT columns`` over the actions of the enrolments, then ``tail`` (GROUP BY,
        ORDER BY...), in one query: an action is an active event of the enrolment's offer
        its person attends (``a`` the attendee, ``ev`` the event). Read here for the
        counts of the tracking and the deliverables' checks alike."""
        if not self.partner_id or not self.ods_id:
            return []
        self.env["calendar.event"].flush_model(["start", "activcrea_ods_id", "active"])
        self.env["calendar.attendee"].flush_model(["partner_id", "event_id", "activcrea_attended"])
        return self.env.execute_query(
            SQL(
                """
                SELECT %s
                  FROM calendar_attendee a
                  JOIN calendar_event ev ON ev.id = a.event_id
                 WHERE ev.active
                   AND a.partner_id IN %s
                   AND ev.activcrea_ods_id IN %s
                 %s
                """,
                columns,
                tuple(self.partner_id.ids),
                tuple(self.ods_id.ids),
                tail,
            )
        )

    def _action_counts(self):
        """(partner, ODS) -> (attended, future, total) actions, in one query."""
        rows = self._query_actions(
            SQL(
                """a.partner_id, ev.activcrea_ods_id,
                       count(*) FILTER (WHERE a.activcrea_attended = 'yes'),
                       count(*) FILTER (WHERE ev.start >= %s),
                       count(*)""",
                fields.Datetime.now(),
            ),
            SQL("GROUP BY a.partner_id, ev.activcrea_ods_id"),
        )
        return {(partner, ods): counts for partner, ods, *counts in rows}

    # The counts are read in SQL; these paths (person -> their meetings -> participants)
    # only tell the ORM when to drop the values it holds in cache, so that a meeting
    # planned, moved or archived in the same transaction is seen at once.
    @api.depends(
        "partner_id",
        "ods_id",
        "partner_id.meeting_ids.start",
        "partner_id.meeting_ids.active",
        "partner_id.meeting_ids.activcrea_ods_id",
        "partner_id.meeting_ids.attendee_ids.activcrea_attended",
    )
    def _compute_action_counts(self):
        counts = self._action_counts()
        for enrolment in self:
            past, future, total = counts.get(
                (enrolment.partner_id.id, enrolment.ods_id.id), (0, 0, 0)
            )
            enrolment.past_action_count = past
            enrolment.future_action_count = future
            enrolment.has_action = bool(total)
            enrolment.has_future_action = bool(future)

    def _action_subquery(self, future_only=False):
        """SQL selecting the enrolments whose person takes part in an event of their offer;
        kept as a sub-query so that the database, not Python, holds the ids."""
        self.env["calendar.event"].flush_model(["start", "activcrea_ods_id", "active"])
        self.env["calendar.attendee"].flush_model(["partner_id", "event_id"])
        return SQL(
            """
            (SELECT e.id
              FROM activcrea_enrolment e
             WHERE EXISTS (
                   SELECT 1
                     FROM calendar_attendee a
                     JOIN calendar_event ev ON ev.id = a.event_id
                    WHERE a.partner_id = e.partner_id
                      AND ev.activcrea_ods_id = e.ods_id
                      AND ev.active %s))
            """,
            SQL("AND ev.start >= %s", fields.Datetime.now()) if future_only else SQL(""),
        )

    def _search_has_action(self, operator, value):
        return self._boolean_search(operator, value, future_only=False)

    def _search_has_future_action(self, operator, value):
        return self._boolean_search(operator, value, future_only=True)

    def _boolean_search(self, operator, value, future_only):
        if operator not in ("=", "!="):
            raise NotImplementedError(self.env._("Unsupported search on this field."))
        positive = (operator == "=") == bool(value)
        return [("id", "in" if positive else "not in", self._action_subquery(future_only))]

    def _alert_days(self):
        param = self.env["ir.config_parameter"].sudo().get_param
        return int(param("activcrea_odoo.alert_ending_days") or 83), int(
            param("activcrea_odoo.alert_overdue_days") or 90
        )

    # Alerts depend on today's date: they cannot be stored (nothing would recompute them
    # when the date changes). They stay computed on the fly, with a search method for the
    # dashboard filters (a domain on the stored fields below and the start date bounds),
    # and declare what they read so that the ORM recomputes them in the same transaction
    # after a write (an exit recorded, an outcome changed, a meeting planned).
    @api.depends(
        "is_activcrea",
        "start_date",
        "diagnostic_outcome",
        "has_future_action",
        *ALL_EXIT_FIELDS,
    )
    def _compute_alerts(self):
        today = fields.Date.context_today(self)
        ending_days, overdue_days = self._alert_days()
        for enrolment in self:
            has_exit = any(enrolment._exit_flags().values())
            checked = enrolment.is_activcrea and enrolment.start_date
            enrolment.alert_ending_soon = bool(checked) and alerts.ending_soon(
                enrolment.start_date,
                today,
                enrolment.diagnostic_outcome,
                has_exit,
                enrolment.has_future_action,
                min_days=ending_days,
                max_days=overdue_days,
            )
            enrolment.alert_overdue = bool(checked) and alerts.overdue(
                enrolment.start_date,
                today,
                enrolment.diagnostic_outcome,
                has_exit,
                min_days=overdue_days,
            )

    def _open_domain(self, min_days, max_days=None):
        """Activ'Créa enrolments, continued, with no end recorded, ``min_days`` or more
        days old and, with ``max_days``, less than ``max_days`` days old."""
        today = fields.Date.context_today(self)
        domain = [
            ("is_activcrea", "=", True),
            ("start_date", "<=", alerts.start_date_limits(today, min_days)),
            ("diagnostic_outcome", "=", "continued"),
        ] + [(name, "=", False) for name in ALL_EXIT_FIELDS]
        if max_days is not None:
            domain.append(("start_date", ">", alerts.start_date_limits(today, max_days)))
        return domain

    def _alert_search(self, operator, value, domain):
        if operator not in ("=", "!="):
            raise NotImplementedError(self.env._("Unsupported search on this field."))
        ids = self.with_context(active_test=False)._search(domain)
        positive = (operator == "=") == bool(value)
        return [("id", "in" if positive else "not in", ids)]

    def _search_alert_ending_soon(self, operator, value):
        # 83 to 89 days: from the theoretical end on, the overdue alert takes over
        ending_days, overdue_days = self._alert_days()
        domain = self._open_domain(ending_days, overdue_days) + [("has_future_action", "=", False)]
        return self._alert_search(operator, value, domain)

    def _search_alert_overdue(self, operator, value):
        overdue_days = self._alert_days()[1]
        return self._alert_search(operator, value, self._open_domain(overdue_days))

    # Alert activities --------------------------------------------------------------------
    def _alert_definitions(self):
        return [
            ("activcrea_odoo.mail_activity_type_alert_ending_soon", "alert_ending_soon"),
            ("activcrea_odoo.mail_activity_type_alert_overdue", "alert_overdue"),
        ]

    def _alert_recipient(self):
        """The user who gets the alert's activity: the referent, else the administrator."""
        self.ensure_one()
        return self.user_id or self.env.ref("base.user_admin")

    def _recipient_lang(self, user):
        """The language the job writes in for ``user``: theirs, else the job's own."""
        return user.lang or self.env.lang or "en_US"

    @api.model
    def _cron_alerts(self):
        """Schedule one activity per enrolment and alert for the referent; close the
        activities whose condition no longer holds. What the job writes (summaries,
        closing notes) is in the language of the user it is for, not the job's."""
        Activity = self.env["mail.activity"]
        today = fields.Date.context_today(self)
        model_id = self.env["ir.model"]._get_id(self._name)
        for xmlid, field_name in self._alert_definitions():
            activity_type = self.env.ref(xmlid)
            flag = f"{field_name}_notified"
            matching = self.search([(field_name, "=", True)])
            ended = self.search([(flag, "=", True), ("id", "not in", matching.ids)])
            stale = Activity.search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", ended.ids),
                    ("activity_type_id", "=", activity_type.id),
                ]
            )
            for lang, activities in stale.grouped(
                lambda activity: self._recipient_lang(activity.user_id)
            ).items():
                in_lang = activities.with_context(lang=lang)
                in_lang.action_feedback(
                    feedback=in_lang.env._("Alert closed: the condition no longer holds.")
                )
            ended.write({flag: False})
            to_notify = matching.filtered(lambda enrolment, flag=flag: not enrolment[flag])
            summaries = {}
            values = []
            for enrolment in to_notify:
                user = enrolment._alert_recipient()
                lang = self._recipient_lang(user)
                if lang not in summaries:
                    translated = activity_type.with_context(lang=lang)
                    summaries[lang] = translated.summary or translated.name
                values.append(
                    {
                        "res_model_id": model_id,
                        "res_id": enrolment.id,
                        "activity_type_id": activity_type.id,
                        "summary": summaries[lang],
                        "user_id": user.id,
                        "date_deadline": today + timedelta(days=activity_type.delay_count or 0),
                    }
                )
            Activity.create(values)
            to_notify.write({flag: True})

    # Navigation ---------------------------------------------------------------------------
    def action_view_meetings(self):
        """The person's meetings of the enrolment's offer."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "activcrea_odoo.calendar_event_action_activcrea"
        )
        calendar_view = self.env.ref("activcrea_odoo.calendar_event_view_calendar_activcrea")
        first = self.env["calendar.event"].search(
            [("partner_ids", "in", self.partner_id.ids), ("activcrea_ods_id", "=", self.ods_id.id)],
            order="start",
            limit=1,
        )
        action.update(
            name=self.env._("Meetings of %(person)s", person=self.partner_id.name),
            display_name=self.env._("Meetings of %(person)s", person=self.partner_id.name),
            domain=[
                ("partner_ids", "in", self.partner_id.ids),
                ("activcrea_ods_id", "=", self.ods_id.id),
            ],
            view_mode="list,calendar,form",
            views=[
                (False, "list"),
                (calendar_view.id, "calendar"),
                (False, "form"),
            ],
            context={
                "initial_date": fields.Datetime.to_string(first.start) if first else False,
                "default_partner_ids": [self.partner_id.id],
                "default_activcrea_ods_id": self.ods_id.id,
            },
        )
        return action
