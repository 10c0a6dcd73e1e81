from datetime import date

import pytest

from activcrea_odoo.rules import alerts
from activcrea_odoo.rules.situation import (
    ABANDONED,
    BILAN,
    CONTINUED,
    EARLY_EXIT,
    FINISHED,
    IN_PROGRESS,
    REDIRECTED,
)

START = date(2025, 1, 1)
DAY_82 = date(2025, 3, 24)
DAY_83 = date(2025, 3, 25)
DAY_89 = date(2025, 3, 31)
DAY_90 = date(2025, 4, 1)
DAY_95 = date(2025, 4, 6)


def test_age_in_days():
    assert alerts.age_in_days(START, DAY_82) == 82
    assert alerts.age_in_days(START, DAY_90) == 90
    assert alerts.age_in_days(None, DAY_90) is None


def test_ending_soon_boundary_82_83_days():
    assert not alerts.ending_soon(START, DAY_82, CONTINUED, False, False)
    assert alerts.ending_soon(START, DAY_83, CONTINUED, False, False)


def test_ending_soon_stops_at_the_theoretical_end_89_90_days():
    """83 to 89 days: the end is within a week; from day 90 the overdue alert takes over."""
    assert alerts.ending_soon(START, DAY_89, CONTINUED, False, False)
    assert not alerts.ending_soon(START, DAY_90, CONTINUED, False, False)
    assert not alerts.ending_soon(START, DAY_95, CONTINUED, False, False)


@pytest.mark.parametrize("today", [DAY_82, DAY_83, DAY_89, DAY_90, DAY_95])
def test_one_situation_raises_at_most_one_alert(today):
    raised = alerts.ending_soon(START, today, CONTINUED, False, False) + alerts.overdue(
        START, today, CONTINUED, False
    )
    assert raised == (0 if today == DAY_82 else 1)


def test_ending_soon_thresholds_from_the_settings():
    assert alerts.ending_soon(START, DAY_82, CONTINUED, False, False, min_days=80, max_days=85)
    assert not alerts.ending_soon(START, DAY_89, CONTINUED, False, False, min_days=80, max_days=85)


@pytest.mark.parametrize(
    "outcome, has_exit, has_future_action",
    [
        (REDIRECTED, False, False),
        (None, False, False),
        (CONTINUED, True, False),
        (CONTINUED, False, True),
    ],
)
def test_ending_soon_needs_every_condition(outcome, has_exit, has_future_action):
    assert alerts.ending_soon(START, DAY_89, CONTINUED, False, False)
    assert not alerts.ending_soon(START, DAY_89, outcome, has_exit, has_future_action)


def test_ending_soon_without_start_date():
    assert not alerts.ending_soon(None, DAY_89, CONTINUED, False, False)


def test_overdue_boundary_89_90_days():
    assert not alerts.overdue(START, DAY_89, CONTINUED, False)
    assert alerts.overdue(START, DAY_90, CONTINUED, False)


def test_overdue_needs_continued_and_no_exit():
    assert not alerts.overdue(START, DAY_90, REDIRECTED, False)
    assert not alerts.overdue(START, DAY_90, CONTINUED, True)
    assert not alerts.overdue(None, DAY_90, CONTINUED, False)


@pytest.mark.parametrize("situation", [BILAN, EARLY_EXIT, ABANDONED, FINISHED])
def test_closed_without_issued_invoice_is_not_invoiced(situation):
    assert alerts.not_invoiced(situation, True, False)
    assert not alerts.not_invoiced(situation, True, True)
    assert not alerts.not_invoiced(situation, False, False)


@pytest.mark.parametrize("situation", [IN_PROGRESS, None])
def test_open_situation_is_never_not_invoiced(situation):
    assert not alerts.not_invoiced(situation, True, False)


def test_start_date_limits_match_the_age_conditions():
    limit = alerts.start_date_limits(DAY_83, 83)
    assert limit == START
    assert alerts.ending_soon(limit, DAY_83, CONTINUED, False, False)
    assert not alerts.ending_soon(date(2025, 1, 2), DAY_83, CONTINUED, False, False)
    assert alerts.start_date_limits(DAY_90, 90) == START
