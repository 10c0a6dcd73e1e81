"""The plan of an import of France Travail's list: which rows it writes, and how.

The model reads the file, the sites and the existing people, enrolments and meetings
once; these functions then sort and decide every row without any query, and the model
writes the result in batches. A row ends as one line of the import's history:
:class:`Line` (row, status, messages, decision).
"""

# pylint: disable=prefer-env-translation
# ``_`` here is the marker of rules/messages.py: the models translate with env._

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from . import registrants
from .messages import Message, _
from .prestappli import is_other_provider

OTHER_PROVIDER = _("Row of another provider (%(provider)s): not ours, skipped.")
SAME_PERSON = _("Same person as row %(row)s: skipped.")
SITE_NOT_IN_OFFER = _('the site "%(site)s" is not a site of the offer "%(ods)s".')

WRITTEN = ("new", "update", "unchanged")


@dataclass
class Line:
    """One row of the file as the import's history shows it."""

    row: object
    status: str
    messages: list
    decision: dict = field(default_factory=dict)


@dataclass
class Sorted:
    """The rows sorted out before any person is looked up."""

    rows: list  # the rows to decide, in file order
    lines: list  # the rows already settled (skipped, in error): :class:`Line`


def split_providers(rows, our_sirets, our_names):
    """``(ours, skipped)``: the rows of our provider, and the other providers' rows as
    skipped :class:`Line` (the market reference is then checked on ours only)."""
    ours, skipped = [], []
    for row in rows:
        values = row.values
        if is_other_provider(values, our_sirets, our_names):
            provider = values.get("provider") or values.get("provider_siret")
            skipped.append(Line(row, "skipped", [Message(OTHER_PROVIDER, {"provider": provider})]))
        else:
            ours.append(row)
    return ours, skipped


def sort_rows(rows, site_of, sites, ods_name, settled=()):
    """Flag the rows whose site is not one of the offer's, then keep the rows without
    error and, of each person (France Travail id), the first row only.

    ``site_of`` maps the file's addresses to site ids, ``sites`` maps those ids to
    ``(name, in the offer)``; ``settled`` are lines already decided (other providers).
    """
    lines, valid, first_row = list(settled), [], {}
    for row in rows:
        values = row.values
        name, in_offer = sites.get(site_of.get(values.get("location")), ("", True))
        errors = row.errors
        if not in_offer:  # the row is the file reader's: left as it is
            errors = [*errors, Message(SITE_NOT_IN_OFFER, {"site": name, "ods": ods_name})]
        if errors:
            lines.append(Line(row, "error", list(errors)))
            continue
        key = values["france_travail_id"]
        if key in first_row:
            lines.append(Line(row, "skipped", [Message(SAME_PERSON, {"row": first_row[key]})]))
            continue
        first_row[key] = row.line
        valid.append(row)
    return Sorted(valid, lines)


def list_type(rows, chosen=None):
    """The list chosen on the import, else read from the file: a list carrying order
    numbers (any row, ours or not) is the validated one (J-2)."""
    if chosen:
        return chosen
    return "validated" if any(row.values.get("order_number") for row in rows) else "temporary"


def lookup_keys(rows):
    """What to search existing people by: France Travail ids, e-mails, birth dates."""
    values = [row.values for row in rows]
    return (
        {value["france_travail_id"] for value in values},
        {value["email"] for value in values if value.get("email")},
        {value["birthdate"] for value in values if value.get("birthdate")},
    )


def decide_rows(rows, site_of, people, enrolment_of, slots, chosen_type, resource_id, labels):
    """Decide every row (see :func:`registrants.decide`); returns ``{line: decision}``
    where each decision also carries ``site_id``, ``partner_id`` and ``enrolment_id``."""
    decisions = {}
    for row in rows:
        site_id = site_of[row.values["location"]]
        partner_id = people.find(row.values)
        partner = people.get(partner_id)
        enrolment = enrolment_of.get(partner_id) if partner_id else None
        decision = registrants.decide(
            row.values,
            site_id,
            partner,
            enrolment,
            slots,
            chosen_type,
            resource_id=resource_id,
            labels=labels,
        )
        decision.update(
            site_id=site_id,
            partner_id=partner_id,
            enrolment_id=enrolment["id"] if enrolment else None,
        )
        decisions[row.line] = decision
    return decisions


def plan_lines(sorted_rows, decisions):
    """Every row of the file as a :class:`Line`, in file order."""
    lines = list(sorted_rows.lines)
    for row in sorted_rows.rows:
        decision = decisions[row.line]
        lines.append(Line(row, decision["status"], decision["messages"], decision))
    return sorted(lines, key=lambda line: line.row.line)


def counts(lines):
    """The import's counters, by line status, and the rows not confirmed."""
    counter = Counter(line.status for line in lines)
    return {
        "count_new": counter["new"],
        "count_update": counter["update"],
        "count_unchanged": counter["unchanged"],
        "count_skipped": counter["skipped"],
        "count_error": counter["error"],
        "count_not_confirmed": sum(
            1 for line in lines if line.decision.get("confirmation") == "not_confirmed"
        ),
    }


def meetings_to_create(rows, decisions):
    """The rows that found no planned slot: each gets a new meeting to assign."""
    return [row for row in rows if decisions[row.line]["event_id"] is None]


def participants(rows, decisions):
    """Who joins and who leaves which meeting: ``(joins, leaves)``, each a list of
    ``(event_id, partner_id)`` pairs (a new meeting already holds its person)."""
    joins, leaves = [], []
    for row in rows:
        decision = decisions[row.line]
        if not decision.get("attendee_ok"):
            joins.append((decision["event_id"], decision["partner_id"]))
        leaves += [(event_id, decision["partner_id"]) for event_id in decision["leave_event_ids"]]
    return joins, leaves


def confirmed_flags(rows, decisions):
    """``{(event_id, partner_id): confirmed}``: France Travail confirmed the registration
    (the row has an order number)."""
    return {
        (decisions[row.line]["event_id"], decisions[row.line]["partner_id"]): bool(
            row.values.get("order_number")
        )
        for row in rows
    }


def group_changes(rows, decisions, key, id_key):
    """``[(changes, [ids])]``: the same changes written once for all their records."""
    groups = defaultdict(list)
    for row in rows:
        decision = decisions[row.line]
        changes = decision.get(key)
        if changes:
            groups[tuple(sorted(changes.items()))].append(decision[id_key])
    return [(dict(changes), ids) for changes, ids in groups.items()]


def line_values(line):
    """The stored line of the import's history (``message`` rendered by the model)."""
    values, decision = line.row.values, line.decision
    return {
        "line_number": line.row.line,
        "status": line.status,
        "name": registrants.listed_name(values),
        "france_travail_id": values.get("france_travail_id"),
        "order_number": values.get("order_number"),
        "meeting": values.get("meeting_utc"),
        "location": values.get("location"),
        "site_id": decision.get("site_id"),
        "partner_id": decision.get("partner_id"),
        "enrolment_id": decision.get("enrolment_id"),
        "event_id": decision.get("event_id"),
        "not_confirmed": decision.get("confirmation") == "not_confirmed",
    }


def line_changes(stored, wanted):
    """The fields of a stored line (a dict of its values, many2one as ids) that differ
    from the ``wanted`` values: a line identical to the preview is not rewritten."""
    return {
        name: value
        for name, value in wanted.items()
        if (stored.get(name) or False) != (value or False)
    }
