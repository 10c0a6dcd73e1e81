from datetime import date
from decimal import Decimal

import pytest

from activcrea_odoo.rules import situation as rules
from activcrea_odoo.rules.situation import (
    ABANDONED,
    BILAN,
    CONTINUED,
    EARLY_EXIT,
    FINISHED,
    IN_PROGRESS,
    REDIRECTED,
)


@pytest.mark.parametrize(
    "outcome, flags, expected",
    [
        # The guide's table, line by line.
        (CONTINUED, {}, IN_PROGRESS),
        (CONTINUED, {"bilan": True}, BILAN),
        (CONTINUED, {"early_exit": True}, EARLY_EXIT),
        (CONTINUED, {"abandoned": True}, ABANDONED),
        (REDIRECTED, {}, FINISHED),
        # Diagnostic outcome not filled yet.
        (None, {}, None),
        (None, {"bilan": True}, None),
        ("", {"abandoned": True}, None),
    ],
)
def test_situation_table(outcome, flags, expected):
    assert rules.situation(outcome, **flags) == expected


def test_redirected_stays_finished_whatever_else_is_recorded():
    assert rules.situation(REDIRECTED, abandoned=True) == FINISHED


def test_unknown_outcome_is_a_programming_error():
    with pytest.raises(ValueError):
        rules.situation("lost")


def test_situation_codes_and_selection():
    assert [code for code, _label in rules.SITUATION_SELECTION] == [
        "in_progress",
        "bilan",
        "early_exit",
        "abandoned",
        "finished",
    ]


@pytest.mark.parametrize(
    "flags",
    [(False, False, False), (True, False, False), (False, True, False), (False, False, True)],
)
def test_at_most_one_exit_is_accepted(flags):
    assert rules.check_single_exit(*flags) == []


@pytest.mark.parametrize(
    "flags", [(True, True, False), (True, False, True), (False, True, True), (True, True, True)]
)
def test_more_than_one_exit_is_refused(flags):
    messages = rules.check_single_exit(*flags)
    assert len(messages) == 1
    text = str(messages[0])
    assert "bilan" in text and "early exit" in text and "abandonment" in text


def test_recorded_values_count_as_filled():
    # Dates or reasons recorded, not only booleans.
    assert rules.check_single_exit(date(2025, 3, 1), None, "moved away")
    assert rules.check_single_exit(date(2025, 3, 1), "", None) == []


@pytest.mark.parametrize(
    "code, rate",
    [
        (FINISHED, Decimal("0.15")),
        (ABANDONED, Decimal("0.15")),
        (EARLY_EXIT, Decimal("1.00")),
        (BILAN, Decimal("1.00")),
        (IN_PROGRESS, None),
        (None, None),
    ],
)
def test_billing_rates(code, rate):
    assert rules.billing_rate(code) == rate
    if rate is not None:
        assert isinstance(rules.billing_rate(code), Decimal)


def test_theoretical_end():
    assert rules.theoretical_end(date(2025, 1, 1)) == date(2025, 4, 1)
    assert rules.theoretical_end(date(2025, 1, 1), 30) == date(2025, 1, 31)
    assert rules.theoretical_end(None) is None
