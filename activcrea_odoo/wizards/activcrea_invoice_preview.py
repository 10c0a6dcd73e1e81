from odoo import api, fields, models
from odoo.exceptions import UserError


class ActivcreaInvoicePreview(models.TransientModel):
    """The invoice an enrolment would get, before it exists ("Preview" of the To issue
    list): who is invoiced, the line, the amount, the Chorus Pro references and, when it
    cannot be issued, why."""

    _name = "activcrea.invoice.preview"
    _description = "Activ'Créa invoice preview"

    enrolment_id = fields.Many2one("activcrea.enrolment", required=True, ondelete="cascade")
    company_id = fields.Many2one(related="enrolment_id.company_id")
    partner_id = fields.Many2one("res.partner", string="Invoiced to", compute="_compute_preview")
    invoice_date = fields.Date(default=fields.Date.context_today)
    next_number = fields.Char("Number (indicative)", compute="_compute_preview")
    label = fields.Text(compute="_compute_preview")
    tariff_id = fields.Many2one("activcrea.tariff", compute="_compute_preview")
    rate = fields.Float("Rate (%)", compute="_compute_preview")
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount = fields.Monetary(compute="_compute_preview")
    contract_reference = fields.Char("Market number", compute="_compute_preview")
    purchase_order_reference = fields.Char("Order number", compute="_compute_preview")
    buyer_reference = fields.Char("Service code", compute="_compute_preview")
    blocker = fields.Text("Cannot be invoiced because", compute="_compute_preview")

    @api.depends("enrolment_id", "invoice_date")
    def _compute_preview(self):
        for preview in self:
            enrolment = preview.enrolment_id
            preview.update(enrolment._invoice_references())
            preview.tariff_id = enrolment.billing_tariff_id
            preview.rate = enrolment.billing_rate
            preview.amount = enrolment.billing_amount
            preview.blocker = enrolment.billing_blocker
            preview.label = enrolment._invoice_label()
            try:
                journal = self.env["account.journal"]._activcrea_journal(enrolment.company_id)
            except UserError as error:
                journal = self.env["account.journal"]
                preview.blocker = "\n".join(filter(None, [preview.blocker, str(error)]))
            sequence = journal.activcrea_sequence_id
            preview.next_number = (
                sequence.with_context(ir_sequence_date=preview.invoice_date).get_next_char(
                    sequence.number_next_actual
                )
                if sequence
                else False
            )

    def action_generate(self):
        self.ensure_one()
        moves = self.enrolment_id._generate_invoices(self.invoice_date)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "activcrea_odoo.action_activcrea_invoices_issued"
        )
        action.update(res_id=moves.id, view_mode="form", views=[(False, "form")])
        return action
