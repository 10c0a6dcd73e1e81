"""Planning rules: export periods, slot generation, free slots, sheet names.

Dates and datetimes are local and naive; an interval is a ``(start, end)`` pair
where ``end`` is excluded, so two intervals overlap when
``start_a < end_b and start_b < end_a`` (back-to-back slots do not overlap).
"""

# pylint: disable=prefer-env-translation
# ``_`` here is the marker of rules/messages.py: the models translate with env._

import heapq
import string
from bisect import bisect_left
from datetime import datetime, timedelta

from .messages import Message, _

MAX_SLOTS = 5000
SHEET_NAME_MAX = 31
SHEET_NAME_FORBIDDEN = str.maketrans("", "", "[]:*?/\\")
SHEET_NAME_STRIP = string.whitespace + "'"
DEFAULT_SHEET_NAME = "Site"
# Excel refuses a sheet called "History" (any case).
RESERVED_SHEET_NAMES = frozenset({"history"})
FORMULA_PREFIXES = ("=", "+", "-", "@")


def _check_dates(date_from, date_to):
    if not date_from or not date_to:
        return [Message(_("Enter both the start date and the end date."))]
    if date_to < date_from:
        return [Message(_("The end date must be on or after the start date."))]
    return []


def check_period(date_from, date_to, max_days=31):
    """Check an export period; both ends are included in its length."""
    messages = _check_dates(date_from, date_to)
    if messages:
        return messages
    days = (date_to - date_from).days + 1
    if days > max_days:
        return [
            Message(
                _("The period covers %(days)s days; it may cover at most %(max_days)s days."),
                {"days": days, "max_days": max_days},
            )
        ]
    return []


def _day_start_times(slot_minutes, start_times=None, time_range=None):
    """Sorted distinct start times of one day (empty for unusable inputs)."""
    if not slot_minutes or slot_minutes <= 0:
        return []
    times = set(start_times or ())
    if time_range and all(time_range):
        time_from, time_to = time_range
        day = datetime(2000, 1, 1)
        start, stop = datetime.combine(day, time_from), datetime.combine(day, time_to)
        step = timedelta(minutes=slot_minutes)
        while start + step <= stop:
            times.add(start.time())
            start += step
    return sorted(times)


def _days(date_from, date_to, weekdays):
    """Dates from ``date_from`` to ``date_to`` (inclusive) falling on ``weekdays``."""
    day = date_from
    while day <= date_to:
        if day.weekday() in weekdays:
            yield day
        day += timedelta(days=1)


def _count_days(date_from, date_to, weekdays):
    """Number of dates yielded by :func:`_days`, computed without iterating."""
    weeks, rest = divmod((date_to - date_from).days + 1, 7)
    first = date_from.weekday()
    return weeks * len(weekdays) + sum((first + i) % 7 in weekdays for i in range(rest))


def generate_slots(date_from, date_to, weekdays, slot_minutes, start_times=None, time_range=None):
    """Slots ``(start, end)`` of ``slot_minutes`` on the chosen weekdays (0 = Monday).

    Start times are the explicit ``start_times`` plus the consecutive slots that fit
    in ``time_range = (time_from, time_to)`` (a shorter remainder is dropped).
    Invalid inputs give no slot: validate them with :func:`check_slot_request`.
    """
    if not date_from or not date_to or date_to < date_from:
        return []
    weekdays = {day for day in weekdays or () if 0 <= day <= 6}
    times = _day_start_times(slot_minutes, start_times, time_range)
    if not times:
        return []
    length = timedelta(minutes=slot_minutes)
    return [
        (start, start + length)
        for day in _days(date_from, date_to, weekdays)
        for start in (datetime.combine(day, time) for time in times)
    ]


def check_slot_request(
    date_from,
    date_to,
    weekdays,
    slot_minutes,
    start_times=None,
    time_range=None,
    max_slots=MAX_SLOTS,
):
    """Check the inputs of :func:`generate_slots`; return the problems found."""
    messages = _check_dates(date_from, date_to)
    weekdays = {day for day in weekdays or () if 0 <= day <= 6}
    if not weekdays:
        messages.append(Message(_("Choose at least one day of the week.")))
    has_range = bool(time_range and all(time_range))
    if not start_times and not has_range:
        messages.append(Message(_("Enter start times or a time range.")))
    if has_range and time_range[1] <= time_range[0]:
        messages.append(Message(_("The end of the time range must be after its start.")))
    if not slot_minutes or slot_minutes <= 0:
        messages.append(Message(_("The slot duration must be positive.")))
    if messages:
        return messages
    count = _count_days(date_from, date_to, weekdays) * len(
        _day_start_times(slot_minutes, start_times, time_range)
    )
    if not count:
        messages.append(Message(_("These settings do not produce any slot.")))
    elif count > max_slots:
        messages.append(
            Message(
                _(
                    "These settings produce %(count)s slots; "
                    "at most %(max)s may be created at once."
                ),
                {"count": count, "max": max_slots},
            )
        )
    return messages


def split_free_slots(slots, busy):
    """Split ``slots`` into ``(free, skipped)``, both sorted by start.

    A slot is skipped when it overlaps a busy interval or a slot already kept
    (slots are considered in chronological order, so exact duplicates keep one).
    Runs in O((n + m) log(n + m)): busy intervals are sorted by start with a running
    maximum of their ends, and each slot needs one bisection.
    """
    busy = sorted(busy)
    busy_starts = [start for start, _end in busy]
    max_ends = []
    for _start, end in busy:
        max_ends.append(max(end, max_ends[-1]) if max_ends else end)
    free, skipped = [], []
    for slot in sorted(slots):
        start, end = slot
        # Busy intervals starting before the slot ends are busy[:count].
        count = bisect_left(busy_starts, end)
        overlaps_busy = count and max_ends[count - 1] > start
        overlaps_kept = free and free[-1][0] < end and start < free[-1][1]
        (skipped if overlaps_busy or overlaps_kept else free).append(slot)
    return free, skipped


def find_overlaps(intervals):
    """Pairs ``(i, j)``, ``i < j``, of overlapping intervals sharing the same key.

    ``intervals`` is a list of ``(key, start, end)`` (key: e.g. a counselor).
    Sort and sweep: O(n log n + number of pairs).
    """
    pairs = []
    order = sorted(range(len(intervals)), key=lambda i: intervals[i][1:])
    open_by_key = {}  # key -> heap of (end, index) of intervals still open
    for index in order:
        key, start, end = intervals[index]
        heap = open_by_key.setdefault(key, [])
        while heap and heap[0][0] <= start:
            heapq.heappop(heap)
        for _other_end, other in heap:
            if intervals[other][1] < end:
                pairs.append((min(index, other), max(index, other)))
        heapq.heappush(heap, (end, index))
    return sorted(pairs)


def _clean_sheet_name(name):
    name = (name or "").translate(SHEET_NAME_FORBIDDEN).strip(SHEET_NAME_STRIP)
    return name[:SHEET_NAME_MAX].strip(SHEET_NAME_STRIP) or DEFAULT_SHEET_NAME


def sheet_names(names):
    """Valid, case-insensitively unique Excel sheet names, in the order of ``names``.

    Forbidden characters ``[]:*?/\\`` are removed, surrounding spaces and
    apostrophes stripped, an empty name becomes "Site", names are cut to 31
    characters and a repeated name gets its end replaced by " (2)", " (3)"...
    """
    used = set(RESERVED_SHEET_NAMES)
    result = []
    for name in map(_clean_sheet_name, names):
        candidate, number = name, 1
        while candidate.casefold() in used:
            number += 1
            suffix = f" ({number})"
            candidate = name[: SHEET_NAME_MAX - len(suffix)].rstrip() + suffix
        used.add(candidate.casefold())
        result.append(candidate)
    return result


def is_formula_like(text):
    """True when a spreadsheet would read ``text`` as a formula (first character)."""
    return isinstance(text, str) and text.startswith(FORMULA_PREFIXES)
