from datetime import date, timedelta
from itertools import count

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import ActivcreaCase

IBAN_A = "FR7630006000011234567890189"
IBAN_B = "FR1420041010050500013M02606"


@tagged("post_install", "-at_install")
class TestBilling(ActivcreaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Chart = cls.env["account.chart.template"]
        for company in cls.companies:
            Chart.try_loading("generic_coa", company, install_demo=False)
        cls.company.write(
            {"activcrea_invoice_base_number": "14", "activcrea_invoice_prefix": "JUN"}
        )
        cls.company_b.write(
            {"activcrea_invoice_base_number": "22", "activcrea_invoice_prefix": "AUT"}
        )
        for company, iban in ((cls.company, IBAN_A), (cls.company_b, IBAN_B)):
            cls.env["res.partner.bank"].create(
                {"acc_number": iban, "partner_id": company.partner_id.id, "allow_out_payment": True}
            )
        cls.financer.write({"siret": "13000548100010", "activcrea_chorus_service_code": "SRV-42"})
        cls.resource_b.financer_id = cls.financer
        cls.tariff = cls.env["activcrea.tariff"].create(
            {
                "ods_id": cls.ods.id,
                "resource_id": cls.resource.id,
                "date_start": date(2025, 1, 1),
                "date_end": date(2026, 12, 31),
                "amount": 1000.0,
            }
        )
        cls.tariff_b = cls.env["activcrea.tariff"].create(
            {
                "ods_id": cls.ods_b.id,
                "resource_id": cls.resource_b.id,
                "date_start": date(2025, 1, 1),
                "amount": 800.0,
            }
        )
        cls.ods_b.special_service = "activcrea_2025"
        cls.reason_bilan = cls.env.ref("activcrea_odoo.reason_bilan_1")
        cls.reason_exit = cls.env.ref("activcrea_odoo.reason_early_exit_1")
        cls.reason_abandon = cls.env.ref("activcrea_odoo.reason_abandon_1")
        cls.numbers = count(1)

    # helpers --------------------------------------------------------------------------------
    def _person(self):
        n = next(self.numbers)
        return self.env["res.partner"].create(
            {"name": f"Person {n}", "france_travail_id": f"{7000000 + n}A"}
        )

    def _enrolment(self, end="bilan", start=date(2025, 9, 1), company="a", **values):
        """A closed Activ'Créa enrolment whose end date (start + 90 days) has passed."""
        vals = {
            "partner_id": self._person().id,
            "ods_id": self.ods.id,
            "resource_id": self.resource.id,
            "site_id": self.site_lil.id,
            "start_date": start,
            "order_number": f"BC-{next(self.numbers)}",
            "diagnostic_date": start,
            "diagnostic_outcome": "redirected" if end == "redirected" else "continued",
        }
        if company == "b":
            vals.update(ods_id=self.ods_b.id, resource_id=self.resource_b.id, site_id=self.site_b.id)
        exit_date = start + timedelta(days=60)
        vals.update(
            {
                "bilan": {
                    "bilan_date": exit_date,
                    "bilan_outcome": "relevant",
                    "bilan_reason_id": self.reason_bilan.id,
                },
                "early_exit": {
                    "early_exit_date": exit_date,
                    "early_exit_reason_id": self.reason_exit.id,
                },
                "abandoned": {"abandon_date": exit_date, "abandon_reason_id": self.reason_abandon.id},
                "redirected": {},
                "open": {},
            }[end]
        )
        vals.update(values)
        return self.env["activcrea.enrolment"].create(vals)

    def _generate(self, enrolments, invoice_date=None, user=None):
        enrolments = enrolments.with_user(user or self.accountant).with_context(lang="en_US")
        return enrolments._generate_invoices(invoice_date)

    def _moves(self, company=None):
        return self.env["account.move"].search(
            [("activcrea_invoicing", "=", True), ("company_id", "=", (company or self.company).id)]
        )

    # rates, amounts, generation -----------------------------------------------------------------
    def test_rates(self):
        cases = {
            "redirected": 150.0,
            "abandoned": 150.0,
            "early_exit": 1000.0,
            "bilan": 1000.0,
        }
        enrolments = self.env["activcrea.enrolment"]
        for end in cases:
            enrolments |= self._enrolment(end)
        self.assertEqual(enrolments.mapped("billing_due"), [True] * 4)
        self.assertEqual(enrolments.mapped("billing_amount"), list(cases.values()))
        to_issue = self.env["activcrea.enrolment"].search([("billing_due", "=", True)])
        self.assertEqual(to_issue & enrolments, enrolments)
        moves = self._generate(enrolments)
        self.assertEqual(len(moves), 4)
        for enrolment, expected in zip(enrolments, cases.values()):
            move = enrolment.invoice_id
            self.assertEqual(move.state, "posted")
            self.assertEqual(move.move_type, "out_invoice")
            self.assertEqual(move.partner_id, self.financer)
            self.assertEqual(move.amount_total, expected)
            self.assertEqual(move.amount_tax, 0.0)
            self.assertEqual(move.journal_id.activcrea_invoicing, True)
            self.assertEqual(enrolment.invoice_state, "issued")
            self.assertFalse(enrolment.billing_due)
            self.assertFalse(enrolment.alert_not_invoiced)
            self.assertIn(enrolment.partner_id.name, move.invoice_line_ids.name)
        self.assertFalse(self.env["activcrea.enrolment"].search([("billing_due", "=", True)]) & enrolments)

    def test_not_due(self):
        running = self._enrolment("open")
        recent = self._enrolment("bilan", start=fields.Date.today() - timedelta(days=30))
        closed = self._enrolment("bilan")
        self.assertFalse(running.billing_due)
        self.assertFalse(recent.billing_due)  # its end date has not passed
        self.assertTrue(closed.billing_due)
        self.assertTrue(closed.alert_not_invoiced)
        self.assertEqual(
            self.env["activcrea.enrolment"].search([("alert_not_invoiced", "=", True)]) & (running | recent | closed),
            closed,
        )
        with self.assertRaisesRegex(UserError, "end date has not passed"):
            self._generate(recent)
        with self.assertRaisesRegex(UserError, "not over"):
            self._generate(running)

    def test_tariff_selection_by_date_and_resource(self):
        self.tariff.date_end = date(2025, 12, 31)
        new_tariff = self.env["activcrea.tariff"].create(
            {
                "ods_id": self.ods.id,
                "resource_id": self.resource.id,
                "date_start": date(2026, 1, 1),
                "amount": 1200.0,
            }
        )
        other_lot = self.env["activcrea.resource"].create(
            {
                "name": "Lot 4",
                "company_id": self.company.id,
                "financer_id": self.financer.id,
                "market_number": "MA-2025-0043",
                "ods_ids": [Command.set(self.ods.ids)],
            }
        )
        self.env["activcrea.tariff"].create(
            {
                "ods_id": self.ods.id,
                "resource_id": other_lot.id,
                "date_start": date(2025, 1, 1),
                "amount": 900.0,
            }
        )
        # ends on 2025-11-30 and 2026-01-04 (start + 90 days)
        old = self._enrolment("bilan", start=date(2025, 9, 1))
        new = self._enrolment("bilan", start=date(2025, 10, 6))
        lot4 = self._enrolment("bilan", start=date(2025, 10, 6), resource_id=other_lot.id)
        self.assertEqual(old.billing_tariff_id, self.tariff)
        self.assertEqual(new.billing_tariff_id, new_tariff)
        self.assertEqual((old | new | lot4).mapped("billing_amount"), [1000.0, 1200.0, 900.0])
        moves = self._generate(old | new | lot4)
        self.assertEqual(moves.mapped("amount_total"), [1000.0, 1200.0, 900.0])
        self.assertEqual(lot4.invoice_id.contract_reference, "MA-2025-0043")

    def test_tariff_overlap_refused(self):
        with self.assertRaisesRegex(ValidationError, "overlap"):
            self.env["activcrea.tariff"].create(
                {
                    "ods_id": self.ods.id,
                    "resource_id": self.resource.id,
                    "date_start": date(2026, 6, 1),
                    "amount": 1100.0,
                }
            )
        # another site, or after the end: accepted
        self.env["activcrea.tariff"].create(
            {
                "ods_id": self.ods.id,
                "resource_id": self.resource.id,
                "site_id": self.site_rbx.id,
                "date_start": date(2026, 6, 1),
                "amount": 1100.0,
            }
        )
        self.env["activcrea.tariff"].create(
            {
                "ods_id": self.ods.id,
                "resource_id": self.resource.id,
                "date_start": date(2027, 1, 1),
                "amount": 1100.0,
            }
        )

    def test_overview_counts(self):
        today = fields.Date.context_today(self.env["activcrea.tariff"])
        Overview = self.env["activcrea.tariff.overview"].with_user(self.accountant)
        before = Overview.create({})
        base = (before.count_in_force, before.count_ending, before.count_ended)
        type_without = before.count_action_type_without
        Tariff = self.env["activcrea.tariff"]
        Tariff.create(  # ending in 10 days
            {
                "action_type_id": self.type_coaching.id,
                "resource_id": self.resource.id,
                "date_start": today - timedelta(days=100),
                "date_end": today + timedelta(days=10),
                "amount": 50.0,
            }
        )
        Tariff.create(  # ended
            {
                "action_type_id": self.type_workshop.id,
                "resource_id": self.resource.id,
                "date_start": today - timedelta(days=100),
                "date_end": today - timedelta(days=1),
                "amount": 30.0,
            }
        )
        Tariff.with_company(self.company_b).create(  # other company: not counted
            {
                "action_type_id": self.type_workshop.id,
                "resource_id": self.resource_b.id,
                "date_start": today - timedelta(days=100),
                "date_end": today - timedelta(days=1),
                "amount": 30.0,
            }
        )
        overview = Overview.create({})
        self.assertEqual(
            (overview.count_in_force, overview.count_ending, overview.count_ended),
            (base[0] + 1, base[1] + 1, base[2] + 1),
        )
        self.assertEqual(overview.count_action_type_without, type_without - 2)
        ending = self.env["activcrea.tariff"].search(overview.action_open_ending()["domain"])
        self.assertEqual(len(ending), overview.count_ending)
        without = overview.action_open_ods_without()
        self.assertEqual(len(without["domain"][0][2]), overview.count_ods_without)

    def test_tariff_multi_company(self):
        Tariff = self.env["activcrea.tariff"].with_user(self.accountant)
        self.assertIn(self.tariff, Tariff.search([]))
        self.assertNotIn(self.tariff_b, Tariff.search([]))
        with self.assertRaises(AccessError):
            self.tariff_b.with_user(self.accountant).read(["amount"])
        # managers read the catalogue, accountants keep it
        self.assertTrue(self.tariff.with_user(self.manager).read(["amount"]))
        with self.assertRaises(AccessError):
            self.tariff.with_user(self.manager).write({"amount": 1.0})

    def test_tariff_financer_is_the_resource_one(self):
        """The invoices go to the resource's financer: the tariff shows it, read-only."""
        self.assertEqual(self.tariff.financer_id, self.financer)
        self.assertTrue(self.tariff._fields["financer_id"].readonly)
        other = self.env["res.partner"].create({"name": "Région", "is_company": True})
        self.resource.financer_id = other
        self.assertEqual(self.tariff.financer_id, other)
        self.assertEqual(self.tariff.search([("financer_id", "=", other.id)]), self.tariff)
        self.assertEqual(self._enrolment("bilan")._invoice_references()["partner_id"], other.id)

    # numbering ---------------------------------------------------------------------------------
    def test_numbering_across_year_end(self):
        first = self._generate(self._enrolment("bilan"), date(2025, 12, 31))
        second = self._generate(self._enrolment("bilan"), date(2026, 1, 2))
        self.assertRegex(first.name, r"^14JUNF25\d{5}$")
        self.assertRegex(second.name, r"^14JUNF26\d{5}$")
        counter = int(first.name[-5:])
        self.assertEqual(second.name, f"14JUNF26{counter + 1:05d}")
        self.assertEqual((first.sequence_prefix, second.sequence_prefix), ("14JUNF", "14JUNF"))
        self.assertEqual(second.sequence_number, first.sequence_number + 1)
        self.assertFalse(second.made_sequence_gap)
        # numbers follow the dates
        with self.assertRaisesRegex(UserError, "numbers must follow the dates"):
            self._generate(self._enrolment("bilan"), date(2025, 12, 30))

    def test_two_companies_separate_counters(self):
        a1 = self._generate(self._enrolment("bilan"), date(2026, 1, 5))
        b1 = self._generate(self._enrolment("bilan", company="b"), date(2026, 1, 5), user=self.env.user)
        a2 = self._generate(self._enrolment("bilan"), date(2026, 1, 6))
        b2 = self._generate(self._enrolment("bilan", company="b"), date(2026, 1, 6), user=self.env.user)
        self.assertEqual(a1.name[:8], "14JUNF26")
        self.assertEqual(b1.name[:8], "22AUTF26")
        self.assertEqual(int(a2.name[-5:]), int(a1.name[-5:]) + 1)
        self.assertEqual(int(b2.name[-5:]), int(b1.name[-5:]) + 1)
        self.assertEqual(b1.name, "22AUTF2600001")
        self.assertNotEqual(a1.journal_id, b1.journal_id)
        self.assertEqual(b1.company_id, self.company_b)

    def test_numbers_never_change(self):
        move = self._generate(self._enrolment("bilan"), date(2026, 2, 2))
        wizard = self.env["account.resequence.wizard"].with_context(
            active_model="account.move", active_ids=move.ids
        )
        with self.assertRaisesRegex(UserError, "cannot be renumbered"):
            Form(wizard)
        with self.assertRaisesRegex(UserError, "never changes"):
            move.name = "14JUNF2600999"
        with self.assertRaisesRegex(UserError, "cannot go back to draft"):
            move.button_draft()
        with self.assertRaisesRegex(UserError, "cannot go back to draft"):
            move.button_cancel()
        self.assertFalse(move.show_reset_to_draft_button)
        self.assertEqual(move.state, "posted")

    def test_draft_has_no_number(self):
        journal = self.env["account.journal"]._activcrea_journal(self.company)
        draft = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "journal_id": journal.id,
                "partner_id": self.financer.id,
                "invoice_line_ids": [Command.create({"name": "x", "price_unit": 10.0})],
            }
        )
        self.assertEqual(draft.name, "/")
        draft.unlink()  # no number consumed, no gap

    # Chorus ------------------------------------------------------------------------------------
    def test_chorus_fields_and_cron(self):
        enrolment = self._enrolment("bilan")
        move = self._generate(enrolment, date(2026, 3, 2))
        self.assertEqual(move.contract_reference, "MA-2025-0042")
        self.assertEqual(move.purchase_order_reference, enrolment.order_number)
        self.assertEqual(move.buyer_reference, "SRV-42")
        self.assertEqual(move.partner_bank_id.sanitized_acc_number, IBAN_A)
        self.assertFalse(move.activcrea_chorus_ready)
        ready = self.env["account.move"]._cron_activcrea_chorus_ready()
        self.assertIn(move, ready)
        self.assertTrue(move.activcrea_chorus_ready)
        self.assertEqual(move.activcrea_chorus_ready_date, fields.Date.context_today(move))
        self.assertIn(
            move, self.env["account.move"].search([("activcrea_chorus_ready", "=", True)])
        )
        self.assertNotIn(move, self.env["account.move"]._cron_activcrea_chorus_ready())

    def test_iban_account_chosen_over_first_account(self):
        """The legal entity's first (trusted) account is not an IBAN, its second is: the
        invoice carries the IBAN account, the one the billing checks looked at."""
        self.env["res.partner.bank"].create(
            {
                "acc_number": "123456789",
                "partner_id": self.company.partner_id.id,
                "allow_out_payment": True,
                "sequence": 1,
            }
        )
        first, second = self.company.partner_id.bank_ids[:2]
        self.assertNotEqual(first.acc_type, "iban")
        self.assertEqual(second.sanitized_acc_number, IBAN_A)
        enrolment = self._enrolment("bilan")
        self.assertFalse(enrolment.billing_blocker)
        move = self._generate(enrolment, date(2026, 3, 2))
        self.assertEqual(move.state, "posted")
        self.assertEqual(move.partner_bank_id, second)
        self.assertEqual(enrolment.invoice_id, move)

    def test_pdf_renders(self):
        move = self._generate(self._enrolment("bilan"), date(2026, 3, 3))
        html = self.env["ir.actions.report"]._render_qweb_html(
            "account.report_invoice", move.ids
        )[0].decode()
        for text in (move.name, "MA-2025-0042", move.activcrea_enrolment_id.order_number, "41234567800021"):
            self.assertIn(text, html)
        self.assertIn(move.activcrea_enrolment_id.partner_id.name, html)

    # bad input ---------------------------------------------------------------------------------
    def _assert_nothing_created(self, enrolments, regex, invoice_date=None):
        before = self._moves()
        sequence = self.env["account.journal"]._activcrea_journal(self.company).activcrea_sequence_id
        number_next = sequence.number_next_actual
        with self.assertRaisesRegex(UserError, regex):
            self._generate(enrolments, invoice_date)
        self.assertEqual(self._moves(), before)
        self.assertEqual(sequence.number_next_actual, number_next)
        self.assertEqual(set(enrolments.mapped("invoice_state")), {"none"})

    def test_missing_tariff(self):
        good = self._enrolment("bilan")
        no_tariff = self._enrolment("bilan", start=date(2024, 9, 1))  # ends before any tariff
        self.assertTrue(no_tariff.billing_due)
        self.assertIn("No tariff", no_tariff.billing_blocker)
        self._assert_nothing_created(good | no_tariff, "No tariff in force")
        self.assertTrue(no_tariff.billing_due)  # stays in the list, with the reason

    def test_missing_order_number_siret_iban(self):
        self._assert_nothing_created(self._enrolment("bilan", order_number=False), "order number")
        self.financer.siret = False
        self._assert_nothing_created(self._enrolment("bilan"), "financer has no SIRET")
        self.financer.siret = "13000548100010"
        self.company.siret = False
        self._assert_nothing_created(self._enrolment("bilan"), "legal entity has no SIRET")
        self.company.siret = "41234567800021"
        self.company.partner_id.bank_ids.unlink()
        self._assert_nothing_created(self._enrolment("bilan"), "IBAN")

    def test_posting_checks_manual_invoice(self):
        """An invoice typed by hand in the Activ'Créa journal is checked at posting too."""
        journal = self.env["account.journal"]._activcrea_journal(self.company)
        move = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "journal_id": journal.id,
                "partner_id": self.financer.id,
                "invoice_line_ids": [Command.create({"name": "x", "price_unit": 10.0})],
            }
        )
        with self.assertRaisesRegex(UserError, "order number"):
            move.with_context(lang="en_US").action_post()
        self.assertEqual(move.name, "/")

    def test_already_invoiced(self):
        enrolment = self._enrolment("bilan")
        self._generate(enrolment)
        before = self._moves()
        with self.assertRaisesRegex(UserError, "Already invoiced"):
            self._generate(enrolment)
        self.assertEqual(self._moves(), before)

    def test_not_an_accountant(self):
        enrolment = self._enrolment("bilan")
        with self.assertRaises(UserError):  # AccessError is a UserError too
            self._generate(enrolment, user=self.manager)
        self.assertEqual(enrolment.invoice_state, "none")

    def test_cancel_with_credit_note_never_reuses_a_number(self):
        enrolment = self._enrolment("bilan")
        invoice = self._generate(enrolment, date(2026, 4, 1))
        # Odoo's "Credit note" wizard, then posting the credit note
        reversal = (
            self.env["account.move.reversal"]
            .with_user(self.accountant)
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"journal_id": invoice.journal_id.id, "date": date(2026, 4, 2)})
        )
        action = reversal.refund_moves()
        credit = self.env["account.move"].browse(action["res_id"])
        self.assertEqual(credit.name, "/")  # a draft has no number
        credit.with_user(self.accountant).action_post()
        self.assertEqual(credit.move_type, "out_refund")
        self.assertEqual(credit.state, "posted")
        self.assertEqual(credit.name, "14JUNA2600001")
        self.assertEqual(credit.activcrea_enrolment_id, enrolment)
        self.assertEqual(invoice.payment_state, "reversed")
        self.assertEqual(enrolment.invoice_state, "credited")
        self.assertTrue(enrolment.billing_due)  # back in the "To issue" list
        again = self._generate(enrolment, date(2026, 4, 3))
        self.assertEqual(int(again.name[-5:]), int(invoice.name[-5:]) + 1)
        self.assertEqual(enrolment.invoice_id, again)
        self.assertEqual(enrolment.invoice_state, "issued")

    def test_invoice_label_language(self):
        """The invoice line is written in the financer's language, else the legal entity's,
        whatever the accountant's; the preview shows the very line the invoice gets."""
        if not self.env["res.lang"]._lang_get("fr_FR"):
            self.skipTest("French is not loaded")
        self.financer.lang = False
        self.company.partner_id.lang = "en_US"
        enrolment = self._enrolment("bilan")
        Preview = (
            self.env["activcrea.invoice.preview"]
            .with_user(self.accountant)
            .with_context(lang="fr_FR")  # an accountant working in French
        )
        preview = Preview.create({"enrolment_id": enrolment.id})
        self.assertIn("France Travail id", preview.label)  # the legal entity's English
        self.financer.lang = "fr_FR"
        self.assertIn("identifiant France Travail", enrolment._invoice_label())
        preview = Preview.create({"enrolment_id": enrolment.id})
        self.assertIn("identifiant France Travail", preview.label)
        move = self._generate(enrolment, date(2026, 3, 2))  # generated in English
        self.assertEqual(move.invoice_line_ids.name, preview.label)

    def test_preview(self):
        enrolment = self._enrolment("abandoned")
        preview = (
            self.env["activcrea.invoice.preview"]
            .with_user(self.accountant)
            .with_context(lang="en_US")
            .create({"enrolment_id": enrolment.id, "invoice_date": date(2026, 5, 4)})
        )
        self.assertEqual(preview.amount, 150.0)
        self.assertEqual(preview.partner_id, self.financer)
        self.assertEqual(preview.purchase_order_reference, enrolment.order_number)
        self.assertFalse(preview.blocker)
        self.assertTrue(preview.next_number.startswith("14JUNF26"))
        self.assertFalse(enrolment.invoice_ids)  # nothing exists yet
        preview.action_generate()
        self.assertEqual(enrolment.invoice_state, "issued")
        self.assertEqual(enrolment.invoice_id.name, preview.next_number)
