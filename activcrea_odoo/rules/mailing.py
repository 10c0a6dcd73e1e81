"""Who gets which automatic e-mail, when, and who the GDPR purge deletes.

Plain Python on plain values: the models read the registrations in one query, call these
functions, then write. Times are local (the BGE's time zone, Europe/Paris), naive.

A *sending rule* says: for the registrations of an offer (ODS), confirmed or not, send a
template ``offset_days`` days from an anchor date (the meeting's day, or the day of the
registration by the import) at ``send_hour``. A rule acts from its hour on its day and for
the 24 hours that follow (a job stopped at 19:00 catches up later), and each rule sends
once per registration and meeting: the models keep a log with a unique key.
"""

# pylint: disable=prefer-env-translation
# (the rules mark their messages with messages._; the models translate them with env._)
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from .messages import Message, _

TIME_ZONE = "Europe/Paris"
DEFAULT_SEND_HOUR = 19.0
DEFAULT_PURGE_DAYS = 5

# rule.confirmation
CONFIRMED_YES = "yes"
CONFIRMED_NO = "no"
CONFIRMED_ANY = "any"
# rule.anchor
ANCHOR_MEETING = "meeting"
ANCHOR_REGISTRATION = "registration"
# rule.condition
CONDITION_NONE = "none"
CONDITION_NEVER_LOGGED_IN = "never_logged_in"

# enrolment.confirmation
PENDING, CONFIRMED, NOT_CONFIRMED = "pending", "confirmed", "not_confirmed"


def send_time(send_hour):
    """19.5 -> 19:30 (a float hour, as Odoo's float_time widget gives it)."""
    hour = max(0.0, min(float(send_hour or 0.0), 23.99))
    minutes = int(round(hour * 60))
    return time(minutes // 60, minutes % 60)


def due_day(now_local, send_hour):
    """The day whose sending is under way at ``now_local``: today once the hour has come,
    else yesterday (whose window runs until today's hour)."""
    today = now_local.date()
    if now_local.time() >= send_time(send_hour):
        return today
    return today - timedelta(days=1)


def anchor_date(now_local, send_hour, offset_days):
    """The anchor date (meeting day or registration day) of the registrations that a rule
    with ``offset_days`` and ``send_hour`` sends to at ``now_local``.

    A rule "-2 at 19:00" sends on 10 January from 19:00 (until 11 January 18:59) to the
    meetings of 12 January: anchor + offset = the due day."""
    return due_day(now_local, send_hour) - timedelta(days=int(offset_days or 0))


def fire_datetime(anchor, send_hour, offset_days):
    """When a rule sends for a registration anchored on ``anchor`` (local, naive)."""
    return datetime.combine(anchor + timedelta(days=int(offset_days or 0)), send_time(send_hour))


@dataclass
class Registration:
    """One registration of a person to a meeting, as the sending job sees it."""

    enrolment_id: int
    event_id: int
    partner_id: int
    confirmation: str = PENDING
    cancelled: bool = False
    has_email: bool = True
    logged_in: bool = False
    meeting_start: datetime | None = None  # local


@dataclass
class Rule:
    rule_id: int
    confirmation: str = CONFIRMED_ANY
    condition: str = CONDITION_NONE
    anchor: str = ANCHOR_MEETING
    offset_days: int = 0
    send_hour: float = DEFAULT_SEND_HOUR


def confirmation_matches(rule_confirmation, confirmation, cancelled):
    """Whether a registration's confirmation fits the rule's choice.

    « yes » is a registration France Travail confirmed; « no » one it did not confirm at
    J-2 (cancelled since); « any » every registration still on, confirmed or pending. A
    cancelled registration gets only the « no » rules: nothing else is due any more."""
    if rule_confirmation == CONFIRMED_NO:
        return confirmation == NOT_CONFIRMED
    if cancelled or confirmation == NOT_CONFIRMED:
        return False
    if rule_confirmation == CONFIRMED_YES:
        return confirmation == CONFIRMED
    return True


def is_wanted(rule, registration, now_local=None):
    """Whether ``rule`` sends its mail for ``registration`` (whose anchor date is due)."""
    if not registration.has_email:
        return False
    if not confirmation_matches(rule.confirmation, registration.confirmation, registration.cancelled):
        return False
    if rule.condition == CONDITION_NEVER_LOGGED_IN and registration.logged_in:
        return False
    if (
        now_local is not None
        and registration.meeting_start is not None
        and registration.meeting_start <= now_local
        and rule.confirmation != CONFIRMED_NO
    ):
        return False  # the meeting is over: a reminder makes no sense any more
    return True


def registrations_to_send(rule, registrations, already_sent, now_local=None):
    """The registrations ``rule`` sends to now: wanted, and not in ``already_sent``
    (a set of (enrolment_id, event_id) the rule has sent to)."""
    return [
        registration
        for registration in registrations
        if (registration.enrolment_id, registration.event_id) not in already_sent
        and is_wanted(rule, registration, now_local)
    ]


# Cancellation --------------------------------------------------------------------------


def should_archive_person(created_by_import, other_open_enrolments, internal_user):
    """A person not confirmed at J-2 is archived (rights closed) only when the import
    created them, nothing else of the BGE follows them and they are not an employee.

    The same facts as the purge's (:class:`PurgeCandidate`): archiving is the first step
    of the deletion, so an enrolment that would keep the person from the purge (one not
    cancelled, archived or not) keeps them from the archiving too."""
    return bool(created_by_import) and not other_open_enrolments and not internal_user


def should_archive_meeting(created_by_import, entrepreneurs_left):
    """A meeting the import created for a registrant (to assign, or assigned since) is
    archived once the cancellations leave no entrepreneur in it: an empty meeting would
    stay in the agenda and in the assignment list. A planned slot stays, free again."""
    return bool(created_by_import) and not entrepreneurs_left


# GDPR purge ----------------------------------------------------------------------------


@dataclass
class PurgeCandidate:
    partner_id: int
    archived_on: date | None
    active: bool = False
    reactivated: bool = False
    accounting: bool = False  # an invoice or any accounting entry refers to the person
    other_enrolments: int = 0  # enrolments not cancelled by the J-2 flow, archived included
    internal_user: bool = False
    reasons: list = field(default_factory=list)


REASON_REACTIVATED = Message(_("reactivated by hand"))
REASON_ACCOUNTING = Message(_("an invoice or an accounting entry refers to the person"))
REASON_ENROLMENT = Message(_("another enrolment refers to the person"))
REASON_EMPLOYEE = Message(_("the person is a user of the BGE"))


def purge_limit(today, delay_days):
    """People archived on or before this date are due for deletion."""
    return today - timedelta(days=max(int(delay_days or 0), 0))


def purge_decision(candidate, today, delay_days=DEFAULT_PURGE_DAYS):
    """(delete?, reasons to keep) for a person archived by the cancellation flow.

    Deleted ``delay_days`` days after the archiving unless something the law or the BGE
    keeps refers to them: an accounting entry (kept 10 years), another enrolment, a
    manual reactivation, a user account of the BGE."""
    if candidate.archived_on is None or candidate.archived_on > purge_limit(today, delay_days):
        return False, []
    reasons = []
    if candidate.active or candidate.reactivated:
        reasons.append(REASON_REACTIVATED)
    if candidate.accounting:
        reasons.append(REASON_ACCOUNTING)
    if candidate.other_enrolments:
        reasons.append(REASON_ENROLMENT)
    if candidate.internal_user:
        reasons.append(REASON_EMPLOYEE)
    return not reasons, reasons
