from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..rules import billing
from ..rules.messages import render_all

JOURNAL_CODE = "ACF"


class AccountJournal(models.Model):
    """One sales journal per legal entity carries the Activ'Créa invoices; its numbers
    come from two gapless ``ir.sequence`` (invoices, credit notes): see
    ``account_move.py`` for why."""

    _inherit = "account.journal"

    activcrea_invoicing = fields.Boolean(
        "Activ'Créa invoicing",
        readonly=True,
        copy=False,
        help="The journal of the Activ'Créa invoices of this legal entity: its numbers come "
        "from a gapless sequence that never restarts.",
    )
    activcrea_sequence_id = fields.Many2one(
        "ir.sequence", string="Invoice sequence", readonly=True, copy=False
    )
    activcrea_refund_sequence_id = fields.Many2one(
        "ir.sequence", string="Credit note sequence", readonly=True, copy=False
    )

    def init(self):
        res = super().init()
        # one Activ'Créa journal per legal entity, even when two users create it at once
        self.env.cr.execute(
            SQL(
                """CREATE UNIQUE INDEX IF NOT EXISTS account_journal_activcrea_company_uniq
                   ON account_journal (company_id) WHERE activcrea_invoicing"""
            )
        )
        return res

    def _sequence_vals(self, company, letter, name):
        return {
            "name": name,
            "implementation": "no_gap",
            "use_date_range": False,
            "prefix": billing.sequence_prefix(
                company.activcrea_invoice_base_number, company.activcrea_invoice_prefix, letter
            ),
            "padding": billing.COUNTER_DIGITS,
            "number_increment": 1,
            "company_id": company.id,
        }

    @api.model
    def _activcrea_journal(self, company):
        """The Activ'Créa journal of ``company``, created on first use; its sequences
        follow the company's base number and prefix."""
        company = company.sudo()
        journal = (
            self.sudo()
            .with_context(active_test=False)
            .search([("company_id", "=", company.id), ("activcrea_invoicing", "=", True)], limit=1)
        )
        messages = billing.check_numbering_settings(
            company.activcrea_invoice_base_number, company.activcrea_invoice_prefix
        )
        if messages:
            raise UserError(
                self.env._("Legal entity %(company)s:", company=company.name)
                + "\n"
                + render_all(messages, self.env._)
            )
        if not journal:
            journal = self._activcrea_create_journal(company)
        for sequence, letter in (
            (journal.activcrea_sequence_id, billing.INVOICE_LETTER),
            (journal.activcrea_refund_sequence_id, billing.REFUND_LETTER),
        ):
            prefix = billing.sequence_prefix(
                company.activcrea_invoice_base_number, company.activcrea_invoice_prefix, letter
            )
            if sequence.prefix != prefix:
                sequence.prefix = prefix
        return journal.with_env(self.env)

    def _activcrea_create_journal(self, company):
        Sequence = self.env["ir.sequence"].sudo()
        template = self.sudo().search(
            [*self._check_company_domain(company), ("type", "=", "sale")], limit=1
        )
        if not template:
            raise UserError(
                self.env._(
                    "The legal entity %(company)s has no accounting set up (no sales journal): "
                    "choose its chart of accounts in the Invoicing settings first.",
                    company=company.name,
                )
            )
        code = JOURNAL_CODE
        existing = set(self.sudo().search([("company_id", "=", company.id)]).mapped("code"))
        suffix = 1
        while code in existing:
            suffix += 1
            code = f"{JOURNAL_CODE}{suffix}"
        return self.sudo().create(
            {
                "name": self.env._("Activ'Créa invoices"),
                "code": code,
                "type": "sale",
                "company_id": company.id,
                "default_account_id": template.default_account_id.id,
                "refund_sequence": True,
                "activcrea_invoicing": True,
                "activcrea_sequence_id": Sequence.create(
                    self._sequence_vals(
                        company, billing.INVOICE_LETTER, self.env._("Activ'Créa invoices")
                    )
                ).id,
                "activcrea_refund_sequence_id": Sequence.create(
                    self._sequence_vals(
                        company, billing.REFUND_LETTER, self.env._("Activ'Créa credit notes")
                    )
                ).id,
            }
        )

    @api.model
    def _activcrea_create_journals(self):
        """Create the journal of every legal entity whose invoice prefix is set
        (installation, demo data)."""
        companies = self.env["res.company"].sudo().search([("activcrea_invoice_prefix", "!=", False)])
        for company in companies:
            if company.chart_template:
                self._activcrea_journal(company)
