"""Dashboard alerts on Activ'Créa enrolments.

Every function takes plain values so that the model can evaluate it per record;
:func:`start_date_limits` gives the date bound the model turns into a domain.

The two date alerts follow each other, so that one situation raises one alert:

- "ends in less than 7 days and nothing planned": ``ENDING_SOON_DAYS`` (83) to
  ``OVERDUE_DAYS - 1`` (89) days old, i.e. the theoretical end (day 90) falls within a
  week. The guide writes "83 days or more"; read literally, an enrolment of 95 days
  would show both alerts and its referent would get two activities for one situation.
  Its meaning is "ends within a week", which stops at the theoretical end;
- "theoretical end passed and record incomplete": ``OVERDUE_DAYS`` (90) days or more.
"""

from datetime import timedelta

from .situation import CLOSED_SITUATIONS, CONTINUED

ENDING_SOON_DAYS = 83
OVERDUE_DAYS = 90


def age_in_days(start_date, today):
    """Days elapsed since ``start_date`` (None without a start date)."""
    if not start_date:
        return None
    return (today - start_date).days


def _open_and_old(start_date, today, diagnostic_outcome, has_exit, min_days, max_days=None):
    """Continued, no end recorded, and ``min_days`` <= age < ``max_days`` (no upper
    bound when ``max_days`` is None)."""
    age = age_in_days(start_date, today)
    return (
        age is not None
        and age >= min_days
        and (max_days is None or age < max_days)
        and diagnostic_outcome == CONTINUED
        and not has_exit
    )


def ending_soon(
    start_date,
    today,
    diagnostic_outcome,
    has_exit,
    has_future_action,
    min_days=ENDING_SOON_DAYS,
    max_days=OVERDUE_DAYS,
):
    """ "Ends in less than 7 days and nothing planned".

    Enrolment ``min_days`` to ``max_days - 1`` days old (83 to 89 by default: the
    theoretical end is within a week), continued after the diagnostic, no end recorded
    (bilan, early exit, abandonment) and no action from today on. From ``max_days`` on,
    :func:`overdue` takes over: the two alerts never hold together.
    """
    return (
        _open_and_old(start_date, today, diagnostic_outcome, has_exit, min_days, max_days)
        and not has_future_action
    )


def overdue(start_date, today, diagnostic_outcome, has_exit, min_days=OVERDUE_DAYS):
    """ "Theoretical end passed and record incomplete": ``min_days`` (90) days or more,
    continued, no end recorded."""
    return _open_and_old(start_date, today, diagnostic_outcome, has_exit, min_days)


def not_invoiced(situation, is_closed, has_issued_invoice):
    """ "Not invoiced": a closed enrolment in a final situation without issued invoice.

    ``is_closed`` tells whether the enrolment itself is over (its end date passed).
    """
    return bool(is_closed) and situation in CLOSED_SITUATIONS and not has_issued_invoice


def start_date_limits(today, min_days):
    """Latest start date for which an enrolment is at least ``min_days`` old."""
    return today - timedelta(days=min_days)
