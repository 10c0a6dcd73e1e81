"""Billing rules of Activ'Créa: tariffs, when an enrolment is due, its amount, the
invoice numbering and the checks before an invoice goes to France Travail (Chorus Pro).

Everything here takes plain values; a tariff is any object (or dict wrapped by the
caller) with the attributes of :class:`Tariff`.
"""

# pylint: disable=prefer-env-translation
# ``_`` here is the marker of rules/messages.py: the models translate with env._

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from .alerts import not_invoiced
from .messages import Message, _
from .situation import billing_rate

ENDING_SOON_DAYS = 30

# Units and billing rules of a tariff (the guide's "Edition d'un tarif").
UNIT_SELECTION = [("action", _("One action")), ("service", _("The whole service"))]
BILLING_RULE_SELECTION = [
    ("each_action", _("Each action")),
    ("monthly", _("Monthly")),
    ("quarterly", _("Quarterly")),
    ("counselor", _("On counselor validation")),
    ("end_of_service", _("At the end of the service")),
]

# Invoice numbers: <base number><prefix>F<YY><5-digit counter>, e.g. 14JUNF2200009.
INVOICE_LETTER = "F"  # F as in "facture"
REFUND_LETTER = "A"  # A as in "avoir" (credit note), its own gapless counter
COUNTER_DIGITS = 5
NUMBER_RE = re.compile(r"^(?P<head>\d*[A-Za-z]*[FA])(?P<year>\d{2})(?P<counter>\d{5,})$")


@dataclass(frozen=True)
class Tariff:
    """The values of a tariff the rules read (ids, dates and the amount)."""

    id: int
    ods_id: int | None
    action_type_id: int | None
    resource_id: int | None
    site_id: int | None
    date_start: date | None
    date_end: date | None
    amount: Decimal = Decimal(0)


# Tariffs -------------------------------------------------------------------------------


def in_period(tariff, day):
    """The tariff applies on ``day`` (both ends included, an empty end is open)."""
    return (not tariff.date_start or tariff.date_start <= day) and (
        not tariff.date_end or day <= tariff.date_end
    )


def periods_overlap(start_a, end_a, start_b, end_b):
    """Two closed periods overlap; an empty bound is open."""
    return (not end_b or not start_a or start_a <= end_b) and (
        not end_a or not start_b or start_b <= end_a
    )


def _subject(tariff):
    return (tariff.ods_id, tariff.action_type_id, tariff.resource_id, tariff.site_id)


def find_overlaps(tariffs):
    """Pairs of tariffs for the same ODS (or action type), resource and site whose
    periods overlap: two prices for one service on one day."""
    by_subject = {}
    for tariff in tariffs:
        by_subject.setdefault(_subject(tariff), []).append(tariff)
    pairs = []
    for group in by_subject.values():
        group = sorted(group, key=lambda t: (t.date_start or date.min, t.id))
        for index, first in enumerate(group):
            for second in group[index + 1 :]:
                if periods_overlap(
                    first.date_start, first.date_end, second.date_start, second.date_end
                ):
                    pairs.append((first, second))
    return pairs


def check_tariff_dates(date_start, date_end):
    if date_start and date_end and date_end < date_start:
        return [Message(_("The tariff ends before it starts."))]
    return []


def select_tariff(tariffs, ods_id, resource_id, day, site_id=None):
    """The tariff of the ODS and resource in force on ``day``; a tariff of the site wins
    over a tariff for every site. None when there is none."""
    candidates = [
        tariff
        for tariff in tariffs
        if tariff.ods_id == ods_id
        and tariff.resource_id == resource_id
        and tariff.site_id in (site_id, None, False)
        and in_period(tariff, day)
    ]
    if not candidates:
        return None
    # the site's own tariff first, then the most recent start
    candidates.sort(
        key=lambda t: (bool(t.site_id) and t.site_id == site_id, t.date_start or date.min, t.id),
        reverse=True,
    )
    return candidates[0]


def tariff_state(tariff, today, ending_days=ENDING_SOON_DAYS):
    """``future``, ``ending`` (in force, ends within ``ending_days``), ``in_force`` or
    ``ended``."""
    if tariff.date_end and tariff.date_end < today:
        return "ended"
    if tariff.date_start and tariff.date_start > today:
        return "future"
    if tariff.date_end and tariff.date_end <= today + timedelta(days=ending_days):
        return "ending"
    return "in_force"


def overview_counts(tariffs, today, ending_days=ENDING_SOON_DAYS):
    """Counts of the overview: tariffs in force (ending ones included), ending within
    ``ending_days`` and ended."""
    states = [tariff_state(tariff, today, ending_days) for tariff in tariffs]
    return {
        "in_force": sum(state in ("in_force", "ending") for state in states),
        "ending": states.count("ending"),
        "ended": states.count("ended"),
    }


def ending_limits(today, ending_days=ENDING_SOON_DAYS):
    """``(first, last)`` end dates of the tariffs ending soon, for a search domain."""
    return today, today + timedelta(days=ending_days)


# Due-ness and amount --------------------------------------------------------------------


def is_due(end_date, today, situation, has_invoice):
    """An enrolment is due when its end date has passed, its end is recorded (bilan,
    abandonment or early exit date; for a person redirected after the diagnostic, the
    diagnostic itself) and it has no valid invoice yet: the "Not invoiced" alert, once
    the end date has passed."""
    return not_invoiced(situation, bool(end_date and end_date < today), has_invoice)


def amount(tariff_amount, situation, rounding=Decimal("0.01")):
    """The amount to invoice: tariff × rate of the situation, rounded half up to the cent.
    None while the situation is not billable."""
    rate = billing_rate(situation)
    if rate is None or tariff_amount is None:
        return None
    return (Decimal(str(tariff_amount)) * rate).quantize(rounding, rounding=ROUND_HALF_UP)


def blocking_messages(
    *,
    tariff,
    situation,
    company_siret,
    financer,
    financer_siret,
    order_number,
    iban,
    already_invoiced,
    ended=True,
):
    """Why an invoice cannot be issued for an enrolment (empty list when it can).

    ``financer`` is the name of the resource's financer (empty when there is none).
    """
    messages = []
    if already_invoiced:
        messages.append(Message(_("Already invoiced.")))
    if billing_rate(situation) is None:
        messages.append(Message(_("The service is not over: no rate applies yet.")))
    elif not ended:
        messages.append(Message(_("The enrolment's end date has not passed yet.")))
    if not financer:
        messages.append(Message(_("The resource has no financer.")))
    if tariff is None:
        messages.append(
            Message(_("No tariff in force at the end date for this offer and resource."))
        )
    messages.extend(chorus_messages(company_siret, financer_siret, order_number, iban))
    return messages


def chorus_messages(company_siret, financer_siret, order_number, iban):
    """What Chorus Pro (and the invoice's legal mentions) need and is missing.

    ``iban`` None means "not required" (a credit note is paid back, not paid in)."""
    messages = []
    if not company_siret:
        messages.append(Message(_("The legal entity has no SIRET.")))
    if not financer_siret:
        messages.append(Message(_("The financer has no SIRET.")))
    if not order_number:
        messages.append(Message(_("The order number (France Travail purchase order) is missing.")))
    if iban is not None and not iban:
        messages.append(Message(_("The legal entity has no bank account (IBAN).")))
    return messages


# Numbering ------------------------------------------------------------------------------


def check_numbering_settings(base_number, prefix):
    """The base number is digits, the prefix letters: the number must stay readable and
    free of the sequence's ``%`` placeholders."""
    messages = []
    if not prefix:
        messages.append(Message(_("Set the invoice prefix of the legal entity (e.g. JUN).")))
    elif not re.fullmatch(r"[A-Za-z]{1,10}", prefix):
        messages.append(Message(_("The invoice prefix may only hold letters (e.g. JUN).")))
    if base_number and not re.fullmatch(r"\d{1,6}", base_number):
        messages.append(Message(_("The invoice base number may only hold digits (e.g. 14).")))
    return messages


def number_head(base_number, prefix, letter=INVOICE_LETTER):
    """The fixed part of the numbers: ``14JUNF``."""
    return f"{base_number or ''}{(prefix or '').upper()}{letter}"


def sequence_prefix(base_number, prefix, letter=INVOICE_LETTER):
    """The prefix of the gapless ``ir.sequence``: the head, then the two year digits that
    Odoo fills from the date passed as ``ir_sequence_date`` (the invoice date)."""
    return number_head(base_number, prefix, letter) + "%(y)s"


def format_number(base_number, prefix, year, counter, letter=INVOICE_LETTER):
    """``format_number("14", "JUN", 2022, 9) == "14JUNF2200009"``."""
    return f"{number_head(base_number, prefix, letter)}{year % 100:02d}{counter:0{COUNTER_DIGITS}d}"


def parse_number(name):
    """``(head, two-digit year, counter)`` of a number, or None when it has not the shape."""
    match = NUMBER_RE.match(name or "")
    if not match:
        return None
    return match["head"], int(match["year"]), int(match["counter"])


def year_matches(name, invoice_date):
    """The two year digits of the number are those of the invoice date."""
    parsed = parse_number(name)
    return bool(parsed and invoice_date and parsed[1] == invoice_date.year % 100)


def check_chronology(last_date, new_date):
    """French law: numbers follow the dates. An invoice may not be dated before the last
    invoice issued in the same sequence."""
    if last_date and new_date and new_date < last_date:
        return [
            Message(
                _(
                    "The invoice date %(date)s is before the date of the last invoice issued "
                    "(%(last)s): numbers must follow the dates."
                ),
                {"date": new_date.isoformat(), "last": last_date.isoformat()},
            )
        ]
    return []


def gaps_and_duplicates(names):
    """Check a list of numbers of one sequence: ``(missing counters, duplicated names)``.
    Used by the benchmark and the tests."""
    counters = sorted(parse_number(name)[2] for name in names)
    duplicates = sorted(name for name, count in Counter(names).items() if count > 1)
    missing = []
    if counters:
        present = set(counters)
        missing = [n for n in range(counters[0], counters[-1] + 1) if n not in present]
    return missing, duplicates
