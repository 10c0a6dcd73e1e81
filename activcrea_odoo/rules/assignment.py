"""Which counselors to propose for a registrant whose meeting has no counselor yet.

The guide (section 4, « Affecter les rendez-vous aux conseillers ») ranks the counselors
in four categories; the first proposal of the first category is the one to choose:

1. SLOT_SAME_TIME: a free slot of the counselor at the meeting's site and time;
2. SLOT_OTHER_TIME: a free slot of the counselor at the site at another time (the nearest);
3. WORKS_AT_SITE: the site is one of the counselor's work sites, nothing planned then;
4. OTHER_SITE: the counselor works at other sites, nothing planned then.

Each counselor is proposed once, in their best category. A counselor busy at the time of
the meeting (any event of theirs overlaps it) is never proposed in categories 3 and 4.

The model reads the meetings, counselors and events of the period once and hands them here
as plain values; :func:`propose` ranks every meeting without any query. Meetings are taken
in order (start, site, id): the slot or the hour of a counselor that is the *first*
proposal of one meeting is not offered to the next ones, so that applying every row's first
proposal never gives one slot, or one hour of a counselor, to two registrants.
"""

# pylint: disable=prefer-env-translation
# ``_`` here is the marker of rules/messages.py: the models translate with env._

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from .messages import Message, _

SLOT_SAME_TIME = 1
SLOT_OTHER_TIME = 2
WORKS_AT_SITE = 3
OTHER_SITE = 4
CATEGORIES = (SLOT_SAME_TIME, SLOT_OTHER_TIME, WORKS_AT_SITE, OTHER_SITE)

# A slot "at another time" is looked for this far before and after the meeting
WINDOW = timedelta(days=14)
# Proposals kept per meeting: every one of categories 1-3 comes before category 4
LIMIT = 10

# The guide's "message", "explication métier" and "impact" of each category
LABELS = {
    SLOT_SAME_TIME: _("Has reserved a slot at the site, at the registrant's time"),
    SLOT_OTHER_TIME: _("Has reserved a slot at the site, at another time"),
    WORKS_AT_SITE: _("Works at the site, nothing planned at that time"),
    OTHER_SITE: _("Works at another site"),
}
EXPLANATIONS = {
    SLOT_SAME_TIME: _(
        "A slot was reserved in the counselor's agenda at the site and at the time of the "
        "meeting. Choose first among the counselors of this category. Applying adds the "
        "registrant to that slot and removes the meeting created by the import."
    ),
    SLOT_OTHER_TIME: _(
        "The counselor has a free slot at the site, but none at the time of the meeting. "
        "Check that the time in France Travail's list is right. Applying adds the registrant "
        "to that slot; the meeting created by the import is removed only if you tick it."
    ),
    WORKS_AT_SITE: _(
        "The counselor works at the site and has nothing planned at the time of the meeting. "
        "Applying moves the meeting created by the import into the counselor's agenda."
    ),
    OTHER_SITE: _(
        "The counselor works at other sites and has nothing planned at the time of the "
        "meeting. Applying moves the meeting created by the import into the counselor's "
        "agenda."
    ),
}
WARNINGS = {
    SLOT_OTHER_TIME: _(
        "The slot is at %(slot_time)s, not at the time of France Travail's list: tell the "
        "registrant. Unless you remove it, the registrant keeps two meetings."
    ),
    OTHER_SITE: _(
        "The place differs: the counselor works at %(sites)s, not at %(site)s. Check that "
        "they can come to the site."
    ),
}


@dataclass(frozen=True)
class Meeting:
    """A meeting created by the import that needs a counselor (naive UTC datetimes)."""

    id: int
    site_id: int
    start: datetime
    stop: datetime


@dataclass(frozen=True)
class Counselor:
    id: int
    name: str
    site_ids: frozenset = frozenset()


@dataclass(frozen=True)
class Event:
    """An event of a counselor's agenda. ``free_slot``: a first-step slot of the offer,
    organised by the counselor, with no registrant yet."""

    id: int
    user_id: int
    start: datetime
    stop: datetime
    site_id: int = None
    free_slot: bool = False


@dataclass(frozen=True)
class Proposal:
    meeting_id: int
    user_id: int
    category: int
    rank: int
    event_id: int = None
    event_start: datetime = None

    def explanation(self):
        return Message(EXPLANATIONS[self.category])


@dataclass
class _Agenda:
    """One counselor's busy intervals and free slots, as the ranking goes on."""

    busy: list = field(default_factory=list)
    slots: list = field(default_factory=list)

    def is_busy(self, start, stop):
        return any(begin < stop and start < end for begin, end in self.busy)

    def load(self, day):
        return sum(1 for begin, _end in self.busy if begin.date() == day)


def overlaps(start, stop, other_start, other_stop):
    return other_start < stop and start < other_stop


def propose(meetings, counselors, events, window=WINDOW, limit=LIMIT):
    """Ranked proposals of every meeting: ``{meeting id: [Proposal, ...]}``.

    ``counselors`` are the active counselors that may be proposed; ``events`` every event
    of theirs around the meetings (their slots included). Ties within a category go to
    the nearest slot (category 2), then to the counselor with fewer events that day, then
    by name and id.
    """
    agendas = {counselor.id: _Agenda() for counselor in counselors}
    for event in events:
        agenda = agendas.get(event.user_id)
        if agenda is None:
            continue
        agenda.busy.append((event.start, event.stop))
        if event.free_slot and event.site_id:
            agenda.slots.append(event)
    promised = set()
    result = {}
    for meeting in sorted(meetings, key=lambda m: (m.start, m.site_id or 0, m.id)):
        proposals = _rank(meeting, counselors, agendas, promised, window)[:limit]
        result[meeting.id] = proposals
        if proposals:
            first = proposals[0]
            if first.event_id:
                promised.add(first.event_id)
            else:
                agendas[first.user_id].busy.append((meeting.start, meeting.stop))
    return result


def _rank(meeting, counselors, agendas, promised, window):
    day = meeting.start.date()
    candidates = []  # (category, sort key, counselor, slot)
    for counselor in counselors:
        agenda = agendas[counselor.id]
        here = [
            slot
            for slot in agenda.slots
            if slot.site_id == meeting.site_id and slot.id not in promised
        ]
        same_time = [slot for slot in here if slot.start == meeting.start]
        if same_time:
            slot = min(same_time, key=lambda s: s.id)
            candidates.append((SLOT_SAME_TIME, (0,), counselor, slot))
            continue
        other_time = [slot for slot in here if abs(slot.start - meeting.start) <= window]
        if other_time:
            slot = min(other_time, key=lambda s: (abs(s.start - meeting.start), s.start, s.id))
            distance = abs(slot.start - meeting.start).total_seconds()
            candidates.append((SLOT_OTHER_TIME, (distance,), counselor, slot))
            continue
        if not counselor.site_ids or agenda.is_busy(meeting.start, meeting.stop):
            continue
        category = WORKS_AT_SITE if meeting.site_id in counselor.site_ids else OTHER_SITE
        candidates.append((category, (), counselor, None))
    candidates.sort(
        key=lambda c: (
            c[0],
            c[1],
            agendas[c[2].id].load(day),
            (c[2].name or "").casefold(),
            c[2].id,
        )
    )
    return [
        Proposal(
            meeting_id=meeting.id,
            user_id=counselor.id,
            category=category,
            rank=rank,
            event_id=slot.id if slot else None,
            event_start=slot.start if slot else None,
        )
        for rank, (category, _key, counselor, slot) in enumerate(candidates, start=1)
    ]


def first_conflicts(choices):
    """Pairs of rows that a single application would give the same slot or the same hour
    of a counselor: ``choices`` are ``(row key, user id, slot id or None, start, stop)``."""
    conflicts = []
    seen_slots, seen_hours = {}, []
    for key, user_id, slot_id, start, stop in choices:
        if slot_id:
            if slot_id in seen_slots:
                conflicts.append((seen_slots[slot_id], key))
            seen_slots[slot_id] = key
            continue
        for other_key, other_user, other_start, other_stop in seen_hours:
            if other_user == user_id and overlaps(start, stop, other_start, other_stop):
                conflicts.append((other_key, key))
        seen_hours.append((key, user_id, start, stop))
    return conflicts
