from datetime import date, datetime, time

from activcrea_odoo.rules import mailing
from activcrea_odoo.rules.mailing import PurgeCandidate, Registration, Rule

MEETING = datetime(2026, 1, 12, 9, 0)  # Monday 12 January 2026, 09:00 Paris


def reg(enrolment_id=1, event_id=10, **values):
    values.setdefault("meeting_start", MEETING)
    return Registration(enrolment_id=enrolment_id, event_id=event_id, partner_id=100, **values)


def test_send_time_from_float_hour():
    assert mailing.send_time(19.0) == time(19, 0)
    assert mailing.send_time(19.5) == time(19, 30)
    assert mailing.send_time(None) == time(0, 0)
    assert mailing.send_time(30) == time(23, 59)


def test_due_day_waits_for_the_hour_then_lasts_24_hours():
    assert mailing.due_day(datetime(2026, 1, 10, 18, 59), 19) == date(2026, 1, 9)
    assert mailing.due_day(datetime(2026, 1, 10, 19, 0), 19) == date(2026, 1, 10)
    assert mailing.due_day(datetime(2026, 1, 10, 23, 30), 19) == date(2026, 1, 10)
    assert mailing.due_day(datetime(2026, 1, 11, 18, 0), 19) == date(2026, 1, 10)


def test_anchor_date_of_j_minus_2_and_j_minus_7():
    # on 10 January from 19:00, the "-2" rule sends for the meetings of 12 January
    assert mailing.anchor_date(datetime(2026, 1, 10, 19, 0), 19, -2) == date(2026, 1, 12)
    assert mailing.anchor_date(datetime(2026, 1, 10, 18, 0), 19, -2) == date(2026, 1, 11)
    assert mailing.anchor_date(datetime(2026, 1, 5, 20, 0), 19, -7) == date(2026, 1, 12)
    # registration anchor, offset 0: the day of the import, at 19:00
    assert mailing.anchor_date(datetime(2026, 1, 2, 19, 0), 19, 0) == date(2026, 1, 2)


def test_fire_datetime():
    assert mailing.fire_datetime(date(2026, 1, 12), 19, -2) == datetime(2026, 1, 10, 19, 0)


def test_confirmation_yes_no_any():
    m = mailing.confirmation_matches
    assert m("yes", "confirmed", False)
    assert not m("yes", "pending", False)
    assert not m("yes", "not_confirmed", True)
    assert m("no", "not_confirmed", True)
    assert not m("no", "confirmed", False)
    assert not m("no", "pending", False)
    assert m("any", "pending", False)
    assert m("any", "confirmed", False)
    assert not m("any", "not_confirmed", True)
    assert not m("any", "pending", True)  # cancelled: only the "no" rules


def test_never_logged_in_condition():
    rule = Rule(1, condition="never_logged_in", offset_days=-7)
    assert mailing.is_wanted(rule, reg(logged_in=False))
    assert not mailing.is_wanted(rule, reg(logged_in=True))
    assert mailing.is_wanted(Rule(2), reg(logged_in=True))


def test_no_email_no_mail():
    assert not mailing.is_wanted(Rule(1), reg(has_email=False))


def test_no_reminder_once_the_meeting_is_over():
    rule = Rule(1, confirmation="yes", offset_days=-2)
    registration = reg(confirmation="confirmed")
    assert mailing.is_wanted(rule, registration, datetime(2026, 1, 10, 19, 0))
    assert not mailing.is_wanted(rule, registration, datetime(2026, 1, 12, 9, 0))


def test_each_registration_and_meeting_once():
    rule = Rule(1, confirmation="any")
    regs = [reg(1, 10), reg(2, 10), reg(1, 11)]
    due = mailing.registrations_to_send(rule, regs, {(1, 10)})
    assert [(r.enrolment_id, r.event_id) for r in due] == [(2, 10), (1, 11)]
    assert mailing.registrations_to_send(rule, regs, {(1, 10), (2, 10), (1, 11)}) == []


def test_should_archive_person():
    assert mailing.should_archive_person(True, 0, False)
    assert not mailing.should_archive_person(False, 0, False)
    assert not mailing.should_archive_person(True, 1, False)
    assert not mailing.should_archive_person(True, 0, True)


def test_should_archive_meeting():
    # created by the import for the person, nobody left: archived
    assert mailing.should_archive_meeting(True, 0)
    # another registrant still attends it
    assert not mailing.should_archive_meeting(True, 1)
    # a planned slot stays, free again
    assert not mailing.should_archive_meeting(False, 0)


def test_purge_after_five_days_not_before():
    today = date(2026, 1, 20)
    assert mailing.purge_decision(PurgeCandidate(1, date(2026, 1, 15)), today) == (True, [])
    assert mailing.purge_decision(PurgeCandidate(1, date(2026, 1, 16)), today) == (False, [])
    assert mailing.purge_decision(PurgeCandidate(1, None), today) == (False, [])
    # configurable delay
    assert mailing.purge_decision(PurgeCandidate(1, date(2026, 1, 18)), today, 2)[0]


def test_purge_keeps_what_the_law_or_the_bge_keeps():
    today = date(2026, 1, 20)
    old = date(2026, 1, 1)
    cases = {
        "accounting": PurgeCandidate(1, old, accounting=True),
        "enrolment": PurgeCandidate(1, old, other_enrolments=1),
        "reactivated": PurgeCandidate(1, old, reactivated=True),
        "active": PurgeCandidate(1, old, active=True),
        "employee": PurgeCandidate(1, old, internal_user=True),
    }
    for name, candidate in cases.items():
        delete, reasons = mailing.purge_decision(candidate, today)
        assert not delete, name
        assert len(reasons) == 1, name
    delete, reasons = mailing.purge_decision(
        PurgeCandidate(1, old, accounting=True, other_enrolments=2), today
    )
    assert not delete
    assert [str(r) for r in reasons] == [
        "an invoice or an accounting entry refers to the person",
        "another enrolment refers to the person",
    ]
