import logging

from odoo import models

_logger = logging.getLogger(__name__)

# report_name -> deliverable of rules.deliverables, for the enrolment reports
DELIVERABLE_REPORTS = {
    "activcrea_odoo.report_deliverable_diagnostic": "diagnostic",
    "activcrea_odoo.report_deliverable_bilan": "bilan",
    "activcrea_odoo.report_deliverable_attendance": "attendance",
}


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def retrieve_attachment(self, record):
        # A deliverable is printed again after the form changed: never reuse the PDF saved
        # by an earlier print, save a new one (the older ones stay in the chatter).
        if self.report_name in DELIVERABLE_REPORTS:
            return self.env["ir.attachment"]
        return super().retrieve_attachment(record)

    def _render_qweb_pdf(self, report_ref, res_ids=None, data=None):
        """The checks before printing a deliverable, whoever asks (button, Print menu,
        URL); once printed, the date and the PDF are recorded on the enrolment."""
        report = self._get_report(report_ref)
        document = DELIVERABLE_REPORTS.get(report.report_name)
        if not document or not res_ids:
            return super()._render_qweb_pdf(report_ref, res_ids=res_ids, data=data)
        ids = [res_ids] if isinstance(res_ids, int) else res_ids
        enrolments = self.env["activcrea.enrolment"].browse(ids)
        enrolments._check_deliverable(document)
        content, report_type = super()._render_qweb_pdf(report_ref, res_ids=res_ids, data=data)
        if report_type == "pdf":
            enrolments._deliverable_printed(document)
        return content, report_type

    def _activcrea_render_pdfs(self, report_ref, res_ids):
        """One PDF per record, from ONE rendering of all of them (Odoo splits the PDF by
        record); no attachment saved: the deposit pack keeps its zip.

        A wkhtmltopdf built without patched Qt refuses several documents in one run (it
        writes nothing): the records are then rendered one by one, as Odoo would print them.
        """
        report = self.with_context(report_pdf_no_attachment=True)
        data = {"report_type": "pdf"}
        pdfs = {}
        if len(res_ids) > 1:
            try:
                with self.env.cr.savepoint():
                    streams = report._render_qweb_pdf_prepare_streams(report_ref, data, res_ids)
                pdfs = {rid: value["stream"].getvalue() for rid, value in streams.items() if rid}
            except Exception:  # noqa: BLE001 - any failure of the batch: one by one below
                _logger.warning(
                    "wkhtmltopdf could not render %s documents at once (a build without patched "
                    "Qt takes one document a run): rendering them one by one.",
                    len(res_ids),
                    exc_info=True,
                )
        for res_id in res_ids:
            if res_id not in pdfs:
                streams = report._render_qweb_pdf_prepare_streams(report_ref, data, [res_id])
                pdfs[res_id] = streams[res_id]["stream"].getvalue()
        return pdfs
