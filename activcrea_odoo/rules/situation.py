"""Situation of a person in the Activ'Créa service, and the billing rate it implies.

The "Prestation spéciale" form records the outcome of the initial diagnostic
("continued" or "redirected" to France Travail) and then at most one end of the
service: a bilan interview, an early exit or an abandonment.
"""

# pylint: disable=prefer-env-translation
# ``_`` here is the marker of rules/messages.py: the models translate with env._

from datetime import timedelta
from decimal import Decimal

from .messages import Message, _

CONTINUED = "continued"
REDIRECTED = "redirected"

IN_PROGRESS = "in_progress"
BILAN = "bilan"
EARLY_EXIT = "early_exit"
ABANDONED = "abandoned"
FINISHED = "finished"

SITUATION_SELECTION = [
    (IN_PROGRESS, _("In progress")),
    (BILAN, _("Bilan interview")),
    (EARLY_EXIT, _("Early exit")),
    (ABANDONED, _("Abandonment")),
    (FINISHED, _("Finished")),
]
CLOSED_SITUATIONS = frozenset({BILAN, EARLY_EXIT, ABANDONED, FINISHED})

BILLING_RATES = {
    FINISHED: Decimal("0.15"),
    ABANDONED: Decimal("0.15"),
    EARLY_EXIT: Decimal("1.00"),
    BILAN: Decimal("1.00"),
}

THEORETICAL_DURATION_DAYS = 90


def situation(diagnostic_outcome, bilan=False, early_exit=False, abandoned=False):
    """Situation code from the form, or None while the diagnostic outcome is empty.

    Each flag means "a date or a reason is recorded" for that end of the service.
    Should several be recorded (refused by :func:`check_single_exit`), the bilan
    wins over the early exit, which wins over the abandonment.
    """
    if not diagnostic_outcome:
        return None
    if diagnostic_outcome == REDIRECTED:
        return FINISHED
    if diagnostic_outcome != CONTINUED:
        raise ValueError(f"Unknown diagnostic outcome: {diagnostic_outcome!r}")
    if bilan:
        return BILAN
    if early_exit:
        return EARLY_EXIT
    if abandoned:
        return ABANDONED
    return IN_PROGRESS


def check_single_exit(bilan, early_exit, abandoned):
    """Refuse more than one of bilan, early exit and abandonment."""
    if sum(map(bool, (bilan, early_exit, abandoned))) > 1:
        return [
            Message(
                _(
                    "Only one end of the service may be filled in: choose between the bilan, "
                    "the early exit and the abandonment."
                )
            )
        ]
    return []


def billing_rate(situation_code):
    """Share of the tariff to invoice (Decimal), or None when not billable yet."""
    return BILLING_RATES.get(situation_code)


def theoretical_end(start_date, duration_days=THEORETICAL_DURATION_DAYS):
    """Theoretical end date of an enrolment started on ``start_date``."""
    if not start_date:
        return None
    return start_date + timedelta(days=duration_days)
