from odoo import api, fields, models

from ..rules import billing


class ActivcreaTariffOverview(models.TransientModel):
    """The catalogue's overview (guide 7.a): tariffs in force, ending within 30 days,
    ended, and the ODS and action types without any tariff; each count opens its list."""

    _name = "activcrea.tariff.overview"
    _description = "Tariff overview"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    count_in_force = fields.Integer("Tariffs in force", compute="_compute_counts")
    count_ending = fields.Integer("Ending within 30 days", compute="_compute_counts")
    count_ended = fields.Integer("Ended", compute="_compute_counts")
    count_ods_without = fields.Integer("ODS without tariff", compute="_compute_counts")
    count_action_type_without = fields.Integer(
        "Action types without tariff", compute="_compute_counts"
    )

    def _domains(self):
        today = fields.Date.context_today(self)
        first, last = billing.ending_limits(today)
        in_force = [
            ("date_start", "<=", today),
            "|",
            ("date_end", "=", False),
            ("date_end", ">=", today),
        ]
        return {
            "in_force": in_force,
            "ending": [("date_start", "<=", today), ("date_end", ">=", first), ("date_end", "<=", last)],
            "ended": [("date_end", "<", today)],
        }

    def _without_tariff(self, model, field):
        priced = self.env["activcrea.tariff"].search([(field, "!=", False)])[field]
        return self.env[model].search([("id", "not in", priced.ids)])

    @api.depends("company_id")
    def _compute_counts(self):
        Tariff = self.env["activcrea.tariff"]
        domains = self._domains()
        for overview in self:
            overview.count_in_force = Tariff.search_count(domains["in_force"])
            overview.count_ending = Tariff.search_count(domains["ending"])
            overview.count_ended = Tariff.search_count(domains["ended"])
            overview.count_ods_without = len(self._without_tariff("activcrea.ods", "ods_id"))
            overview.count_action_type_without = len(
                self._without_tariff("activcrea.action.type", "action_type_id")
            )

    def _open(self, name, model, domain):
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "view_mode": "list,form",
            "domain": domain,
        }

    def action_open_in_force(self):
        return self._open(
            self.env._("Tariffs in force"), "activcrea.tariff", self._domains()["in_force"]
        )

    def action_open_ending(self):
        return self._open(
            self.env._("Tariffs ending within 30 days"),
            "activcrea.tariff",
            self._domains()["ending"],
        )

    def action_open_ended(self):
        return self._open(self.env._("Ended tariffs"), "activcrea.tariff", self._domains()["ended"])

    def action_open_ods_without(self):
        records = self._without_tariff("activcrea.ods", "ods_id")
        return self._open(
            self.env._("ODS without tariff"), "activcrea.ods", [("id", "in", records.ids)]
        )

    def action_open_action_type_without(self):
        records = self._without_tariff("activcrea.action.type", "action_type_id")
        return self._open(
            self.env._("Action types without tariff"),
            "activcrea.action.type",
            [("id", "in", records.ids)],
        )
