"""Records stay in the companies of the user who writes them.

Record rules are checked before a write, and ``check_company`` only checks that a record and
the records it points to agree with each other: neither stops a user from moving a record
into a company they do not work for, by writing another company's offer, resource, site,
antenna or import on it (everything then agrees, in the other company). This guard checks
after each create and each write that changes a record's company that the new company is one
of the user's selected companies (``env.companies``, a subset of the companies they belong
to). The superuser (jobs, install) is not checked.

The guard is added to every company-bound model of the addon here, in one place, next to the
rules of ``security/activcrea_security.xml``; ``calendar.event`` takes it in its own file.
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


class ActivcreaAntenna(models.Model):
    _name = "activcrea.antenna"
    _inherit = ["activcrea.antenna", "activcrea.company.guard"]


class ActivcreaSite(models.Model):
    _name = "activcrea.site"
    _inherit = ["activcrea.site", "activcrea.company.guard"]


class ActivcreaSiteAddress(models.Model):
    _name = "activcrea.site.address"
    _inherit = ["activcrea.site.address", "activcrea.company.guard"]


class ActivcreaOds(models.Model):
    _name = "activcrea.ods"
    _inherit = ["activcrea.ods", "activcrea.company.guard"]


class ActivcreaOdsStep(models.Model):
    _name = "activcrea.ods.step"
    _inherit = ["activcrea.ods.step", "activcrea.company.guard"]


class ActivcreaResource(models.Model):
    _name = "activcrea.resource"
    _inherit = ["activcrea.resource", "activcrea.company.guard"]


class ActivcreaImport(models.Model):
    _name = "activcrea.import"
    _inherit = ["activcrea.import", "activcrea.company.guard"]


class ActivcreaImportLine(models.Model):
    _name = "activcrea.import.line"
    _inherit = ["activcrea.import.line", "activcrea.company.guard"]


class ActivcreaImportAddress(models.Model):
    _name = "activcrea.import.address"
    _inherit = ["activcrea.import.address", "activcrea.company.guard"]


class ActivcreaEnrolment(models.Model):
    _name = "activcrea.enrolment"
    _inherit = ["activcrea.enrolment", "activcrea.company.guard"]
