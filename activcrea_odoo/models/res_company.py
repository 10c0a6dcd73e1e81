from odoo import fields, models


class ResCompany(models.Model):
    """The legal entity: SIRET (``siret``), NAF (``ape``) and RCS (``company_registry``)
    come from Odoo and l10n_fr, bank details from the partner's bank accounts."""

    _inherit = "res.company"

    activcrea_invoice_prefix = fields.Char(
        "Invoice prefix",
        help="Identifies the invoicing system in the invoice number, e.g. JUN.",
    )
    activcrea_invoice_base_number = fields.Char(
        "Invoice base number",
        help="Leading digits of the invoice number, e.g. 14 in 14JUNF2200009.",
    )
    activcrea_legal_form = fields.Char(
        "Legal form", help="Printed on the invoices, e.g. Association loi 1901."
    )
    activcrea_antenna_ids = fields.One2many("activcrea.antenna", "company_id", string="Antennas")
    activcrea_vat_mention = fields.Char(
        "VAT mention",
        help="Printed on the Activ'Créa invoices, e.g. the VAT exemption article that applies "
        "to the association.",
    )
    activcrea_tax_ids = fields.Many2many(
        "account.tax",
        "activcrea_company_tax_rel",
        "company_id",
        "tax_id",
        string="Activ'Créa taxes",
        domain="[('type_tax_use', '=', 'sale'), ('company_id', '=', id)]",
        help="Taxes of the Activ'Créa invoices; empty when the association is exempt.",
    )

    def _activcrea_bank_account(self):
        """The bank account printed on the Activ'Créa invoices: the first IBAN account of
        the legal entity (trusted ones first, as Odoo orders them), or an empty recordset.
        The billing checks and the invoice use this one, never Odoo's own pick."""
        self.ensure_one()
        return (
            self.partner_id.bank_ids.filtered(
                lambda bank: bank.acc_type == "iban" and bank.company_id in (self, self.browse())
            )
            .sorted(lambda bank: not bank.allow_out_payment)[:1]
        )
