import time as clock
from datetime import date, datetime, time, timedelta

from activcrea_odoo.rules import planning
from activcrea_odoo.rules.messages import Message


def dt(day, hour, minute=0):
    return datetime(2025, 1, day, hour, minute)


# check_period --------------------------------------------------------------


def test_period_of_31_days_is_accepted():
    assert planning.check_period(date(2025, 1, 1), date(2025, 1, 31)) == []


def test_period_of_32_days_is_refused_with_days_and_maximum():
    messages = planning.check_period(date(2025, 1, 1), date(2025, 2, 1))
    assert len(messages) == 1
    assert isinstance(messages[0], Message)
    assert messages[0].params == {"days": 32, "max_days": 31}
    assert "32" in str(messages[0]) and "31" in str(messages[0])


def test_single_day_period_and_custom_maximum():
    assert planning.check_period(date(2025, 1, 1), date(2025, 1, 1)) == []
    assert planning.check_period(date(2025, 1, 1), date(2025, 1, 8), max_days=7)


def test_missing_dates_are_refused():
    assert len(planning.check_period(None, date(2025, 1, 1))) == 1
    assert len(planning.check_period(date(2025, 1, 1), None)) == 1
    assert len(planning.check_period(None, None)) == 1


def test_end_before_start_is_refused():
    messages = planning.check_period(date(2025, 1, 10), date(2025, 1, 9))
    assert len(messages) == 1
    assert "end date" in messages[0].template


# generate_slots ------------------------------------------------------------


def test_time_range_split_in_hour_slots():
    # 2025-01-06 is a Monday.
    slots = planning.generate_slots(
        date(2025, 1, 6), date(2025, 1, 6), {0}, 60, time_range=(time(9), time(12))
    )
    assert slots == [(dt(6, 9), dt(6, 10)), (dt(6, 10), dt(6, 11)), (dt(6, 11), dt(6, 12))]


def test_remainder_shorter_than_a_slot_is_dropped():
    slots = planning.generate_slots(
        date(2025, 1, 6), date(2025, 1, 6), {0}, 60, time_range=(time(9), time(12, 30))
    )
    assert [start.time() for start, _end in slots] == [time(9), time(10), time(11)]


def test_weekdays_filter_keeps_only_chosen_days():
    # Monday 6 to Sunday 19 January: two Mondays and two Wednesdays.
    slots = planning.generate_slots(
        date(2025, 1, 6), date(2025, 1, 19), {0, 2}, 60, start_times=[time(14)]
    )
    assert [start for start, _end in slots] == [dt(6, 14), dt(8, 14), dt(13, 14), dt(15, 14)]
    assert all(end - start == timedelta(hours=1) for start, end in slots)


def test_explicit_start_times_are_sorted_without_duplicates():
    slots = planning.generate_slots(
        date(2025, 1, 6), date(2025, 1, 6), {0}, 45, start_times=[time(14), time(9), time(14)]
    )
    assert slots == [(dt(6, 9), dt(6, 9, 45)), (dt(6, 14), dt(6, 14, 45))]


def test_start_times_and_range_are_merged():
    slots = planning.generate_slots(
        date(2025, 1, 6),
        date(2025, 1, 6),
        {0},
        60,
        start_times=[time(9), time(16)],
        time_range=(time(9), time(11)),
    )
    assert [start.hour for start, _end in slots] == [9, 10, 16]


def test_invalid_inputs_give_no_slot():
    day = date(2025, 1, 6)
    assert planning.generate_slots(day, day, {0}, 0, time_range=(time(9), time(12))) == []
    assert planning.generate_slots(day, day, set(), 60, start_times=[time(9)]) == []
    assert (
        planning.generate_slots(day, day - timedelta(days=1), {0}, 60, start_times=[time(9)]) == []
    )


# check_slot_request --------------------------------------------------------


def test_valid_slot_request():
    assert (
        planning.check_slot_request(
            date(2025, 1, 1), date(2025, 1, 31), {0, 1, 2, 3, 4}, 60, time_range=(time(9), time(17))
        )
        == []
    )


def test_slot_request_problems_are_all_reported():
    messages = planning.check_slot_request(date(2025, 1, 1), date(2025, 1, 31), set(), 0)
    templates = " ".join(message.template for message in messages)
    assert len(messages) == 3
    assert "day of the week" in templates
    assert "start times or a time range" in templates
    assert "duration" in templates


def test_slot_request_with_inverted_range_or_dates():
    messages = planning.check_slot_request(
        date(2025, 1, 1), date(2025, 1, 31), {0}, 60, time_range=(time(12), time(9))
    )
    assert [m.template for m in messages] == ["The end of the time range must be after its start."]
    messages = planning.check_slot_request(
        date(2025, 1, 31), date(2025, 1, 1), {0}, 60, start_times=[time(9)]
    )
    assert len(messages) == 1 and "end date" in messages[0].template


def test_slot_request_over_5000_slots_is_refused():
    # 2025: 365 days, every day, 14 slots of 30 minutes from 9:00 to 16:00 = 5110 slots.
    args = (date(2025, 1, 1), date(2025, 12, 31), set(range(7)), 30)
    messages = planning.check_slot_request(*args, time_range=(time(9), time(16)))
    assert len(messages) == 1
    assert messages[0].params == {"count": 5110, "max": 5000}
    slots = planning.generate_slots(*args, time_range=(time(9), time(16)))
    assert len(slots) == 5110
    assert planning.check_slot_request(*args, time_range=(time(9), time(15, 30))) == []


def test_slot_count_matches_generation_for_partial_weeks():
    args = (date(2025, 1, 2), date(2025, 1, 25), {0, 3, 5}, 60)
    slots = planning.generate_slots(*args, start_times=[time(9), time(10)])
    messages = planning.check_slot_request(
        *args, start_times=[time(9), time(10)], max_slots=len(slots) - 1
    )
    # Thursdays 2, 9, 16, 23; Mondays 6, 13, 20; Saturdays 4, 11, 18, 25.
    assert messages[0].params["count"] == len(slots) == 2 * 11


def test_slot_request_producing_nothing_is_refused():
    # Range shorter than one slot.
    messages = planning.check_slot_request(
        date(2025, 1, 6), date(2025, 1, 6), {0}, 60, time_range=(time(9), time(9, 30))
    )
    assert [m.template for m in messages] == ["These settings do not produce any slot."]
    # Tuesday only, on a Monday.
    assert planning.check_slot_request(
        date(2025, 1, 6), date(2025, 1, 6), {1}, 60, start_times=[time(9)]
    )


# split_free_slots ----------------------------------------------------------


def test_busy_slots_are_skipped_and_counted():
    slots = [(dt(6, 9), dt(6, 10)), (dt(6, 10), dt(6, 11)), (dt(6, 11), dt(6, 12))]
    busy = [(dt(6, 10, 30), dt(6, 10, 45))]
    free, skipped = planning.split_free_slots(slots, busy)
    assert free == [slots[0], slots[2]]
    assert skipped == [slots[1]]


def test_touching_busy_interval_does_not_overlap():
    slots = [(dt(6, 10), dt(6, 11))]
    busy = [(dt(6, 9), dt(6, 10)), (dt(6, 11), dt(6, 12))]
    assert planning.split_free_slots(slots, busy) == (slots, [])


def test_long_busy_interval_hidden_behind_a_later_start():
    # The all-day busy interval starts first; shorter ones come after it.
    busy = [(dt(6, 8), dt(6, 18)), (dt(6, 8, 30), dt(6, 8, 45))]
    slots = [(dt(6, 16), dt(6, 17)), (dt(6, 18), dt(6, 19))]
    free, skipped = planning.split_free_slots(slots, busy)
    assert free == [slots[1]] and skipped == [slots[0]]


def test_slots_overlapping_each_other_keep_the_first():
    slots = [
        (dt(6, 9, 30), dt(6, 10, 30)),
        (dt(6, 9), dt(6, 10)),
        (dt(6, 9), dt(6, 10)),
        (dt(6, 10), dt(6, 11)),
    ]
    free, skipped = planning.split_free_slots(slots, [])
    assert free == [(dt(6, 9), dt(6, 10)), (dt(6, 10), dt(6, 11))]
    assert sorted(skipped) == [(dt(6, 9), dt(6, 10)), (dt(6, 9, 30), dt(6, 10, 30))]


def test_split_free_slots_is_fast_on_thousands_of_slots():
    start = datetime(2025, 1, 1, 0, 0)
    slots = [(start + timedelta(hours=i), start + timedelta(hours=i + 1)) for i in range(20000)]
    busy = [
        (start + timedelta(hours=2 * i, minutes=15), start + timedelta(hours=2 * i, minutes=30))
        for i in range(20000)
    ]
    began = clock.perf_counter()
    free, skipped = planning.split_free_slots(slots, busy)
    assert clock.perf_counter() - began < 2
    assert len(free) == 10000 and len(skipped) == 10000


# find_overlaps -------------------------------------------------------------


def test_overlaps_only_within_the_same_key():
    intervals = [
        ("anne", dt(6, 9), dt(6, 10)),
        ("paul", dt(6, 9), dt(6, 10)),
        ("anne", dt(6, 9, 30), dt(6, 10, 30)),
        ("anne", dt(6, 10, 30), dt(6, 11)),
        ("anne", dt(6, 8), dt(6, 12)),
    ]
    assert planning.find_overlaps(intervals) == [(0, 2), (0, 4), (2, 4), (3, 4)]


def test_no_overlap_for_back_to_back_intervals():
    intervals = [("anne", dt(6, h), dt(6, h + 1)) for h in range(8, 18)]
    assert planning.find_overlaps(intervals) == []
    assert planning.find_overlaps([]) == []


# sheet_names ---------------------------------------------------------------


def test_forbidden_characters_and_apostrophes_are_removed():
    assert planning.sheet_names(["Paris [12]: a/b\\c*?", "  'Lyon'  ", "?*/", ""]) == [
        "Paris 12 abc",
        "Lyon",
        "Site",
        "Site (2)",
    ]


def test_names_are_cut_to_31_characters():
    name = "Maison des associations de Villeurbanne"
    (result,) = planning.sheet_names([name])
    assert result == name[:31] and len(result) == 31


def test_duplicates_after_cut_get_a_numbered_end():
    first = "Maison des associations de Villeurbanne Nord"
    second = "Maison des associations de Villeurbanne Sud"
    third = "Maison des associations de Villeurbanne Est"
    result = planning.sheet_names([first, second, third])
    # The cut end "...de " loses its trailing space before the number.
    assert result == [
        first[:31],
        "Maison des associations de (2)",
        "Maison des associations de (3)",
    ]
    assert all(len(name) <= 31 for name in result)


def test_duplicates_are_case_insensitive_and_order_is_kept():
    result = planning.sheet_names(["Lyon", "Agen", "LYON", "lyon", "Lyon (2)"])
    assert result == ["Lyon", "Agen", "LYON (2)", "lyon (3)", "Lyon (2) (2)"]
    assert len({name.lower() for name in result}) == len(result)


def test_reserved_history_name_is_renamed():
    assert planning.sheet_names(["History"]) == ["History (2)"]


# is_formula_like -----------------------------------------------------------


def test_formula_like_texts():
    for text in ("=1+1", "+33 1 02", "-5", "@SUM(A1)"):
        assert planning.is_formula_like(text)
    for text in ("", " =1", "Lyon", "a=b"):
        assert not planning.is_formula_like(text)
