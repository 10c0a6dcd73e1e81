from datetime import date, datetime

from activcrea_odoo.rules import import_plan
from activcrea_odoo.rules.messages import Message
from activcrea_odoo.rules.prestappli import Row
from activcrea_odoo.rules.registrants import PeopleIndex, SlotIndex

START = datetime(2026, 1, 12, 8, 0)
HERE = "BGE - 3 RUE DE LA GARE ARMENTIERES"


def row(line, ft_id="1234567A", errors=(), **values):
    base = {
        "france_travail_id": ft_id,
        "lastname": "LEFEBVRE",
        "firstname": "Camille",
        "email": f"{ft_id.lower()}@example.org",
        "phone": "+33612345678",
        "birthdate": date(1988, 3, 14),
        "meeting_local": datetime(2026, 1, 12, 9, 0),
        "meeting_utc": START,
        "order_number": None,
        "location": HERE,
        "provider_siret": "41234567800021",
        "provider": "BGE",
    }
    base.update(values)
    return Row(line=line, values=base, errors=errors)


def test_other_providers_are_skipped():
    ours, skipped = import_plan.split_providers(
        [row(2), row(3, provider_siret="99999999900011", provider="CCI")],
        {"41234567800021"},
        {"BGE"},
    )
    assert [r.line for r in ours] == [2]
    assert [(line.row.line, line.status) for line in skipped] == [(3, "skipped")]
    assert skipped[0].messages[0].params == {"provider": "CCI"}


def test_sort_rows_errors_sites_and_same_person():
    bad = row(3, ft_id="7654321B", errors=(Message("bad id"),))
    elsewhere = row(5, ft_id="1111111C", location="ELSEWHERE")
    sorted_rows = import_plan.sort_rows(
        [row(2), bad, row(4), elsewhere],
        {HERE: 1, "ELSEWHERE": 2},
        {1: ("Armentières", True), 2: ("Lille", False)},
        "Activ'Créa",
        settled=[import_plan.Line(row(6), "skipped", [])],
    )
    assert [r.line for r in sorted_rows.rows] == [2]
    statuses = {line.row.line: line.status for line in sorted_rows.lines}
    assert statuses == {3: "error", 4: "skipped", 5: "error", 6: "skipped"}
    same = next(line for line in sorted_rows.lines if line.row.line == 4)
    assert same.messages[0].params == {"row": 2}
    site = next(line for line in sorted_rows.lines if line.row.line == 5)
    assert site.messages[0].render() == (
        "the site \"Lille\" is not a site of the offer \"Activ'Créa\"."
    )


def test_sort_rows_leaves_the_rows_as_read():
    """The rows of a file are read once for its preview and its confirmation: sorting
    them twice gives the same lines, each message once."""
    elsewhere = row(5, ft_id="1111111C", location="ELSEWHERE")
    for _pass in range(2):
        sorted_rows = import_plan.sort_rows(
            [elsewhere], {"ELSEWHERE": 2}, {2: ("Lille", False)}, "Activ'Créa"
        )
        assert [len(line.messages) for line in sorted_rows.lines] == [1]
    assert elsewhere.errors == ()


def test_list_type():
    assert import_plan.list_type([row(2)]) == "temporary"
    assert import_plan.list_type([row(2), row(3, order_number="2026")]) == "validated"
    assert import_plan.list_type([row(2)], "validated") == "validated"


def test_decide_rows_then_meetings_participants_and_lines():
    slot = {"id": 7, "site_id": 1, "start": START, "participants": {100}, "user_id": 10}
    slots = SlotIndex([slot], {10: 100})
    known = row(3, ft_id="7654321B", order_number="2026000101")
    people = PeopleIndex([{"id": 55, "france_travail_id": "7654321B", "name": "X"}])
    rows = [row(2), known]
    decisions = import_plan.decide_rows(
        rows, {HERE: 1}, people, {}, slots, "validated", resource_id=4, labels={}
    )
    # the first row takes the free slot, the second finds none and needs a meeting
    assert decisions[2]["event_id"] == 7 and decisions[2]["status"] == "new"
    assert decisions[3]["event_id"] is None and decisions[3]["partner_id"] == 55
    assert decisions[3]["status"] == "update"
    assert import_plan.meetings_to_create(rows, decisions) == [known]
    assert decisions[2]["confirmation"] == "not_confirmed"
    lines = import_plan.plan_lines(import_plan.Sorted(rows, []), decisions)
    assert [line.row.line for line in lines] == [2, 3]
    counts = import_plan.counts(lines)
    assert (counts["count_new"], counts["count_update"], counts["count_not_confirmed"]) == (1, 1, 1)
    # once the person of row 2 exists, they join the slot
    decisions[2]["partner_id"] = 56
    decisions[3].update(event_id=8, attendee_ok=True)
    assert import_plan.participants(rows, decisions) == ([(7, 56)], [])
    assert import_plan.confirmed_flags(rows, decisions) == {(7, 56): False, (8, 55): True}
    values = import_plan.line_values(lines[1])
    assert (values["partner_id"], values["event_id"], values["not_confirmed"]) == (55, 8, False)


def test_changes_grouped_and_lines_compared():
    rows = [row(2), row(3), row(4)]
    decisions = {
        2: {"partner_id": 1, "partner_changes": {"phone": "+33600000000"}},
        3: {"partner_id": 2, "partner_changes": {"phone": "+33600000000"}},
        4: {"partner_id": 3, "partner_changes": {}},
    }
    assert import_plan.group_changes(rows, decisions, "partner_changes", "partner_id") == [
        ({"phone": "+33600000000"}, [1, 2])
    ]
    stored = {"status": "new", "order_number": False, "partner_id": False}
    assert import_plan.line_changes(stored, {"status": "new", "order_number": None}) == {}
    assert import_plan.line_changes(stored, {"status": "new", "partner_id": 9}) == {
        "partner_id": 9
    }


def test_a_known_person_leaves_their_former_slots_only():
    moved = START.replace(hour=9)
    events = [
        {"id": 1, "site_id": 1, "start": START, "participants": {100, 55}, "user_id": 10},
        {"id": 2, "site_id": 1, "start": moved, "participants": {100}, "user_id": 10},
        {"id": 3, "site_id": 1, "start": moved, "participants": {100, 66}, "user_id": 10},
    ]
    slots = SlotIndex(events, {10: 100})
    assert slots.choose(55, 1, moved) == (2, False, [1])
    assert slots.choose(66, 1, moved) == (3, True, [])
