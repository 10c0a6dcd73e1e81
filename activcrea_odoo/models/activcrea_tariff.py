from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..rules import billing
from ..rules.messages import render_all


class ActivcreaTariff(models.Model):
    """A price of the catalogue: for an ODS (or an action type), a resource (the lot and
    its financer), optionally a site, over a period. Several per ODS (periods, lots);
    two tariffs for the same ODS, resource and site may not overlap."""

    _name = "activcrea.tariff"
    _description = "Tariff"
    _inherit = ["mail.thread", "activcrea.company.guard"]
    _order = "ods_id, resource_id, date_start desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    active = fields.Boolean(default=True)
    ods_id = fields.Many2one(
        "activcrea.ods", string="ODS", index=True, check_company=True, tracking=True
    )
    action_type_id = fields.Many2one("activcrea.action.type", index=True, tracking=True)
    resource_id = fields.Many2one(
        "activcrea.resource", required=True, index=True, check_company=True, tracking=True
    )
    # the invoices go to the enrolment's resource's financer: the tariff only shows it
    financer_id = fields.Many2one(
        related="resource_id.financer_id",
        store=True,
        help="The third party that pays: the invoices are addressed to it.",
    )
    site_id = fields.Many2one(
        "activcrea.site",
        check_company=True,
        help="Leave empty for a tariff of every site; a site's own tariff wins.",
    )
    company_id = fields.Many2one(
        related="resource_id.company_id", store=True, index=True, string="Legal entity"
    )
    date_start = fields.Date("Valid from", required=True, tracking=True)
    date_end = fields.Date("Valid until", tracking=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount = fields.Monetary(
        required=True,
        tracking=True,
        help="Price of a complete service (or of one action, see the unit).",
    )
    unit = fields.Selection(billing.UNIT_SELECTION, required=True, default="service")
    billing_rule = fields.Selection(
        billing.BILLING_RULE_SELECTION,
        required=True,
        default="end_of_service",
        help="Activ'Créa bills the whole service once it ends; the other rules are "
        "recorded for the other offers.",
    )
    without_quotation = fields.Boolean(
        "Billing without quotation",
        default=True,
        help="Public contracts: the price is set by the contract, no quotation is sent.",
    )
    state = fields.Selection(
        [
            ("future", "Future"),
            ("in_force", "In force"),
            ("ending", "Ending within 30 days"),
            ("ended", "Ended"),
        ],
        compute="_compute_state",
    )

    @api.depends("ods_id.name", "action_type_id.name", "resource_id.name", "date_start")
    def _compute_name(self):
        for tariff in self:
            subject = tariff.ods_id.name or tariff.action_type_id.name or ""
            tariff.name = " - ".join(
                filter(None, [subject, tariff.resource_id.name, str(tariff.date_start or "")])
            )

    def _compute_state(self):
        today = fields.Date.context_today(self)
        for tariff in self:
            tariff.state = billing.tariff_state(tariff._as_rule(), today)

    def _as_rule(self):
        self.ensure_one()
        return billing.Tariff(
            self.id,
            self.ods_id.id or None,
            self.action_type_id.id or None,
            self.resource_id.id or None,
            self.site_id.id or None,
            self.date_start,
            self.date_end,
            self.amount,
        )

    @api.constrains("ods_id", "action_type_id")
    def _check_subject(self):
        for tariff in self:
            if bool(tariff.ods_id) == bool(tariff.action_type_id):
                raise ValidationError(
                    self.env._(
                        'The tariff "%(tariff)s" must price either an ODS or an action type.',
                        tariff=tariff.display_name,
                    )
                )

    @api.constrains("ods_id", "action_type_id", "resource_id", "site_id", "date_start", "date_end")
    def _check_overlap(self):
        for tariff in self:
            messages = billing.check_tariff_dates(tariff.date_start, tariff.date_end)
            if messages:
                raise ValidationError(render_all(messages, self.env._))
        others = self.with_context(active_test=True).search(
            [
                ("resource_id", "in", self.resource_id.ids),
                "|",
                ("ods_id", "in", self.ods_id.ids),
                ("action_type_id", "in", self.action_type_id.ids),
            ]
        )
        for first, second in billing.find_overlaps([t._as_rule() for t in others | self]):
            if first.id in self.ids or second.id in self.ids:
                first, second = self.browse([first.id, second.id])
                raise ValidationError(
                    self.env._(
                        'The tariffs "%(first)s" and "%(second)s" overlap: one ODS, resource '
                        "and site can only have one price on a given day. End the first one "
                        "before the second starts.",
                        first=first.display_name,
                        second=second.display_name,
                    )
                )

    @api.model
    def _find_for(self, enrolments):
        """enrolment -> tariff in force at its end date (one query for all)."""
        tariffs = self.search(
            [("ods_id", "in", enrolments.ods_id.ids), ("resource_id", "in", enrolments.resource_id.ids)]
        )
        rules = [t._as_rule() for t in tariffs]
        result = {}
        for enrolment in enrolments:
            found = billing.select_tariff(
                rules,
                enrolment.ods_id.id,
                enrolment.resource_id.id,
                enrolment.end_date,
                enrolment.site_id.id or None,
            )
            result[enrolment] = self.browse(found.id) if found else self.browse()
        return result
