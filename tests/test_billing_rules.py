from datetime import date
from decimal import Decimal

import pytest

from activcrea_odoo.rules import billing
from activcrea_odoo.rules.billing import Tariff
from activcrea_odoo.rules.situation import (
    ABANDONED,
    BILAN,
    EARLY_EXIT,
    FINISHED,
    IN_PROGRESS,
)


def tariff(id_, start, end, ods=1, resource=1, site=None, amount="1000", action_type=None):
    return Tariff(id_, ods, action_type, resource, site, start, end, Decimal(amount))


# Rates and amounts ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "situation, expected",
    [
        (FINISHED, Decimal("150.00")),  # redirected to France Travail after the diagnostic
        (ABANDONED, Decimal("150.00")),
        (EARLY_EXIT, Decimal("1000.00")),
        (BILAN, Decimal("1000.00")),  # completed
        (IN_PROGRESS, None),
        ("awaiting", None),
    ],
)
def test_amount_by_situation(situation, expected):
    assert billing.amount(Decimal("1000"), situation) == expected


def test_amount_rounds_half_up_to_the_cent():
    assert billing.amount(Decimal("333.30"), FINISHED) == Decimal("50.00")
    assert billing.amount(Decimal("0.10"), ABANDONED) == Decimal("0.02")  # 0.015 -> 0.02
    assert billing.amount(895.5, FINISHED) == Decimal("134.33")  # floats read as written


# Due-ness --------------------------------------------------------------------------------

TODAY = date(2026, 3, 10)


@pytest.mark.parametrize(
    "end_date, situation, has_invoice, expected",
    [
        (date(2026, 3, 9), BILAN, False, True),
        (date(2026, 3, 9), FINISHED, False, True),
        (date(2026, 3, 10), BILAN, False, False),  # ends today: not passed yet
        (date(2026, 3, 9), IN_PROGRESS, False, False),  # no end recorded
        (date(2026, 3, 9), BILAN, True, False),  # already invoiced
        (None, BILAN, False, False),
    ],
)
def test_is_due(end_date, situation, has_invoice, expected):
    assert billing.is_due(end_date, TODAY, situation, has_invoice) is expected


# Tariff selection and overlaps -------------------------------------------------------------


def test_select_tariff_by_date_and_resource():
    old = tariff(1, date(2021, 7, 1), date(2025, 6, 30), amount="900")
    new = tariff(2, date(2025, 7, 1), date(2028, 6, 30), amount="1000")
    other_lot = tariff(3, date(2025, 7, 1), date(2028, 6, 30), resource=2, amount="1100")
    tariffs = [old, new, other_lot]
    assert billing.select_tariff(tariffs, 1, 1, date(2025, 6, 30)) == old
    assert billing.select_tariff(tariffs, 1, 1, date(2025, 7, 1)) == new
    assert billing.select_tariff(tariffs, 1, 2, date(2025, 7, 1)) == other_lot
    assert billing.select_tariff(tariffs, 1, 3, date(2025, 7, 1)) is None
    assert billing.select_tariff(tariffs, 2, 1, date(2025, 7, 1)) is None
    assert billing.select_tariff(tariffs, 1, 1, date(2028, 7, 1)) is None


def test_select_tariff_prefers_the_site():
    every_site = tariff(1, date(2025, 1, 1), None, amount="1000")
    lille = tariff(2, date(2025, 1, 1), None, site=7, amount="1200")
    assert billing.select_tariff([every_site, lille], 1, 1, date(2025, 5, 1), site_id=7) == lille
    assert billing.select_tariff([every_site, lille], 1, 1, date(2025, 5, 1), site_id=8) == (
        every_site
    )


def test_overlaps():
    first = tariff(1, date(2025, 1, 1), date(2025, 12, 31))
    touching = tariff(2, date(2026, 1, 1), None)
    overlapping = tariff(3, date(2025, 12, 31), date(2026, 6, 30))
    other_resource = tariff(4, date(2025, 1, 1), date(2025, 12, 31), resource=2)
    other_site = tariff(5, date(2025, 1, 1), date(2025, 12, 31), site=3)
    assert billing.find_overlaps([first, touching, other_resource, other_site]) == []
    pairs = billing.find_overlaps([first, touching, overlapping])
    assert {(a.id, b.id) for a, b in pairs} == {(1, 3), (3, 2)}
    open_ended = tariff(6, None, None)
    assert len(billing.find_overlaps([first, open_ended])) == 1


def test_tariff_dates():
    assert billing.check_tariff_dates(date(2025, 2, 1), date(2025, 1, 1))
    assert not billing.check_tariff_dates(date(2025, 1, 1), date(2025, 1, 1))


def test_overview_counts():
    today = date(2026, 3, 1)
    tariffs = [
        tariff(1, date(2025, 1, 1), None),  # in force
        tariff(2, date(2025, 1, 1), date(2026, 3, 31)),  # ends on day 30: ending soon
        tariff(3, date(2025, 1, 1), date(2026, 4, 1)),  # ends on day 31: in force only
        tariff(4, date(2024, 1, 1), date(2026, 2, 28)),  # ended
        tariff(5, date(2026, 6, 1), None),  # future
    ]
    assert billing.overview_counts(tariffs, today) == {"in_force": 3, "ending": 1, "ended": 1}
    assert billing.tariff_state(tariffs[4], today) == "future"


# Numbering -----------------------------------------------------------------------------------


def test_format_and_parse_number():
    assert billing.format_number("14", "JUN", 2022, 9) == "14JUNF2200009"
    assert billing.format_number("14", "jun", 2023, 124) == "14JUNF2300124"
    assert billing.format_number("", "JUN", 2026, 1, letter="A") == "JUNA2600001"
    assert billing.sequence_prefix("14", "JUN") == "14JUNF%(y)s"
    assert billing.parse_number("14JUNF2200009") == ("14JUNF", 22, 9)
    assert billing.parse_number("14JUNA2600123") == ("14JUNA", 26, 123)
    assert billing.parse_number("INV/2026/00001") is None
    assert billing.year_matches("14JUNF2200009", date(2022, 12, 31))
    assert not billing.year_matches("14JUNF2200009", date(2023, 1, 1))


def test_counter_beyond_five_digits_keeps_growing():
    assert billing.format_number("14", "JUN", 2030, 100000) == "14JUNF30100000"
    assert billing.parse_number("14JUNF30100000") == ("14JUNF", 30, 100000)


@pytest.mark.parametrize(
    "base, prefix, ok",
    [("14", "JUN", True), ("", "JUN", True), ("1A", "JUN", False), ("14", "J%N", False)],
)
def test_numbering_settings(base, prefix, ok):
    assert (not billing.check_numbering_settings(base, prefix)) is ok


def test_missing_prefix():
    assert billing.check_numbering_settings("14", "")


def test_chronology():
    assert not billing.check_chronology(None, date(2026, 1, 2))
    assert not billing.check_chronology(date(2026, 1, 2), date(2026, 1, 2))
    message = billing.check_chronology(date(2026, 1, 2), date(2025, 12, 31))[0]
    assert "2025-12-31" in message.render()


def test_gaps_and_duplicates():
    names = ["14JUNF2500009", "14JUNF2600010", "14JUNF2600012", "14JUNF2600012"]
    assert billing.gaps_and_duplicates(names) == ([11], ["14JUNF2600012"])
    assert billing.gaps_and_duplicates([]) == ([], [])


def test_blocking_messages_say_what_is_missing():
    complete = dict(
        tariff=object(),
        situation=BILAN,
        company_siret="41234567800021",
        financer="France Travail",
        financer_siret="13000548100010",
        order_number="BC-1",
        iban="FR76...",
        already_invoiced=False,
    )
    assert billing.blocking_messages(**complete) == []
    texts = [
        m.render()
        for m in billing.blocking_messages(
            **dict(complete, tariff=None, financer_siret="", order_number="", iban="")
        )
    ]
    assert texts == [
        "No tariff in force at the end date for this offer and resource.",
        "The financer has no SIRET.",
        "The order number (France Travail purchase order) is missing.",
        "The legal entity has no bank account (IBAN).",
    ]
    assert billing.blocking_messages(**dict(complete, already_invoiced=True))[0].render() == (
        "Already invoiced."
    )
