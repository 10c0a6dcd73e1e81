from datetime import date, datetime

from activcrea_odoo.rules import registrants
from activcrea_odoo.rules.registrants import PeopleIndex, SlotIndex

START = datetime(2026, 1, 12, 8, 0)


def row(**values):
    base = {
        "france_travail_id": "1234567A",
        "lastname": "LEFEBVRE",
        "firstname": "Camille",
        "email": "camille@example.org",
        "phone": "+33612345678",
        "birthdate": date(1988, 3, 14),
        "meeting_local": datetime(2026, 1, 12, 9, 0),
        "meeting_utc": START,
        "order_number": None,
        "advisor_name": "MARTIN Sophie",
        "agency_code": "59041",
        "title": "Mme",
    }
    base.update(values)
    return base


def known_partner():
    """The person of ``row()`` as the import reads her from the database."""
    return {
        "id": 55,
        "name": "Camille LEFEBVRE",
        "email": "camille@example.org",
        "phone": "+33612345678",
        "france_travail_id": "1234567A",
        "birthdate": date(1988, 3, 14),
    }


def known_enrolment(**values):
    """Her enrolment as the import reads it (J-10, no order number yet)."""
    base = {
        "id": 9,
        "start_date": date(2026, 1, 12),
        "site_id": 1,
        "resource_id": 4,
        "order_number": None,
        "ft_advisor": "MARTIN Sophie",
        "ft_agency_code": "59041",
        "confirmation": "pending",
    }
    base.update(values)
    return base


def test_people_found_by_id_then_email_then_name_and_birthdate():
    people = PeopleIndex(
        [
            {"id": 1, "france_travail_id": "1234567A", "name": "X"},
            {"id": 2, "email": "camille@example.org", "name": "Y"},
            {"id": 3, "name": "Camille Lefebvre", "birthdate": date(1988, 3, 14)},
        ]
    )
    assert people.find(row()) == 1
    assert people.find(row(france_travail_id="7654321B")) == 2
    assert people.find(row(france_travail_id="7654321B", email=None)) == 3
    # "LEFEBVRE Camille" order and accents/case do not matter
    people = PeopleIndex([{"id": 4, "name": "lefebvre camille", "birthdate": date(1988, 3, 14)}])
    assert people.find(row(email=None)) == 4
    assert people.find(row(email=None, birthdate=date(1990, 1, 1))) is None


def test_a_person_with_another_identifier_never_matches():
    people = PeopleIndex(
        [{"id": 2, "email": "camille@example.org", "france_travail_id": "9999999Z"}]
    )
    assert people.find(row()) is None


def event(event_id, participants, user_id=10, site_id=1, start=START):
    return {
        "id": event_id,
        "site_id": site_id,
        "start": start,
        "participants": set(participants),
        "user_id": user_id,
    }


def test_slot_choice():
    organizers = {10: 100, 11: 110}
    slots = SlotIndex([event(1, [100]), event(2, [110], user_id=11)], organizers)
    # a free slot for the first newcomer, the other free slot for the second, then none
    assert slots.choose(None, 1, START) == (1, False, [])
    assert slots.choose(None, 1, START) == (2, False, [])
    assert slots.choose(None, 1, START) == (None, False, [])
    # another site or another time: no slot
    assert SlotIndex([event(1, [100])], organizers).choose(None, 2, START)[0] is None


def test_slot_choice_keeps_and_moves_a_known_participant():
    organizers = {10: 100}
    moved = START.replace(hour=9)
    slots = SlotIndex([event(1, [100, 55]), event(2, [100], start=moved)], organizers)
    assert slots.choose(55, 1, START) == (1, True, [])
    slots = SlotIndex([event(1, [100, 55]), event(2, [100], start=moved)], organizers)
    assert slots.choose(55, 1, moved) == (2, False, [1])


def test_slot_taken_by_an_entrepreneur_is_not_offered():
    slots = SlotIndex([event(1, [100, 77])], {10: 100})
    assert slots.choose(55, 1, START) == (None, False, [])


def test_partner_changes_fill_and_correct_never_erase():
    partner = {
        "id": 1,
        "name": "Camille Lefebvre",
        "email": "old@example.org",
        "phone": "06 12 34 56 78",
    }
    changes = registrants.partner_changes(row(), partner)
    assert changes == {
        "email": "camille@example.org",
        "france_travail_id": "1234567A",
        "birthdate": date(1988, 3, 14),
    }
    assert registrants.partner_changes(row(email=None, phone=None), partner) == {
        "france_travail_id": "1234567A",
        "birthdate": date(1988, 3, 14),
    }


def test_confirmation():
    assert registrants.confirmation(row(order_number="2026000101"), "temporary") == "confirmed"
    assert registrants.confirmation(row(), "validated") == "not_confirmed"
    assert registrants.confirmation(row(), "temporary") == "pending"
    assert registrants.confirmation(row(), "temporary", "confirmed") == "confirmed"


def test_civility():
    assert registrants.civility(row(title="Mme")) == "madam"
    assert registrants.civility(row(title="M.")) == "mister"
    assert registrants.civility(row(title="")) is None
    assert registrants.partner_values(row(), {"madam": 3})["title"] == 3


def test_decide_statuses_and_labels():
    slots = SlotIndex([event(1, [100])], {10: 100})
    new = registrants.decide(row(), 1, None, None, slots, "temporary")
    assert new["status"] == "new"
    assert new["event_id"] == 1
    assert new["confirmation"] == "pending"

    partner = known_partner()
    enrolment = known_enrolment(site_id=(1, "Site"))
    slots = SlotIndex([event(1, [100, 55])], {10: 100})
    same = registrants.decide(row(), 1, partner, enrolment, slots, "temporary", resource_id=4)
    assert same["status"] == "unchanged"

    slots = SlotIndex([event(1, [100, 55])], {10: 100})
    j2 = registrants.decide(
        row(order_number="2026000101"),
        1,
        partner,
        enrolment,
        slots,
        "validated",
        resource_id=4,
        labels={"order_number": "Order number", "confirmation": "Confirmation"},
    )
    assert j2["status"] == "update"
    assert j2["enrolment_changes"] == {"order_number": "2026000101", "confirmation": "confirmed"}
    assert [m.render() for m in j2["messages"]] == ["Updated: Confirmation, Order number."]

    slots = SlotIndex([event(1, [100, 55])], {10: 100})
    refused = registrants.decide(row(), 1, partner, enrolment, slots, "validated", resource_id=4)
    assert refused["confirmation"] == "not_confirmed"
    assert any("not confirmed" in m.render() for m in refused["messages"])


def test_person_lang_is_the_company_language():
    installed = {"fr_FR", "en_US"}
    assert registrants.person_lang("fr_FR", "en_US", installed) == "fr_FR"
    assert registrants.person_lang(False, "en_US", installed) == "en_US"
    assert registrants.person_lang("de_DE", "fr_FR", installed) == "fr_FR"
    assert registrants.person_lang(None, None, installed) is None
    assert registrants.partner_values(row(), lang="fr_FR")["lang"] == "fr_FR"
    assert "lang" not in registrants.partner_values(row())


def test_decide_leaves_a_registration_cancelled_at_j2_as_it_is():
    """The same J-2 list imported again (or the J-10 one): a registration cancelled for
    want of an order number stays cancelled, out of any meeting, with no meeting to
    assign created and no slot taken from the other rows."""
    partner = known_partner()
    cancelled = known_enrolment(
        site_id=1,
        confirmation="not_confirmed",
        activcrea_cancelled_on=datetime(2026, 1, 10, 9, 0),
        activcrea_meeting_id=7,
    )
    for list_type in ("validated", "temporary"):
        # the person left the free slot 1 at the cancellation
        slots = SlotIndex([event(1, [100])], {10: 100})
        decision = registrants.decide(
            row(phone="0700000000"), 1, partner, cancelled, slots, list_type, resource_id=4
        )
        assert decision["status"] == "unchanged"
        assert decision["confirmation"] == "not_confirmed"
        assert decision["event_id"] == 7, "the meeting it was cancelled from"
        assert decision["attendee_ok"] is True, "not put back in it"
        assert decision["leave_event_ids"] == []
        assert decision["partner_changes"] == decision["enrolment_changes"] == {}
        assert [m.render() for m in decision["messages"]] == [
            "Registration already cancelled (France Travail did not confirm it): "
            "nothing to change."
        ]
        # the free slot stays for the next row
        assert slots.choose(None, 1, START)[0] == 1

    # its meeting as search_read gives it without load=None, or none at all: never None
    # (None would create a meeting to assign)
    slots = SlotIndex([], {})
    as_pair = dict(cancelled, activcrea_meeting_id=(7, "Meeting"))
    assert registrants.decide(row(), 1, partner, as_pair, slots, "validated")["event_id"] == 7
    without = dict(cancelled, activcrea_meeting_id=False)
    assert registrants.decide(row(), 1, partner, without, slots, "validated")["event_id"] is False

    # France Travail confirms it after all (an order number): decided as any other row
    slots = SlotIndex([event(1, [100])], {10: 100})
    confirmed = registrants.decide(
        row(order_number="2026000101"), 1, partner, cancelled, slots, "validated", resource_id=4
    )
    assert confirmed["status"] == "update"
    assert confirmed["confirmation"] == "confirmed"
    assert confirmed["event_id"] == 1
    # a pending enrolment (not cancelled) refused at J-2: decided as before
    slots = SlotIndex([event(1, [100, 55])], {10: 100})
    pending = dict(cancelled, confirmation="pending", activcrea_cancelled_on=False)
    refused = registrants.decide(row(), 1, partner, pending, slots, "validated", resource_id=4)
    assert refused["status"] == "update"
    assert refused["enrolment_changes"] == {"confirmation": "not_confirmed"}
