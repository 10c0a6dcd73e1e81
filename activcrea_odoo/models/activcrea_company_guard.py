"""Records stay in the companies of the user who writes them.

Record rules are checked before a write, and ``check_company`` only checks that a record and
the records it points to agree with each other: neither stops a user from moving a record
into a company they do not work for, by writing another company's offer, resource, site,
antenna or import on it (everything then agrees, in the other company). This guard checks
after each create and each write that changes a record's company that the new company is one
of the user's selected companies (``env.companies``, a subset of the companies they belong
to). The superuser (jobs, install) is not checked.

Every company-bound model of the addon lists it in its ``_inherit`` (a registry test checks
that none is missing, next to the rules of ``security/activcrea_security.xml``).
"""

from odoo import api, models
from odoo.exceptions import AccessError


class ActivcreaCompanyGuard(models.AbstractModel):
    _name = "activcrea.company.guard"
    _description = "Activ'Créa record kept in its user's companies"

    # the field holding the record's company
    _activcrea_company_field = "company_id"

    def _activcrea_check_companies(self):
        if self.env.su or not self:
            return
        allowed = self.env.companies
        for record in self.sudo():
            company = record[self._activcrea_company_field]
            if company and company not in allowed:
                raise AccessError(
                    self.env._(
                        'You cannot put "%(record)s" in the company "%(company)s": it is not '
                        "one of the companies you work for and have selected.",
                        record=record.display_name,
                        company=company.name,
                    )
                )

    def _activcrea_may_move(self, vals):
        """Whether writing ``vals`` may change the company: the company field itself, or a
        field it is related to or computed from (offer, resource, site, antenna, import...)."""
        field = self._fields[self._activcrea_company_field]
        names = {field.name}
        names.update(dep.split(".")[0] for dep in self.pool.field_depends[field])
        return not names.isdisjoint(vals)

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records._activcrea_check_companies()
        return records

    def write(self, vals):
        if self.env.su or not self._activcrea_may_move(vals):
            return super().write(vals)
        fname = self._activcrea_company_field
        before = {record.id: record[fname] for record in self.sudo()}
        result = super().write(vals)
        self.filtered(
            lambda record: record.sudo()[fname] != before.get(record.id)
        )._activcrea_check_companies()
        return result
