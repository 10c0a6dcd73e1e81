import base64
import io
import zipfile

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from ..models.activcrea_enrolment_deliverables import REPORTS
from ..rules import deliverables as rules
from ..rules.messages import render_all


class ActivcreaDepositPack(models.TransientModel):
    """Every deliverable due on Prest@ppli for the chosen enrolments (or a resource and a
    period), in one zip; the enrolments left out with their problems; then the deposit
    dates once the pack is deposited."""

    _name = "activcrea.deposit.pack"
    _description = "Deliverables deposit pack"

    enrolment_ids = fields.Many2many(
        "activcrea.enrolment",
        "activcrea_deposit_pack_enrolment_rel",
        "pack_id",
        "enrolment_id",
        string="Enrolments",
        help="Leave empty to take the enrolments of the resource started in the period.",
    )
    resource_id = fields.Many2one("activcrea.resource")
    date_from = fields.Date("Started from")
    date_to = fields.Date("Started until")
    state = fields.Selection(
        [("draft", "To build"), ("built", "Built"), ("deposited", "Deposited")],
        default="draft",
        required=True,
    )
    zip_file = fields.Binary("Pack", attachment=False, readonly=True)
    zip_filename = fields.Char(readonly=True)
    document_count = fields.Integer("Documents in the pack", readonly=True)
    diagnostic_enrolment_ids = fields.Many2many(
        "activcrea.enrolment",
        "activcrea_deposit_pack_diagnostic_rel",
        "pack_id",
        "enrolment_id",
        string="Diagnostic reports in the pack",
        readonly=True,
    )
    bilan_enrolment_ids = fields.Many2many(
        "activcrea.enrolment",
        "activcrea_deposit_pack_bilan_rel",
        "pack_id",
        "enrolment_id",
        string="End-of-service reports in the pack",
        readonly=True,
    )
    left_out = fields.Text("Left out", readonly=True)
    deposit_date = fields.Date(
        "Deposited on", default=fields.Date.context_today, help="Date of the deposit on Prest@ppli."
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        context = self.env.context
        if (
            "enrolment_ids" in fields_list
            and not values.get("enrolment_ids")
            and context.get("active_model") == "activcrea.enrolment"
            and context.get("active_ids")
        ):
            values["enrolment_ids"] = [Command.set(context["active_ids"])]
        return values

    def _target_enrolments(self):
        self.ensure_one()
        if self.enrolment_ids:
            return self.enrolment_ids
        if not self.resource_id:
            raise UserError(
                self.env._("Select enrolments on the dashboard, or choose a resource and a period.")
            )
        Enrolment = self.env["activcrea.enrolment"]
        domain = [("resource_id", "=", self.resource_id.id)] + Enrolment._deliverables_due_domain()
        if self.date_from:
            domain.append(("start_date", ">=", self.date_from))
        if self.date_to:
            domain.append(("start_date", "<=", self.date_to))
        return Enrolment.search(domain, order="start_date, id")

    def _sort_out(self, enrolments):
        """(document -> enrolments whose document goes in the pack, lines left out), with
        the checks of rules.deliverables on facts read in batch. The attendance sheet goes
        with the end-of-service report: both in the pack, or both left out."""
        facts = enrolments._deliverable_facts()
        included = {document: [] for document in rules.DOCUMENTS}
        left_out = []
        for enrolment in enrolments:
            enrolment_facts = facts[enrolment.id]
            due = rules.due_documents(enrolment_facts)
            header = f"{enrolment.partner_id.name} ({enrolment.france_travail_id or '-'})"
            if not due:
                left_out.append(
                    f"{header}: "
                    + self.env._("nothing due (already deposited, or no outcome recorded yet).")
                )
                continue
            for document in due:
                if document == rules.ATTENDANCE and enrolment.id not in included[rules.BILAN]:
                    continue
                problems = rules.check(document, enrolment_facts)
                if problems:
                    left_out.append(f"{header}, {enrolment._deliverable_label(document)}:")
                    left_out += [
                        f"  - {line}" for line in render_all(problems, self.env._).splitlines()
                    ]
                else:
                    included[document].append(enrolment.id)
        return included, left_out

    def action_build(self):
        self.ensure_one()
        enrolments = self._target_enrolments()
        included, left_out = self._sort_out(enrolments)
        Report = self.env["ir.actions.report"]
        buffer = io.BytesIO()
        count = 0
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for document in rules.DOCUMENTS:
                ids = included[document]
                if not ids:
                    continue
                # one rendering of every enrolment per document type
                pdfs = Report._activcrea_render_pdfs(REPORTS[document], ids)
                for enrolment in self.env["activcrea.enrolment"].browse(ids):
                    archive.writestr(enrolment._deliverable_file_name(document), pdfs[enrolment.id])
                    count += 1
        today = fields.Date.context_today(self)
        self.write(
            {
                "state": "built",
                "zip_file": base64.b64encode(buffer.getvalue()) if count else False,
                "zip_filename": f"depot_prestappli_{today.strftime('%Y%m%d')}.zip",
                "document_count": count,
                "diagnostic_enrolment_ids": [Command.set(included[rules.DIAGNOSTIC])],
                "bilan_enrolment_ids": [Command.set(included[rules.BILAN])],
                "left_out": "\n".join(left_out) or False,
            }
        )
        return self._reopen()

    def action_mark_deposited(self):
        self.ensure_one()
        if self.state != "built" or not self.document_count:
            raise UserError(self.env._("Build a pack holding at least one document first."))
        date = self.deposit_date or fields.Date.context_today(self)
        # the attendance sheet goes with the end-of-service report: one date for both
        self.diagnostic_enrolment_ids.write({rules.DEPOSIT_FIELDS[rules.DIAGNOSTIC]: date})
        self.bilan_enrolment_ids.write({rules.DEPOSIT_FIELDS[rules.BILAN]: date})
        self.state = "deposited"
        return self._reopen()

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Deposit pack"),
        }
