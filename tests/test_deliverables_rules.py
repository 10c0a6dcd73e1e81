from datetime import date

import pytest

from activcrea_odoo.rules import deliverables as rules
from activcrea_odoo.rules.deliverables import ATTENDANCE, BILAN, DIAGNOSTIC
from activcrea_odoo.rules.messages import render_all

FIRST = date(2026, 1, 12)


def complete(**changes):
    """An enrolment that passes every check: diagnostic on its first action, then a bilan."""
    facts = {
        "resource": 7,
        "site": 3,
        "start_date": date(2026, 1, 12),
        "first_action_date": FIRST,
        "order_number": "2026000101",
        "ft_advisor": "MARTIN Sophie",
        "ft_agency_code": "59041",
        "diagnostic_date": FIRST,
        "diagnostic_outcome": "continued",
        "bilan_date": date(2026, 4, 2),
        "bilan_outcome": "relevant",
        "bilan_reason": 4,
    }
    facts.update(changes)
    return facts


def problems(document, facts):
    return [message.render() for message in rules.check(document, facts)]


@pytest.mark.parametrize("document", rules.DOCUMENTS)
def test_complete_enrolment_passes_every_check(document):
    assert rules.check(document, complete()) == []


def test_unknown_document_is_refused():
    with pytest.raises(ValueError):
        rules.check("invoice", complete())


@pytest.mark.parametrize("document", rules.DOCUMENTS)
def test_resource_and_site_are_required_and_say_where(document):
    found = problems(document, complete(resource=False, site=None))
    assert len(found) == 2
    assert "no resource" in found[0] and "section « Enrolment »" in found[0]
    assert "no site" in found[1] and "section « Enrolment »" in found[1]


def test_start_date_after_first_action_is_refused_with_both_dates():
    (found,) = problems(ATTENDANCE, complete(start_date=date(2026, 1, 13)))
    assert "13/01/2026" in found and "12/01/2026" in found
    assert "section « Dates »" in found


def test_start_date_on_the_first_action_day_is_fine():
    assert problems(ATTENDANCE, complete(start_date=FIRST)) == []
    assert problems(ATTENDANCE, complete(start_date=date(2026, 1, 2))) == []


def test_no_start_date_and_no_action():
    found = problems(ATTENDANCE, complete(start_date=None, first_action_date=None))
    assert len(found) == 2
    assert "no start date" in found[0]
    assert "no action" in found[1] and "Meetings" in found[1]


def test_attendance_sheet_needs_no_form_field():
    facts = complete(
        order_number=False,
        ft_advisor=False,
        ft_agency_code=False,
        diagnostic_date=None,
        diagnostic_outcome=None,
        bilan_date=None,
        bilan_outcome=None,
        bilan_reason=None,
    )
    assert problems(ATTENDANCE, facts) == []


def test_every_problem_is_listed_at_once():
    facts = complete(
        resource=None,
        site=None,
        order_number="",
        ft_advisor="",
        ft_agency_code="",
        diagnostic_date=None,
        diagnostic_outcome=None,
    )
    found = problems(DIAGNOSTIC, facts)
    assert len(found) == 7
    for text in found[2:]:
        assert "tab « Activ'Créa form »" in text


def test_diagnostic_date_must_be_the_first_action_date():
    (found,) = problems(DIAGNOSTIC, complete(diagnostic_date=date(2026, 1, 15)))
    assert "15/01/2026" in found and "12/01/2026" in found
    assert "section « Initial diagnostic »" in found


def test_diagnostic_report_does_not_need_the_end_of_the_service():
    facts = complete(bilan_date=None, bilan_outcome=None, bilan_reason=None)
    assert problems(DIAGNOSTIC, facts) == []
    assert problems(DIAGNOSTIC, complete(diagnostic_outcome="redirected")) == []


def test_bilan_needs_an_exit_date_and_one_reason():
    found = problems(BILAN, complete(bilan_date=None, bilan_outcome=None, bilan_reason=None))
    assert len(found) == 2
    assert "date of the bilan, early exit or abandonment is missing" in found[0]
    assert "No reason" in found[1]
    assert all("section « End of the service »" in text for text in found)


def test_bilan_refuses_several_reasons():
    (found,) = problems(BILAN, complete(abandon_reason=9))
    assert "Several reasons" in found


@pytest.mark.parametrize(
    "changes",
    [
        {"early_exit_date": date(2026, 3, 1), "early_exit_reason": 5},
        {"abandon_date": date(2026, 3, 1), "abandon_reason": 6},
    ],
)
def test_bilan_for_an_early_exit_or_an_abandonment(changes):
    facts = complete(bilan_date=None, bilan_outcome=None, bilan_reason=None, **changes)
    assert problems(BILAN, facts) == []


def test_bilan_outcome_is_required_with_a_bilan():
    (found,) = problems(BILAN, complete(bilan_outcome=None))
    assert "outcome of the bilan" in found


def test_no_bilan_report_after_a_redirection():
    (found,) = problems(BILAN, complete(diagnostic_outcome="redirected", bilan_date=None))
    assert "redirected to France Travail" in found


def test_bilan_report_lists_the_diagnostic_problems_too():
    found = problems(BILAN, complete(order_number=None, site=None))
    assert len(found) == 2


def test_messages_translate_whole_with_their_place():
    translations = {}

    def translate(text):
        translations[text] = True
        return text.replace("enrolment", "ENROLMENT")

    text = render_all(rules.check(BILAN, complete(bilan_reason=None)), translate)
    assert "choose one on the ENROLMENT, tab « Activ'Créa form »" in text
    assert len(translations) == 2  # the sentence and its place


@pytest.mark.parametrize(
    "facts, expected",
    [
        (complete(diagnostic_outcome=None, bilan_date=None, bilan_reason=None), []),
        (complete(bilan_date=None, bilan_reason=None), [DIAGNOSTIC]),
        (complete(), [DIAGNOSTIC, BILAN, ATTENDANCE]),
        (complete(deposit_diagnostic_date=date(2026, 1, 20)), [BILAN, ATTENDANCE]),
        (complete(deposit_bilan_date=date(2026, 4, 3)), [DIAGNOSTIC]),
        (
            complete(deposit_diagnostic_date=date(2026, 1, 20), deposit_bilan_date=FIRST),
            [],
        ),
        (complete(diagnostic_outcome="redirected", bilan_date=None), [DIAGNOSTIC]),
        (
            complete(bilan_date=None, bilan_reason=None, abandon_date=date(2026, 2, 1)),
            [DIAGNOSTIC, BILAN, ATTENDANCE],
        ),
    ],
)
def test_due_documents(facts, expected):
    assert rules.due_documents(facts) == expected


@pytest.mark.parametrize(
    "name, expected",
    [
        ("Camille LEFEBVRE", ("LEFEBVRE", "Camille")),
        ("LEFEBVRE Camille", ("LEFEBVRE", "Camille")),
        ("Jean-Pierre DE LA TOUR", ("DE LA TOUR", "Jean-Pierre")),
        ("Camille Lefebvre", ("LEFEBVRE", "Camille")),
        ("Lefebvre", ("LEFEBVRE", "")),
        ("", ("", "")),
    ],
)
def test_split_name(name, expected):
    assert rules.split_name(name) == expected


def test_file_name_is_plain_ascii():
    assert (
        rules.file_name("1234567A", "Hélène DUPRÉ-MARTIN", DIAGNOSTIC)
        == "1234567A_DUPRE-MARTIN_Helene_diagnostic.pdf"
    )
    assert rules.file_name("1234567A", "Karim DUBOIS", ATTENDANCE) == (
        "1234567A_DUBOIS_Karim_emargement.pdf"
    )
    assert rules.file_name(False, "Karim DUBOIS", BILAN) == "SANS-ID_DUBOIS_Karim_bilan.pdf"
