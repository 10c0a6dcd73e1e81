"""Activ'Créa invoices: ``account.move`` customer invoices in the legal entity's
Activ'Créa journal, numbered ``<base number><prefix>F<YY><counter>`` (``14JUNF2200009``).

Numbering: why a gapless ``ir.sequence`` assigned at posting, not ``sequence.mixin``
---------------------------------------------------------------------------------------
The number must follow one counter per legal entity that **never restarts** while the two
year digits in the middle follow the **invoice date** (``…F2200123`` then ``…F2300124``).

Odoo's ``sequence.mixin`` has no counter: it re-reads the last name of the journal and
guesses the reset period from its *shape* (``_deduce_sequence_number_reset``). Here the
shape defeats it: ``14JUNF2200009`` reads as "year 14, counter 2200009"; a journal
``sequence_override_regex`` with a year group makes it restart every January; without a
year group the year digits become part of the prefix and freeze, and the first move of a
period gets its number while still a draft (a deleted draft then leaves a gap). Making it
work means overriding ``_get_last_sequence_domain``, ``_get_sequence_format_param``,
``_sequence_matches_date`` and ``_compute_split_sequence`` together: the mixin would be
kept in name only.

So, as OCA ``account_move_name_sequence`` does, each legal entity gets one sales journal
(``account.journal.activcrea_invoicing``) with two ``ir.sequence`` of implementation
``no_gap`` (invoices ``…F…``, credit notes ``…A…``): no date range, so the counter never
resets; prefix ``14JUNF%(y)s``, whose ``%(y)s`` Odoo fills from ``ir_sequence_date``, which
we set to the invoice date. The number is drawn only when the move is posted
(:meth:`_compute_name`), in the posting transaction:

- ``no_gap`` increments the counter row under ``SELECT … FOR UPDATE NOWAIT``: a second
  accountant posting at the same moment fails fast with ``LockNotAvailable`` (or, under
  REPEATABLE READ, a serialization failure once the first commits); Odoo's RPC/HTTP layer
  retries the whole transaction on both (``odoo.service.model.retrying``), which then reads
  the new counter: never the same number twice. A rolled-back posting rolls the counter back
  with it: never a skipped number. The unique index ``account_move_unique_name`` stays as a
  last guard.
- Drafts carry no number, so deleting one makes no gap.
- Odoo's own checks are kept where they apply: posted moves keep their number (a posted
  Activ'Créa invoice cannot go back to draft: a credit note cancels it, with its own number;
  its name cannot be written); the resequence wizard refuses these journals (resequencing is
  not allowed in France); the mixin's date/number consistency check, which would misread the
  shape, is replaced by ours (the year digits are those of the invoice date) and the
  numbers must follow the invoice dates (chronology checked under the counter's lock).
  ``sequence_prefix`` / ``sequence_number`` are split as head ``14JUNF`` and counter, so
  Odoo's gap detection (``made_sequence_gap``) reads the never-resetting counter right.

Chorus Pro: the invoice fills ``l10n_fr_facturx_chorus_pro``'s fields (contract = market
number, purchase order = France Travail's order number, buyer reference = the financer's
service code) so that the Factur-X PDF carries them; posting checks both SIRETs, the order
number and the IBAN. A nightly job marks the issued invoices "ready for Chorus". The
transmission itself is left to a bridge: OCA ``l10n_fr_chorus_account`` would plug in by
depending on this addon and sending the invoices of the "Ready for Chorus" filter (its
``chorus_flow`` sends Factur-X PDFs through the PISTE API, and it reads the same
engagement/service-code data from the invoice).
"""

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from ..rules import billing
from ..rules.messages import render_all


class AccountMove(models.Model):
    _inherit = "account.move"

    activcrea_enrolment_id = fields.Many2one(
        "activcrea.enrolment",
        string="Activ'Créa enrolment",
        index="btree_not_null",
        copy=False,
        readonly=True,
        ondelete="restrict",
    )
    activcrea_invoicing = fields.Boolean(
        related="journal_id.activcrea_invoicing", store=True, string="Activ'Créa invoice"
    )
    activcrea_chorus_ready = fields.Boolean(
        "Ready for Chorus",
        copy=False,
        readonly=True,
        help="Set every night on the Activ'Créa invoices issued with every field Chorus Pro "
        "needs; the deposit itself is done by a Chorus bridge.",
    )
    activcrea_chorus_ready_date = fields.Date("Ready for Chorus on", copy=False, readonly=True)

    # Numbering ----------------------------------------------------------------------------
    def _compute_name(self):
        ours = self.filtered(lambda move: move.journal_id.activcrea_invoicing)
        super(AccountMove, self - ours)._compute_name()
        if not ours:
            return
        to_number = ours.filtered(
            lambda move: move.state == "posted" and not billing.parse_number(move.name)
        )
        for move in ours - to_number:
            if move.state != "posted" and not move.name:
                move.name = "/"
        to_number._activcrea_assign_numbers()
        ours._inverse_name()

    def _activcrea_sequence(self):
        self.ensure_one()
        journal = self.journal_id
        if self.move_type == "out_refund":
            return journal.activcrea_refund_sequence_id
        return journal.activcrea_sequence_id

    def _activcrea_assign_numbers(self):
        """Draw the numbers from the gapless sequences, in invoice date order."""
        for sequence, moves in self.grouped(lambda m: m._activcrea_sequence()).items():
            if not sequence:
                raise UserError(
                    self.env._(
                        "The Activ'Créa journal %(journal)s has no sequence.",
                        journal=moves.journal_id.display_name,
                    )
                )
            moves = moves.sorted(lambda m: (m.invoice_date or m.date, m._origin.id or 0))
            # take the counter's lock first, then read the last date issued under it
            self.env.cr.execute(
                SQL("SELECT id FROM ir_sequence WHERE id = %s FOR UPDATE NOWAIT", sequence.id)
            )
            last_date = moves._activcrea_last_issued_date(sequence)
            first_date = moves[0].invoice_date or moves[0].date
            messages = billing.check_chronology(last_date, first_date)
            if messages:
                raise UserError(render_all(messages, self.env._))
            for move in moves:
                move.name = sequence.with_context(
                    ir_sequence_date=move.invoice_date or move.date
                ).next_by_id()

    def _activcrea_last_issued_date(self, sequence):
        head = sequence.prefix.split("%", 1)[0]
        ids = tuple(self._origin.ids) or (0,)
        self.flush_model(["name", "state", "invoice_date", "journal_id"])
        rows = self.env.execute_query(
            SQL(
                """SELECT max(invoice_date) FROM account_move
                    WHERE journal_id = %s AND state = 'posted' AND name LIKE %s
                      AND id NOT IN %s""",
                self.journal_id[:1].id,
                head.replace("%", r"\%").replace("_", r"\_") + "%",
                ids,
            )
        )
        return rows[0][0]

    def _must_check_constrains_date_sequence(self):
        # the mixin would read 14JUNF2200009 as "year 14": our own check below replaces it
        if self.journal_id.activcrea_invoicing:
            return False
        return super()._must_check_constrains_date_sequence()

    @api.constrains("name", "invoice_date", "state")
    def _check_activcrea_number_year(self):
        for move in self:
            if (
                move.journal_id.activcrea_invoicing
                and move.state == "posted"
                and not billing.year_matches(move.name, move.invoice_date)
            ):
                raise ValidationError(
                    self.env._(
                        "The number %(name)s does not carry the year of the invoice date "
                        "%(date)s.",
                        name=move.name,
                        date=move.invoice_date,
                    )
                )

    def _compute_split_sequence(self):
        ours = self.filtered(
            lambda m: m.journal_id.activcrea_invoicing and billing.parse_number(m.name)
        )
        res = super(AccountMove, self - ours)._compute_split_sequence()
        for move in ours:
            head, _year, counter = billing.parse_number(move.name)
            move.sequence_prefix = head
            move.sequence_number = counter
        return res

    def write(self, vals):
        if "name" in vals:
            for move in self:
                if (
                    move.journal_id.activcrea_invoicing
                    and move.posted_before
                    and billing.parse_number(move.name)
                    and vals["name"] != move.name
                ):
                    raise UserError(
                        self.env._(
                            "The number %(name)s of an issued Activ'Créa invoice never changes.",
                            name=move.name,
                        )
                    )
        return super().write(vals)

    def _check_draftable(self):
        issued = self.filtered(lambda m: m.journal_id.activcrea_invoicing and m.posted_before)
        if issued:
            raise UserError(
                self.env._(
                    "The Activ'Créa invoice %(name)s is issued: its number is final and it cannot "
                    "go back to draft. Add a credit note to cancel it; the enrolment can then be "
                    "invoiced again under a new number.",
                    name=", ".join(issued.mapped("name")),
                )
            )
        return super()._check_draftable()

    @api.depends("journal_id.activcrea_invoicing", "posted_before")
    def _compute_show_reset_to_draft_button(self):
        res = super()._compute_show_reset_to_draft_button()
        for move in self:
            if move.journal_id.activcrea_invoicing and move.posted_before:
                move.show_reset_to_draft_button = False
        return res

    # Posting checks, credit notes -----------------------------------------------------------
    def _activcrea_chorus_messages(self):
        self.ensure_one()
        iban = None  # a credit note is paid back: no bank account of ours to print
        if self.move_type == "out_invoice":
            bank = self.partner_bank_id
            iban = bank.acc_number if bank and bank.acc_type == "iban" else ""
        return billing.chorus_messages(
            self.company_id.siret,
            self.commercial_partner_id.siret,
            self.purchase_order_reference,
            iban,
        )

    def _post(self, soft=True):
        problems = []
        for move in self.filtered(
            lambda m: m.journal_id.activcrea_invoicing and m.is_sale_document()
        ):
            messages = move._activcrea_chorus_messages()
            if messages:
                label = move.activcrea_enrolment_id.display_name or move.partner_id.display_name
                problems.append(f"{label}:\n{render_all(messages, self.env._)}")
        if problems:
            raise UserError(
                self.env._("These Activ'Créa invoices cannot be issued:")
                + "\n"
                + "\n".join(problems)
            )
        return super()._post(soft=soft)

    def _reverse_moves(self, default_values_list=None, cancel=False):
        if not default_values_list:
            default_values_list = [{} for _move in self]
        for move, values in zip(self, default_values_list):
            if move.activcrea_enrolment_id:
                values.setdefault("activcrea_enrolment_id", move.activcrea_enrolment_id.id)
        return super()._reverse_moves(default_values_list, cancel=cancel)

    # Chorus --------------------------------------------------------------------------------
    @api.model
    def _cron_activcrea_chorus_ready(self):
        """Mark the Activ'Créa invoices issued since the last run "ready for Chorus" when
        they hold what Chorus Pro needs (the bridge then deposits them)."""
        moves = self.search(
            [
                ("activcrea_invoicing", "=", True),
                ("state", "=", "posted"),
                ("move_type", "in", ("out_invoice", "out_refund")),
                ("activcrea_chorus_ready", "=", False),
            ]
        )
        ready = moves.filtered(lambda m: not m._activcrea_chorus_messages())
        ready.write(
            {
                "activcrea_chorus_ready": True,
                "activcrea_chorus_ready_date": fields.Date.context_today(self),
            }
        )
        return ready
