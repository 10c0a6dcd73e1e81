from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_date

from ..rules import billing
from ..rules import situation as situation_rules
from ..rules.messages import render_all

INVOICE_STATES = [
    ("none", "Not invoiced"),
    ("issued", "Issued"),
    ("credited", "Credited"),
]


class ActivcreaEnrolment(models.Model):
    """Billing of an enrolment (guide 7.e-7.h): the invoice it got, whether one is due,
    the amount it would get and why it cannot be issued yet; "Generate" creates and posts
    the invoices. Kept apart from ``activcrea_enrolment.py`` (tracking)."""

    _inherit = "activcrea.enrolment"

    invoice_ids = fields.One2many(
        "account.move",
        "activcrea_enrolment_id",
        string="Invoices and credit notes",
        readonly=True,
    )
    invoice_id = fields.Many2one(
        "account.move",
        string="Issued invoice",
        compute="_compute_invoice_state",
        store=True,
        help="The issued invoice that is not cancelled by a credit note.",
    )
    invoice_state = fields.Selection(
        INVOICE_STATES,
        string="Invoice status",
        compute="_compute_invoice_state",
        store=True,
        index=True,
        help="Credited: the invoice was cancelled by a credit note; the enrolment is "
        "to be invoiced again.",
    )
    billing_due = fields.Boolean(
        "To invoice",
        compute="_compute_billing_due",
        search="_search_billing_due",
        help="The end date has passed, the end of the service is recorded and no invoice "
        "is issued.",
    )
    alert_not_invoiced = fields.Boolean(
        "Not invoiced",
        compute="_compute_billing_due",
        search="_search_billing_due",
        help="Closed enrolment with no issued invoice.",
    )
    billing_tariff_id = fields.Many2one(
        "activcrea.tariff", string="Tariff", compute="_compute_billing"
    )
    billing_rate = fields.Float("Rate (%)", compute="_compute_billing")
    billing_currency_id = fields.Many2one(related="company_id.currency_id")
    billing_amount = fields.Monetary(
        "Amount", compute="_compute_billing", currency_field="billing_currency_id"
    )
    billing_blocker = fields.Text("Cannot be invoiced because", compute="_compute_billing")

    @api.depends("invoice_ids.state", "invoice_ids.payment_state", "invoice_ids.move_type")
    def _compute_invoice_state(self):
        for enrolment in self:
            invoices = enrolment.invoice_ids.filtered(
                lambda m: m.move_type == "out_invoice" and m.state == "posted"
            )
            valid = invoices.filtered(lambda m: m.payment_state != "reversed")
            enrolment.invoice_id = valid[-1:]
            if valid:
                enrolment.invoice_state = "issued"
            elif invoices:
                enrolment.invoice_state = "credited"
            else:
                enrolment.invoice_state = "none"

    @api.depends("end_date", "situation", "invoice_state", "is_activcrea")
    def _compute_billing_due(self):
        today = fields.Date.context_today(self)
        for enrolment in self:
            # one rule (billing.is_due is the alert once the end date passed): one value
            due = enrolment.is_activcrea and billing.is_due(
                enrolment.end_date, today, enrolment.situation, enrolment.invoice_state == "issued"
            )
            enrolment.billing_due = enrolment.alert_not_invoiced = due

    def _search_billing_due(self, operator, value):
        # both fields mean the same: closed, end date passed, no issued invoice
        domain = [
            ("is_activcrea", "=", True),
            ("end_date", "<", fields.Date.context_today(self)),
            ("situation", "in", list(situation_rules.CLOSED_SITUATIONS)),
            ("invoice_state", "!=", "issued"),
        ]
        return self._alert_search(operator, value, domain)

    def _billing_blockers(self, tariffs):
        """enrolment -> list of Messages saying why it cannot be invoiced."""
        result = {}
        today = fields.Date.context_today(self)
        for enrolment in self:
            company = enrolment.company_id
            financer = enrolment.resource_id.financer_id
            bank = company._activcrea_bank_account()
            result[enrolment] = billing.blocking_messages(
                tariff=tariffs.get(enrolment) or None,
                situation=enrolment.situation,
                company_siret=company.siret,
                financer=financer.display_name if financer else "",
                financer_siret=financer.commercial_partner_id.siret,
                order_number=enrolment.order_number,
                iban=bank.acc_number or "",
                already_invoiced=enrolment.invoice_state == "issued",
                ended=bool(enrolment.end_date and enrolment.end_date < today),
            )
        return result

    def _compute_billing(self):
        tariffs = self.env["activcrea.tariff"]._find_for(self)
        blockers = self._billing_blockers(tariffs)
        for enrolment in self:
            tariff = tariffs.get(enrolment) or self.env["activcrea.tariff"]
            rate = situation_rules.billing_rate(enrolment.situation)
            enrolment.billing_tariff_id = tariff
            enrolment.billing_rate = float(rate * 100) if rate is not None else 0.0
            value = billing.amount(tariff.amount, enrolment.situation) if tariff else None
            enrolment.billing_amount = float(value) if value is not None else 0.0
            enrolment.billing_blocker = render_all(blockers[enrolment], self.env._) or False

    # Generation ----------------------------------------------------------------------------
    def _invoice_label(self):
        """The invoice line, in the invoice's language: the financer's, else the legal
        entity's."""
        self.ensure_one()
        lang = (
            self.resource_id.financer_id.lang or self.company_id.partner_id.lang or self.env.lang
        )
        env = self.with_context(lang=lang).env
        situation = dict(self._fields["situation"]._description_selection(env))
        rate = situation_rules.billing_rate(self.situation)
        rate_text = f"{float(rate) * 100:g}" if rate is not None else "-"
        return env._(
            "%(ods)s - %(person)s (France Travail id %(ft_id)s) - order %(order)s - "
            "from %(start)s to %(end)s - %(situation)s: %(rate)s %% of the tariff",
            ods=self.ods_id.name,
            person=self.partner_id.name,
            ft_id=self.france_travail_id or "-",
            order=self.order_number or "-",
            start=format_date(env, self.start_date, lang_code=lang),
            end=format_date(env, self.end_date, lang_code=lang),
            situation=situation.get(self.situation, self.situation),
            rate=rate_text,
        )

    def _invoice_references(self):
        """Who is invoiced and the Chorus Pro references (the invoice and its preview)."""
        self.ensure_one()
        financer = self.resource_id.financer_id
        return {
            "partner_id": financer.id,
            "contract_reference": self.resource_id.market_number,
            "purchase_order_reference": self.order_number,
            "buyer_reference": financer.commercial_partner_id.activcrea_chorus_service_code
            or False,
        }

    def _invoice_values(self, tariff, invoice_date, journal):
        self.ensure_one()
        company = self.company_id
        value = billing.amount(tariff.amount, self.situation)
        return {
            "move_type": "out_invoice",
            "company_id": company.id,
            "journal_id": journal.id,
            "invoice_date": invoice_date,
            "activcrea_enrolment_id": self.id,
            "ref": self.order_number,
            "partner_bank_id": company._activcrea_bank_account().id,
            **self._invoice_references(),
            "invoice_line_ids": [
                Command.create(
                    {
                        "name": self._invoice_label(),
                        "quantity": 1,
                        "price_unit": float(value),
                        "tax_ids": [Command.set(company.activcrea_tax_ids.ids)],
                    }
                )
            ],
        }

    def _lock_for_invoicing(self):
        """Two accountants generating the same enrolment: the second waits for nothing,
        fails and is retried by Odoo, then finds the invoice."""
        self.env.cr.execute(
            SQL(
                "SELECT id FROM activcrea_enrolment WHERE id IN %s FOR UPDATE NOWAIT",
                tuple(self.ids),
            )
        )
        self.invalidate_recordset(["invoice_state", "invoice_id"])

    def _check_can_invoice(self, invoice_date):
        """All or nothing: every reason every enrolment cannot be invoiced, or the tariffs."""
        if not self:
            raise UserError(self.env._("Select the enrolments to invoice."))
        if not self.env.user.has_group("activcrea_odoo.group_activcrea_accountant"):
            raise UserError(self.env._("Only Activ'Créa accountants issue the invoices."))
        self._lock_for_invoicing()
        tariffs = self.env["activcrea.tariff"]._find_for(self)
        problems = []
        for enrolment, messages in self._billing_blockers(tariffs).items():
            if messages:
                problems.append(
                    f"{enrolment.display_name}:\n  " + render_all(messages, self.env._).replace("\n", "\n  ")
                )
        today = fields.Date.context_today(self)
        if invoice_date > today:
            problems.append(self.env._("The invoice date cannot be in the future."))
        if problems:
            raise UserError(
                self.env._("Nothing was invoiced. Fix these enrolments first:")
                + "\n"
                + "\n".join(problems)
            )
        return tariffs

    def _generate_invoices(self, invoice_date=None):
        """Create and post one invoice per enrolment, in one transaction: either every
        invoice is issued, or none (nothing half-created)."""
        invoice_date = invoice_date or fields.Date.context_today(self)
        enrolments = self.sorted(lambda e: (e.company_id.id, e.end_date, e.id))
        tariffs = enrolments._check_can_invoice(invoice_date)
        Move = self.env["account.move"].with_context(
            default_move_type="out_invoice", tracking_disable=True
        )
        moves = Move.browse()
        for company, group in enrolments.grouped("company_id").items():
            journal = self.env["account.journal"]._activcrea_journal(company)
            values = [e._invoice_values(tariffs[e], invoice_date, journal) for e in group]
            moves |= Move.with_company(company).create(values)
        moves._post(soft=False)
        return moves

    def action_generate_invoices(self):
        moves = self._generate_invoices()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "activcrea_odoo.action_activcrea_invoices_issued"
        )
        action["domain"] = [("id", "in", moves.ids)]
        return action

    def action_preview_invoice(self):
        self.ensure_one()
        preview = self.env["activcrea.invoice.preview"].create({"enrolment_id": self.id})
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Invoice preview"),
            "res_model": "activcrea.invoice.preview",
            "res_id": preview.id,
            "view_mode": "form",
            "target": "new",
        }
