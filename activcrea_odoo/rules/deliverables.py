"""The deliverables France Travail asks for, and the checks before printing them.

Three documents are printed from an enrolment: the initial diagnostic report, the
end-of-service report (« bilan ») and the attendance sheet (« émargement »). Before one is
printed, the guide (section 6) asks to check the enrolment (a resource and a site, a start
date on or before the first action) and its Activ'Créa form (the required fields, the
diagnostic date equal to the first action's, the end of the service and exactly one reason).

:func:`check` returns every problem at once, each saying where to fix it, as
:class:`~.messages.Message` objects; the models translate them. The enrolment is handed over
as a plain mapping (see :data:`FACT_KEYS`), read in batch by the model.
"""

# pylint: disable=prefer-env-translation
# ``_`` here is the marker of rules/messages.py: the models translate with env._

import re
import unicodedata

from .messages import Message, _

DIAGNOSTIC = "diagnostic"
BILAN = "bilan"
ATTENDANCE = "attendance"
DOCUMENTS = (DIAGNOSTIC, BILAN, ATTENDANCE)

# The last part of the file names France Travail receives
FILE_SUFFIXES = {DIAGNOSTIC: "diagnostic", BILAN: "bilan", ATTENDANCE: "emargement"}
# The deposit date each document sets once deposited on Prest@ppli: the attendance sheet
# goes with the end-of-service report.
DEPOSIT_FIELDS = {
    DIAGNOSTIC: "deposit_diagnostic_date",
    BILAN: "deposit_bilan_date",
    ATTENDANCE: "deposit_bilan_date",
}

CONTINUED = "continued"
REDIRECTED = "redirected"

# What the checks read of one enrolment (missing keys count as empty).
FACT_KEYS = (
    "resource",  # truthy when set
    "site",
    "start_date",
    "first_action_date",  # date of the person's first action of the offer, or None
    "order_number",
    "ft_advisor",
    "ft_agency_code",
    "diagnostic_date",
    "diagnostic_outcome",  # "continued" / "redirected" / None
    "bilan_date",
    "bilan_outcome",
    "bilan_reason",
    "early_exit_date",
    "early_exit_reason",
    "abandon_date",
    "abandon_reason",
    "deposit_diagnostic_date",
    "deposit_bilan_date",
)

# Required fields of the form for the two national templates, with where to fill them in.
_FORM_REQUIRED = (
    (
        "order_number",
        _(
            "The order number is missing: fill it in on the enrolment, tab « Activ'Créa "
            "form », section « France Travail order »."
        ),
    ),
    (
        "ft_advisor",
        _(
            "The France Travail advisor is missing: fill it in on the enrolment, tab "
            "« Activ'Créa form », section « France Travail order »."
        ),
    ),
    (
        "ft_agency_code",
        _(
            "The France Travail agency code is missing: fill it in on the enrolment, tab "
            "« Activ'Créa form », section « France Travail order »."
        ),
    ),
    (
        "diagnostic_date",
        _(
            "The initial diagnostic date is missing: fill it in on the enrolment, tab "
            "« Activ'Créa form », section « Initial diagnostic »."
        ),
    ),
    (
        "diagnostic_outcome",
        _(
            "The outcome of the initial diagnostic is missing: choose it on the enrolment, "
            "tab « Activ'Créa form », section « Initial diagnostic »."
        ),
    ),
)


def _enrolment_checks(facts):
    """The checks of the « Parcours » page: resource, site, start date and first action."""
    problems = []
    if not facts.get("resource"):
        problems.append(
            Message(
                _(
                    "The enrolment has no resource: choose it on the enrolment, section "
                    "« Enrolment »."
                )
            )
        )
    if not facts.get("site"):
        problems.append(
            Message(
                _("The enrolment has no site: choose it on the enrolment, section « Enrolment ».")
            )
        )
    start, first = facts.get("start_date"), facts.get("first_action_date")
    if not start:
        problems.append(
            Message(
                _(
                    "The enrolment has no start date: fill it in on the enrolment, section "
                    "« Dates »."
                )
            )
        )
    if not first:
        problems.append(
            Message(
                _(
                    "The person has no action in this offer: add them to their first meeting "
                    "(button « Meetings » of the enrolment)."
                )
            )
        )
    elif start and start > first:
        problems.append(
            Message(
                _(
                    "The start date (%(start)s) is after the first action (%(first)s): correct "
                    "the start date on the enrolment, section « Dates », or the meeting "
                    "(button « Meetings »)."
                ),
                {"start": _date(start), "first": _date(first)},
            )
        )
    return problems


def _diagnostic_checks(facts):
    problems = [
        Message(template) for name, template in _FORM_REQUIRED if not facts.get(name)
    ]
    diagnostic, first = facts.get("diagnostic_date"), facts.get("first_action_date")
    if diagnostic and first and diagnostic != first:
        problems.append(
            Message(
                _(
                    "The initial diagnostic date (%(diagnostic)s) differs from the date of the "
                    "first action (%(first)s): correct it on the enrolment, tab « Activ'Créa "
                    "form », section « Initial diagnostic »."
                ),
                {"diagnostic": _date(diagnostic), "first": _date(first)},
            )
        )
    return problems


# The three ends of the service: (date, reason)
_EXITS = (
    ("bilan_date", "bilan_reason"),
    ("early_exit_date", "early_exit_reason"),
    ("abandon_date", "abandon_reason"),
)


def _bilan_checks(facts):
    if facts.get("diagnostic_outcome") == REDIRECTED:
        return [
            Message(
                _(
                    "The person was redirected to France Travail after the initial diagnostic: "
                    "there is no end-of-service report, the diagnostic report is the deliverable."
                )
            )
        ]
    problems = []
    dates = [name for name, _reason in _EXITS if facts.get(name)]
    reasons = [reason for _name, reason in _EXITS if facts.get(reason)]
    place = _(
        "on the enrolment, tab « Activ'Créa form », section « End of the service »"
    )
    if not dates:
        problems.append(
            Message(
                _(
                    "The date of the bilan, early exit or abandonment is missing: fill it in "
                    "%(place)s."
                ),
                {"place": Message(place)},
            )
        )
    if not reasons:
        problems.append(
            Message(
                _(
                    "No reason of bilan, early exit or abandonment is chosen: choose one "
                    "%(place)s."
                ),
                {"place": Message(place)},
            )
        )
    elif len(reasons) > 1:
        problems.append(
            Message(
                _(
                    "Several reasons are chosen among bilan, early exit and abandonment: keep "
                    "only one %(place)s."
                ),
                {"place": Message(place)},
            )
        )
    if facts.get("bilan_date") and not facts.get("bilan_outcome"):
        problems.append(
            Message(
                _(
                    "The outcome of the bilan (business creation relevant or not) is missing: "
                    "choose it %(place)s."
                ),
                {"place": Message(place)},
            )
        )
    return problems


def check(document, facts):
    """Every problem that prevents printing ``document`` for the enrolment ``facts``
    (a mapping with the keys of :data:`FACT_KEYS`), as a list of messages; empty when it
    may be printed."""
    if document not in DOCUMENTS:
        raise ValueError(f"Unknown deliverable: {document!r}")
    problems = _enrolment_checks(facts)
    if document == DIAGNOSTIC:
        problems += _diagnostic_checks(facts)
    elif document == BILAN:
        problems += _diagnostic_checks(facts) + _bilan_checks(facts)
    return problems


def due_documents(facts):
    """The documents of the enrolment due on Prest@ppli and not deposited yet, in order:
    the diagnostic report once the diagnostic outcome is recorded; the end-of-service
    report and the attendance sheet once an end of the service is recorded."""
    due = []
    outcome = facts.get("diagnostic_outcome")
    if outcome and not facts.get("deposit_diagnostic_date"):
        due.append(DIAGNOSTIC)
    ended = any(facts.get(name) for name, _reason in _EXITS)
    if outcome == CONTINUED and ended and not facts.get("deposit_bilan_date"):
        due += [BILAN, ATTENDANCE]
    return due


def split_name(name):
    """(LAST, First) from a person's name: the words written in capitals are the last name
    (« Camille LEFEBVRE », « LEFEBVRE Camille »); otherwise the last word is."""
    words = (name or "").split()
    last = [word for word in words if word.upper() == word and any(c.isalpha() for c in word)]
    if last and len(last) < len(words):
        first = [word for word in words if word not in last]
    else:
        last, first = words[-1:], words[:-1]
    return " ".join(last).upper(), " ".join(first)


def _file_part(text):
    ascii_text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-")


def file_name(france_travail_id, name, document):
    """``<France Travail id>_<LAST>_<First>_<document>.pdf``, in plain ASCII."""
    last, first = split_name(name)
    parts = [
        _file_part(france_travail_id) or "SANS-ID",
        _file_part(last),
        _file_part(first),
        FILE_SUFFIXES[document],
    ]
    return "_".join(part for part in parts if part) + ".pdf"


def _date(value):
    """A date as France Travail's documents write it: 31/01/2026."""
    return value.strftime("%d/%m/%Y") if hasattr(value, "strftime") else str(value)
