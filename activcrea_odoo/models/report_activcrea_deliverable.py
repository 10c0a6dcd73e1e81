from odoo import api, models


class ReportActivcreaDeliverable(models.AbstractModel):
    """What the three enrolment deliverables print, read for all the enrolments at once
    (the actions of every enrolment in one query)."""

    _name = "report.activcrea_odoo.report_deliverable_diagnostic"
    _description = "Activ'Créa deliverable: initial diagnostic report"

    @api.model
    def _get_report_values(self, docids, data=None):
        docs = self.env["activcrea.enrolment"].browse(docids)
        return {
            "doc_ids": docids,
            "doc_model": "activcrea.enrolment",
            "docs": docs,
            "actions": docs._deliverable_actions(),
            "tz": docs._deliverable_tz(),
        }


class ReportActivcreaDeliverableBilan(models.AbstractModel):
    _name = "report.activcrea_odoo.report_deliverable_bilan"
    _inherit = "report.activcrea_odoo.report_deliverable_diagnostic"
    _description = "Activ'Créa deliverable: end-of-service report"


class ReportActivcreaDeliverableAttendance(models.AbstractModel):
    _name = "report.activcrea_odoo.report_deliverable_attendance"
    _inherit = "report.activcrea_odoo.report_deliverable_diagnostic"
    _description = "Activ'Créa deliverable: attendance sheet"
