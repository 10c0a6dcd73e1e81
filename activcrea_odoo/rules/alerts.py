"""Dashboard alerts on Activ'Créa enrolments.

Every function takes plain values so that the model can evaluate it per record;
:func:`start_date_limits` gives the date bound the model turns into a domain.
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


def _open_and_old(start_date, today, diagnostic_outcome, has_exit, min_days):
    age = age_in_days(start_date, today)
    return age is not None and age >= min_days and diagnostic_outcome == CONTINUED and not has_exit


def ending_soon(
    start_date, today, diagnostic_outcome, has_exit, has_future_action, min_days=ENDING_SOON_DAYS
):
    """ "Ends in less than 7 days and nothing planned".

    Enrolment ``min_days`` or more days old, continued after the diagnostic, no
    end recorded (bilan, early exit, abandonment) and no action from today on.
    """
    return (
        _open_and_old(start_date, today, diagnostic_outcome, has_exit, min_days)
        and not has_future_action
    )


def overdue(start_date, today, diagnostic_outcome, has_exit, min_days=OVERDUE_DAYS):
    """ "Theoretical end passed and record incomplete": old, continued, no end recorded."""
    return _open_and_old(start_date, today, diagnostic_outcome, has_exit, min_days)


def not_invoiced(situation, is_closed, has_issued_invoice):
    """ "Not invoiced": a closed enrolment in a final situation without issued invoice.

    ``is_closed`` tells whether the enrolment itself is over (its end date passed).
    """
    return bool(is_closed) and situation in CLOSED_SITUATIONS and not has_issued_invoice


def start_date_limits(today, min_days):
    """Latest start date for which an enrolment is at least ``min_days`` old."""
    return today - timedelta(days=min_days)
