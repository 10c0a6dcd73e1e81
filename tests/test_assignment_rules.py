"""The four proposal categories of the assignment (guide, section 4), ties, busy
counselors and empty cases, on plain values."""

from datetime import datetime, timedelta

from activcrea_odoo.rules import assignment
from activcrea_odoo.rules.assignment import (
    OTHER_SITE,
    SLOT_OTHER_TIME,
    SLOT_SAME_TIME,
    WORKS_AT_SITE,
    Counselor,
    Event,
    Meeting,
    first_conflicts,
    propose,
)
from activcrea_odoo.rules.messages import Message

ARM, LIL, RBX = 1, 2, 3
NINE = datetime(2026, 1, 12, 8, 0)  # 9:00 in Paris
HOUR = timedelta(hours=1)


def meeting(mid=100, site=ARM, start=NINE):
    return Meeting(mid, site, start, start + HOUR)


def slot(eid, user, site=ARM, start=NINE, free=True):
    return Event(eid, user, start, start + HOUR, site_id=site, free_slot=free)


def busy(eid, user, start=NINE, hours=1):
    return Event(eid, user, start, start + timedelta(hours=hours))


def ranking(result, mid=100):
    return [(p.user_id, p.category, p.event_id) for p in result[mid]]


MARTIN = Counselor(10, "Claire Martin", frozenset({ARM}))
BERNARD = Counselor(11, "Thomas Bernard", frozenset({LIL, RBX}))
PETIT = Counselor(12, "Nadia Petit", frozenset({LIL, RBX}))
DUPONT = Counselor(13, "Alain Dupont", frozenset({ARM}))


# Categories ------------------------------------------------------------------------------


def test_category_1_slot_at_the_site_and_time():
    result = propose([meeting()], [MARTIN], [slot(500, MARTIN.id)])
    assert ranking(result) == [(MARTIN.id, SLOT_SAME_TIME, 500)]
    assert result[100][0].rank == 1
    assert result[100][0].event_start == NINE


def test_category_2_slot_at_the_site_at_another_time_the_nearest():
    events = [
        slot(501, MARTIN.id, start=NINE + 5 * HOUR),
        slot(502, MARTIN.id, start=NINE + 2 * HOUR),
        slot(503, MARTIN.id, start=NINE - 3 * HOUR),
    ]
    result = propose([meeting()], [MARTIN], events)
    assert ranking(result) == [(MARTIN.id, SLOT_OTHER_TIME, 502)]
    assert result[100][0].event_start == NINE + 2 * HOUR


def test_category_2_only_within_the_window():
    far = slot(501, MARTIN.id, start=NINE + timedelta(days=20))
    result = propose([meeting()], [MARTIN], [far])
    # too far: Martin works at the site and is free then
    assert ranking(result) == [(MARTIN.id, WORKS_AT_SITE, None)]
    result = propose([meeting()], [MARTIN], [far], window=timedelta(days=30))
    assert ranking(result) == [(MARTIN.id, SLOT_OTHER_TIME, 501)]


def test_category_3_works_at_the_site():
    result = propose([meeting()], [MARTIN], [])
    assert ranking(result) == [(MARTIN.id, WORKS_AT_SITE, None)]


def test_category_4_works_at_another_site():
    result = propose([meeting()], [BERNARD], [])
    assert ranking(result) == [(BERNARD.id, OTHER_SITE, None)]


def test_the_four_categories_in_order_each_counselor_once():
    counselors = [PETIT, BERNARD, DUPONT, MARTIN]
    events = [
        slot(500, MARTIN.id),  # 1
        slot(501, BERNARD.id, start=NINE + 2 * HOUR),  # 2: a slot at Armentières later
    ]
    result = propose([meeting()], counselors, events)
    assert ranking(result) == [
        (MARTIN.id, SLOT_SAME_TIME, 500),
        (BERNARD.id, SLOT_OTHER_TIME, 501),
        (DUPONT.id, WORKS_AT_SITE, None),
        (PETIT.id, OTHER_SITE, None),
    ]
    assert [p.rank for p in result[100]] == [1, 2, 3, 4]


def test_slot_elsewhere_does_not_count_as_a_slot_at_the_site():
    result = propose([meeting()], [BERNARD], [slot(500, BERNARD.id, site=LIL, start=NINE + HOUR)])
    assert ranking(result) == [(BERNARD.id, OTHER_SITE, None)]


def test_slot_with_a_registrant_is_not_offered():
    taken = slot(500, MARTIN.id, free=False)
    result = propose([meeting()], [MARTIN, DUPONT], [taken])
    # Martin's slot is taken: he is busy at that time, Dupont is free
    assert ranking(result) == [(DUPONT.id, WORKS_AT_SITE, None)]


# Busy counselors -------------------------------------------------------------------------


def test_busy_counselor_never_in_categories_3_and_4():
    events = [busy(600, MARTIN.id), busy(601, BERNARD.id, start=NINE - HOUR, hours=3)]
    result = propose([meeting()], [MARTIN, BERNARD], events)
    assert result[100] == []


def test_touching_events_do_not_make_busy():
    events = [busy(600, MARTIN.id, start=NINE - HOUR), busy(601, MARTIN.id, start=NINE + HOUR)]
    result = propose([meeting()], [MARTIN], events)
    assert ranking(result) == [(MARTIN.id, WORKS_AT_SITE, None)]


def test_busy_counselor_with_a_slot_at_the_time_is_category_1():
    # the slot itself overlaps the meeting: it is where the registrant goes
    result = propose([meeting()], [MARTIN], [slot(500, MARTIN.id), busy(601, MARTIN.id)])
    assert ranking(result) == [(MARTIN.id, SLOT_SAME_TIME, 500)]


def test_events_of_unknown_counselors_are_ignored():
    # an archived counselor is not among the counselors: their slot is not offered
    result = propose([meeting()], [DUPONT], [slot(500, 99)])
    assert ranking(result) == [(DUPONT.id, WORKS_AT_SITE, None)]


# Ties ------------------------------------------------------------------------------------


def test_ties_by_name_then_id():
    same_a = Counselor(20, "Anne Leroy", frozenset({ARM}))
    same_b = Counselor(21, "anne leroy", frozenset({ARM}))
    result = propose([meeting()], [same_b, MARTIN, same_a], [])
    assert [p.user_id for p in result[100]] == [20, 21, MARTIN.id]


def test_ties_go_to_the_counselor_with_fewer_events_that_day():
    events = [
        busy(600, DUPONT.id, start=NINE + 3 * HOUR),
        busy(601, DUPONT.id, start=NINE + 5 * HOUR),
    ]
    result = propose([meeting()], [DUPONT, MARTIN], events)
    # Alain Dupont comes first by name but has two events that day
    assert [p.user_id for p in result[100]] == [MARTIN.id, DUPONT.id]


def test_ties_in_category_1_by_load_then_name():
    events = [slot(500, MARTIN.id), slot(501, DUPONT.id)]
    result = propose([meeting()], [MARTIN, DUPONT], events)
    assert ranking(result) == [(DUPONT.id, SLOT_SAME_TIME, 501), (MARTIN.id, SLOT_SAME_TIME, 500)]


def test_ties_in_category_2_by_distance_first():
    events = [
        slot(500, DUPONT.id, start=NINE + 3 * HOUR),
        slot(501, MARTIN.id, start=NINE - HOUR),
    ]
    result = propose([meeting()], [DUPONT, MARTIN], events)
    assert [p.event_id for p in result[100]] == [501, 500]


def test_equal_distance_earlier_slot_first():
    events = [slot(500, MARTIN.id, start=NINE + HOUR), slot(501, MARTIN.id, start=NINE - HOUR)]
    result = propose([meeting()], [MARTIN], events)
    assert ranking(result) == [(MARTIN.id, SLOT_OTHER_TIME, 501)]


# Several meetings ------------------------------------------------------------------------


def test_a_slot_is_the_first_proposal_of_one_meeting_only():
    first, second = meeting(100), meeting(101)
    result = propose([second, first], [MARTIN, DUPONT], [slot(500, MARTIN.id)])
    assert ranking(result, 100) == [
        (MARTIN.id, SLOT_SAME_TIME, 500),
        (DUPONT.id, WORKS_AT_SITE, None),
    ]
    # the slot is promised to meeting 100 (and Martin is busy in it)
    assert ranking(result, 101) == [(DUPONT.id, WORKS_AT_SITE, None)]


def test_an_hour_of_a_counselor_is_the_first_proposal_of_one_meeting_only():
    result = propose([meeting(100), meeting(101)], [MARTIN, DUPONT], [])
    assert [p.user_id for p in result[100]] == [DUPONT.id, MARTIN.id]
    assert [p.user_id for p in result[101]] == [MARTIN.id]
    # another time: both are free again
    later = meeting(102, start=NINE + 2 * HOUR)
    result = propose([meeting(100), later], [MARTIN, DUPONT], [])
    assert len(result[102]) == 2


def test_meetings_are_ranked_by_time_whatever_their_order():
    early, late = meeting(100, start=NINE), meeting(101, start=NINE + HOUR)
    events = [slot(500, MARTIN.id, start=NINE + 2 * HOUR)]
    result = propose([late, early], [MARTIN], events)
    assert ranking(result, 100) == [(MARTIN.id, SLOT_OTHER_TIME, 500)]
    # the slot is promised to the earlier meeting; Martin is free at 10:00
    assert ranking(result, 101) == [(MARTIN.id, WORKS_AT_SITE, None)]


def test_limit_keeps_the_best():
    counselors = [Counselor(30 + i, f"C{i:02d}", frozenset({LIL})) for i in range(15)]
    counselors.append(MARTIN)
    result = propose([meeting()], counselors, [], limit=5)
    assert len(result[100]) == 5
    assert result[100][0].user_id == MARTIN.id
    assert result[100][0].category == WORKS_AT_SITE


# Empty cases -----------------------------------------------------------------------------


def test_no_meeting():
    assert propose([], [MARTIN], [slot(500, MARTIN.id)]) == {}


def test_no_counselor():
    assert propose([meeting()], [], [slot(500, MARTIN.id)]) == {100: []}


def test_counselor_without_site_nor_slot_is_not_proposed():
    nowhere = Counselor(40, "Sans Site", frozenset())
    assert propose([meeting()], [nowhere], []) == {100: []}
    # with a slot at the site, they are
    result = propose([meeting()], [nowhere], [slot(500, 40)])
    assert ranking(result) == [(40, SLOT_SAME_TIME, 500)]


def test_meeting_without_site_gets_other_site_counselors_only():
    events = [slot(500, MARTIN.id, start=NINE + HOUR)]
    result = propose([meeting(site=None)], [MARTIN], events)
    assert ranking(result) == [(MARTIN.id, OTHER_SITE, None)]


# Texts and conflicts ---------------------------------------------------------------------


def test_every_category_has_its_texts():
    for category in assignment.CATEGORIES:
        assert assignment.LABELS[category]
        assert assignment.EXPLANATIONS[category]
    assert set(assignment.WARNINGS) == {SLOT_OTHER_TIME, OTHER_SITE}
    proposal = propose([meeting()], [MARTIN], [])[100][0]
    assert isinstance(proposal.explanation(), Message)
    assert "works at the site" in str(proposal.explanation())
    text = Message(assignment.WARNINGS[OTHER_SITE], {"sites": "Lille", "site": "Armentières"})
    assert "Lille" in str(text) and "Armentières" in str(text)


def test_first_conflicts():
    end = NINE + HOUR
    assert first_conflicts([]) == []
    assert first_conflicts([("a", 1, 500, NINE, end), ("b", 2, 501, NINE, end)]) == []
    assert first_conflicts([("a", 1, 500, NINE, end), ("b", 2, 500, NINE, end)]) == [("a", "b")]
    assert first_conflicts([("a", 1, None, NINE, end), ("b", 1, None, NINE, end)]) == [("a", "b")]
    assert first_conflicts([("a", 1, None, NINE, end), ("b", 1, None, end, end + HOUR)]) == []
    assert first_conflicts([("a", 1, None, NINE, end), ("b", 2, None, NINE, end)]) == []
