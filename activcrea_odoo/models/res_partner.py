from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..rules.prestappli import is_valid_france_travail_id


class ResPartner(models.Model):
    _inherit = "res.partner"

    france_travail_id = fields.Char(
        "France Travail identifier",
        index="btree_not_null",
        copy=False,
        help="The person's identifier at France Travail (IDE): 7 digits and a letter or digit, "
        "or 11 digits.",
    )
    birthdate = fields.Date()
    activcrea_import_created = fields.Boolean(
        "Created by an Activ'Créa import",
        copy=False,
        help="Set when a France Travail list created this person; such records may be removed "
        "if France Travail does not confirm the registration.",
    )
    activcrea_enrolment_ids = fields.One2many(
        "activcrea.enrolment",
        "partner_id",
        string="Enrolments",
        context={"active_test": False},
        help="The person's enrolments, archived ones included: they are history.",
    )
    activcrea_enrolment_count = fields.Integer(compute="_compute_activcrea_enrolment_count")

    @api.depends("activcrea_enrolment_ids")
    def _compute_activcrea_enrolment_count(self):
        counts = dict(
            self.env["activcrea.enrolment"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.activcrea_enrolment_count = counts.get(partner._origin, 0)

    @api.constrains("france_travail_id")
    def _check_france_travail_id(self):
        for partner in self:
            if partner.france_travail_id and not is_valid_france_travail_id(
                partner.france_travail_id
            ):
                raise ValidationError(
                    self.env._(
                        'The France Travail identifier "%(value)s" of %(name)s is not valid: it '
                        "has 8 characters (7 digits and a letter or digit) or 11 digits.",
                        value=partner.france_travail_id,
                        name=partner.display_name,
                    )
                )

    def _activcrea_one_line_address(self):
        """Name and postal address on one line, e.g. for a meeting's location."""
        if not self:
            return ""
        self.ensure_one()
        lines = [self.name] + self._display_address(without_company=True).splitlines()
        lines = [" ".join(line.split()) for line in lines if line]
        if self.country_id and self.country_id == self.env.company.country_id:
            lines = [line for line in lines if line != self.country_id.name]
        return ", ".join(dict.fromkeys(line for line in lines if line))

    def action_view_activcrea_enrolments(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "activcrea_odoo.activcrea_enrolment_action"
        )
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action
