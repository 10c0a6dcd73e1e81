import io
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest

from activcrea_odoo.rules import prestappli
from activcrea_odoo.rules.prestappli import (
    Row,
    is_other_provider,
    is_valid_france_travail_id,
    market_mismatches,
    normalize_phone,
    normalize_reference,
    parse_prescriber,
    read_registrants,
    read_registrants_shared,
)

SAMPLE = Path(__file__).parents[1] / "activcrea_odoo" / "static" / "tests" / "data" / "liste_inscrits_J-2.csv"

HEADERS = [
    "N° marché",
    "N° lot",
    "Prestation",
    "Prestataire",
    "SIRET prestataire",
    "Code site",
    "Date et heure RDV",
    "Lieu RDV",
    "Code postal",
    "Commune",
    "Modalité",
    "Date de réception",
    "Civilité",
    "Nom",
    "Prénom",
    "Identifiant France Travail",
    "N° de commande",
    "Courriel",
    "Téléphone",
    "Date de naissance",
    "Prescripteur",
]
ADDRESS = "BGE HAUTS DE FRANCE - 3 RUE DE LA GARE 59280 ARMENTIERES"


def record(**changes):
    """A standard row (header -> value), with some values changed."""
    values = dict(
        zip(
            HEADERS,
            [
                "MA-2025-0042",
                "3",
                "ACTIV'CREA",
                "BGE HAUTS DE FRANCE",
                "41234567800021",
                "ARM",
                "12/01/2026 09:00",
                ADDRESS,
                "59280",
                "ARMENTIERES",
                "Présentiel",
                "10/01/2026",
                "Mme",
                "LEFEBVRE",
                "Camille",
                "1234567A",
                "2026000101",
                "Camille.Lefebvre@Example.org",
                "06 12 34 56 78",
                "14/03/1988",
                "MARTIN Sophie - 59041 ARMENTIERES",
            ],
            strict=False,
        )
    )
    values.update(changes)
    return values


def make_csv(records, headers=HEADERS, delimiter=";", newline="\r\n", encoding="utf-8-sig"):
    lines = [delimiter.join(headers)]
    lines += [delimiter.join(values.get(header, "") for header in headers) for values in records]
    return (newline.join(lines) + newline).encode(encoding)


def read_one(content):
    result = read_registrants(content)
    assert result.errors == ()
    assert len(result.rows) == 1
    return result.rows[0]


def texts(messages):
    return [str(message) for message in messages]


# Encodings, separators, layout ---------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "cp1252"])
def test_encodings(encoding):
    content = make_csv([record(Nom="MÜLLER", Prénom="Anaïs")], encoding=encoding)
    result = read_registrants(content)
    assert result.encoding == encoding
    assert result.columns["firstname"] == "Prénom"
    assert result.columns["market"] == "N° marché"
    values = result.rows[0].values
    assert (values["lastname"], values["firstname"]) == ("MÜLLER", "Anaïs")
    assert values["mode"] == "onsite"


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
@pytest.mark.parametrize("newline", ["\r\n", "\n"])
def test_separators_and_line_ends(delimiter, newline):
    result = read_registrants(
        make_csv([record(), record(Nom="DUBOIS")], delimiter=delimiter, newline=newline)
    )
    assert result.delimiter == delimiter
    assert [row.values["lastname"] for row in result.rows] == ["LEFEBVRE", "DUBOIS"]
    assert [row.line for row in result.rows] == [2, 3]
    assert all(row.errors == () for row in result.rows)


def test_quoted_fields_with_separator_and_newline():
    headers = [
        "Nom",
        "Prénom",
        "Identifiant France Travail",
        "N° marché",
        "Date et heure RDV",
        "Lieu RDV",
    ]
    content = (
        "Nom,Prénom,Identifiant France Travail,N° marché,Date et heure RDV,Lieu RDV\n"
        '"DE LA FONTAINE, dit ""Jeff""",Jean,1234567A,MA-1,12/01/2026 09:00,'
        '"BGE - 3 RUE DE LA GARE\n59280 ARMENTIERES"\n'
        "DUBOIS,Karim,2345678B,MA-1,12/01/2026 10:00,BGE LILLE\n"
    ).encode()
    result = read_registrants(content)
    assert result.delimiter == ","
    assert sorted(result.columns.values()) == sorted(headers)
    first, second = result.rows
    assert first.values["lastname"] == 'DE LA FONTAINE, dit "Jeff"'
    assert first.values["location"] == "BGE - 3 RUE DE LA GARE 59280 ARMENTIERES"
    assert (first.line, second.line) == (2, 4)
    assert second.values["firstname"] == "Karim"


def test_trailing_empty_columns_blank_lines_and_spaces_are_ignored():
    content = make_csv([record(Nom="  DE   LA FONTAINE ")], headers=HEADERS + ["", ""])
    content += b";;;;\r\n   \r\n\r\n"
    result = read_registrants(content)
    assert result.errors == ()
    assert len(result.rows) == 1
    assert result.rows[0].values["lastname"] == "DE LA FONTAINE"
    assert result.rows[0].errors == ()


def test_reordered_columns_and_header_variants():
    headers = [
        "identifiant  FT",
        "PRENOM",
        "nom",
        "Courriel",
        "Lieu du rendez-vous",
        "Date heure rendez-vous",
        "Numéro de marché",
        "Numero de commande",
        "Tel",
        "Conseiller prescripteur",
        "SIRET",
    ]
    row = {
        "identifiant  FT": "1234 567a",
        "PRENOM": "Camille",
        "nom": "Lefebvre",
        "Courriel": "c@example.org",
        "Lieu du rendez-vous": ADDRESS,
        "Date heure rendez-vous": "12/01/2026 09:00",
        "Numéro de marché": "MA-1",
        "Numero de commande": " 42 ",
        "Tel": "0612345678",
        "Conseiller prescripteur": "MARTIN Sophie - 59041 ARMENTIERES",
        "SIRET": "412 345 678 00021",
    }
    result = read_registrants(make_csv([row], headers=headers))
    assert result.columns["france_travail_id"] == "identifiant FT"  # spaces collapsed
    assert result.columns["lastname"] == "nom"
    assert result.columns["provider_siret"] == "SIRET"
    values = result.rows[0].values
    assert values["france_travail_id"] == "1234567A"
    assert values["lastname"] == "Lefebvre"
    assert values["market"] == "MA-1"
    assert values["order_number"] == "42"
    assert values["provider_siret"] == "41234567800021"
    assert values["phone"] == "+33612345678"
    assert values["meeting_local"] == datetime(2026, 1, 12, 9, 0)
    assert values["lot"] is None and values["mode"] is None
    assert result.rows[0].errors == ()


def test_unknown_headers_fall_back_to_the_guide_letters():
    headers = [f"Colonne {index}" for index in range(21)]
    headers[13] = "Nom"  # N, matched by name
    row = dict(zip(headers, record().values(), strict=False))
    result = read_registrants(make_csv([row], headers=headers))
    assert result.errors == ()
    assert result.columns["meeting"] == "G"
    assert result.columns["france_travail_id"] == "P"
    assert result.columns["lastname"] == "Nom"
    values = result.rows[0].values
    assert values["france_travail_id"] == "1234567A"
    assert values["location"] == ADDRESS
    assert values["meeting_utc"] == datetime(2026, 1, 12, 8, 0)


def test_letter_already_taken_by_a_header_is_not_reused():
    # "Nom" sits in column P, the letter of the France Travail id, which has no header.
    headers = ["N° marché", "Date et heure RDV", "Lieu RDV", "Prénom"] + ["x"] * 11 + ["Nom"]
    content = make_csv([{"Nom": "LEFEBVRE"}], headers=headers)
    result = read_registrants(content)
    assert result.rows == ()
    assert texts(result.errors) == [
        (
            "Required column missing: France Travail identifier (expected a header "
            '"Identifiant France Travail", or column P).'
        )
    ]


def test_separate_date_and_time_columns():
    headers = ["N° marché", "Date RDV", "Heure RDV", "Lieu RDV", "Nom", "Prénom", "IDE"]
    rows = [
        {"Date RDV": "12/01/2026", "Heure RDV": "11h00"},
        {"Date RDV": "15/07/26", "Heure RDV": "9h"},
        {"Date RDV": "2026-01-13", "Heure RDV": "09:30"},
        {"Date RDV": "13/01/2026", "Heure RDV": "25h"},
    ]
    for row in rows:
        row.update(
            {"N° marché": "M", "Lieu RDV": "L", "Nom": "N", "Prénom": "P", "IDE": "12345678901"}
        )
    result = read_registrants(make_csv(rows, headers=headers))
    assert result.columns["meeting_date"] == "Date RDV"
    assert [row.values["meeting_local"] for row in result.rows] == [
        datetime(2026, 1, 12, 11, 0),
        datetime(2026, 7, 15, 9, 0),
        datetime(2026, 1, 13, 9, 30),
        None,
    ]
    assert result.rows[1].values["meeting_utc"] == datetime(2026, 7, 15, 7, 0)
    assert texts(result.rows[3].errors) == [
        ('Row 5, column "Heure RDV": the time "25h" is not a valid time (expected HH:MM or HHhMM).')
    ]


# XLSX --------------------------------------------------------------------------------


def test_xlsx_with_datetime_and_string_cells():
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    first = record()
    first.update(
        {
            "Date et heure RDV": datetime(2026, 7, 15, 9, 0),
            "Date de réception": datetime(2026, 7, 1),
            "Date de naissance": date(1988, 3, 14),
            "Téléphone": 612345678,
            "SIRET prestataire": 41234567800021,
            "Identifiant France Travail": 12345678901,
            "N° lot": 3,
        }
    )
    sheet.append(list(first.values()))
    sheet.append([])
    sheet.append(list(record(Nom="DUBOIS").values()))
    stream = io.BytesIO()
    workbook.save(stream)

    result = read_registrants(stream.getvalue(), "liste.xlsx")
    assert result.errors == ()
    assert (result.encoding, result.delimiter) == ("", "")
    assert [row.line for row in result.rows] == [2, 4]
    values = result.rows[0].values
    assert values["meeting_local"] == datetime(2026, 7, 15, 9, 0)
    assert values["meeting_utc"] == datetime(2026, 7, 15, 7, 0)
    assert values["received"] == date(2026, 7, 1)
    assert values["birthdate"] == date(1988, 3, 14)
    assert values["phone"] == "+33612345678"
    assert values["provider_siret"] == "41234567800021"
    assert values["france_travail_id"] == "12345678901"
    assert values["lot"] == "3"
    assert result.rows[1].values["lastname"] == "DUBOIS"
    assert result.rows[1].values["meeting_utc"] == datetime(2026, 1, 12, 8, 0)


def test_xlsx_cells_of_the_wrong_kind_are_row_errors():
    """A workbook's typed cells are taken as they are only where their kind fits: a
    meeting needs a date and a time, a date of birth a date."""
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    wrong = record()
    wrong.update({"Date et heure RDV": time(9, 30), "Date de naissance": time(9, 30)})
    sheet.append(list(wrong.values()))
    stream = io.BytesIO()
    workbook.save(stream)

    row = read_one(stream.getvalue())
    assert (row.values["meeting_local"], row.values["birthdate"]) == (None, None)
    assert texts(row.errors) == [
        'Row 2, column "Date de naissance": the date "09:30:00" is not a valid date '
        "(expected dd/mm/yyyy).",
        'Row 2, column "Date et heure RDV": the date "09:30:00" is not a valid date '
        "(expected dd/mm/yyyy HH:MM).",
    ]


# File-level errors ---------------------------------------------------------------------


@pytest.mark.parametrize("content", [b"", b"  \r\n\r\n", b"\xef\xbb\xbf"])
def test_empty_file(content):
    result = read_registrants(content)
    assert result.rows == ()
    assert texts(result.errors) == ["The file is empty."]


def test_header_only_file():
    result = read_registrants(make_csv([]) + b"\r\n;;;\r\n")
    assert result.rows == ()
    assert texts(result.errors) == ["The file has a header line but no data rows."]


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\n",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 32,  # Excel 97-2003
        b"Nom;Pr\x00nom\r\n",
        b"<html><table><tr><td>Nom</td></tr></table></html>",
    ],
)
def test_binary_or_unknown_files_are_refused(content):
    result = read_registrants(content, "liste.xls")
    assert result.rows == ()
    assert texts(result.errors) == ['The file "liste.xls" is not a CSV or XLSX file.']


def test_zip_that_is_not_xlsx_is_refused():
    import zipfile

    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w") as archive:
        archive.writestr("content.xml", "<office:document/>")
    result = read_registrants(stream.getvalue())
    assert texts(result.errors) == ["The file is not a CSV or XLSX file."]


def test_missing_required_columns_are_named():
    headers = [header for header in HEADERS if header not in ("Nom", "Date et heure RDV")]
    headers = headers[:6]  # so that the letters G and N do not exist either
    result = read_registrants(make_csv([record()], headers=headers + ["Nom de famille"]))
    assert result.rows == ()
    messages = texts(result.errors)
    assert (
        "Required column missing: date and time of the meeting (expected a header "
        '"Date et heure RDV", or column G).' in messages
    )
    assert any('"Identifiant France Travail"' in message for message in messages)
    assert not any('"Nom"' in message for message in messages)  # "Nom de famille" is known


# Row values ----------------------------------------------------------------------------


def test_invalid_france_travail_id_names_row_and_value():
    result = read_registrants(
        make_csv(
            [
                record(),
                record(**{"Identifiant France Travail": "12-34X"}),
                record(**{"Identifiant France Travail": " 123 456 789 01 "}),
            ]
        )
    )
    assert result.rows[0].errors == ()
    assert result.rows[1].values["france_travail_id"] is None
    assert texts(result.rows[1].errors) == [
        (
            'Row 3, column "Identifiant France Travail": "12-34X" is not a valid France '
            "Travail identifier (expected 7 digits and a letter or digit, or 11 digits)."
        )
    ]
    assert result.rows[2].values["france_travail_id"] == "12345678901"
    assert result.rows[2].errors == ()


@pytest.mark.parametrize(
    "text, expected",
    [("1234567A", "1234567A"), ("1234567a", "1234567A"), ("1234 567 a", "1234567A")],
)
def test_france_travail_id_is_read_uppercase_without_spaces(text, expected):
    row = read_one(make_csv([record(**{"Identifiant France Travail": text})]))
    assert (row.values["france_travail_id"], row.errors) == (expected, ())


def test_france_travail_id_validation():
    assert prestappli.FT_ID_RE.match("1234567A")
    assert is_valid_france_travail_id("12345678")
    assert is_valid_france_travail_id("1234567a ")
    assert is_valid_france_travail_id("12345678901")
    assert not is_valid_france_travail_id("123456A")
    assert not is_valid_france_travail_id("1234567AB")
    assert not is_valid_france_travail_id("1234567890")
    assert not is_valid_france_travail_id(None)


def test_bad_dates_and_required_values():
    row = read_one(
        make_csv(
            [
                record(
                    **{
                        "Date et heure RDV": "31/02/2026 09:00",
                        "Date de naissance": "hier",
                        "Prénom": " ",
                        "Courriel": "camille@",
                        "Modalité": "Par pigeon",
                    }
                )
            ]
        )
    )
    assert row.values["meeting_local"] is None and row.values["meeting_utc"] is None
    assert row.values["birthdate"] is None and row.values["email"] is None
    assert texts(row.errors) == [
        'Row 2, column "Courriel": "camille@" is not a valid e-mail address.',
        (
            'Row 2, column "Modalité": unknown modality "Par pigeon" '
            '(expected "Présentiel" or "À distance").'
        ),
        (
            'Row 2, column "Date de naissance": the date "hier" is not a valid date '
            "(expected dd/mm/yyyy)."
        ),
        (
            'Row 2, column "Date et heure RDV": the date "31/02/2026 09:00" is not a valid '
            "date (expected dd/mm/yyyy HH:MM)."
        ),
        'Row 2, column "Prénom": a value is required.',
    ]


@pytest.mark.parametrize(
    "text, local, utc",
    [
        ("12/01/2026 09:00", datetime(2026, 1, 12, 9), datetime(2026, 1, 12, 8)),
        ("15/07/2026 09:00", datetime(2026, 7, 15, 9), datetime(2026, 7, 15, 7)),
        ("15/07/2026 09:00:30", datetime(2026, 7, 15, 9, 0, 30), datetime(2026, 7, 15, 7, 0, 30)),
        ("12/01/26 14h30", datetime(2026, 1, 12, 14, 30), datetime(2026, 1, 12, 13, 30)),
        ("12/01/2026 9h", datetime(2026, 1, 12, 9), datetime(2026, 1, 12, 8)),
        ("2026-03-29 03:30", datetime(2026, 3, 29, 3, 30), datetime(2026, 3, 29, 1, 30)),
    ],
)
def test_meeting_is_read_as_paris_time(text, local, utc):
    values = read_one(make_csv([record(**{"Date et heure RDV": text})])).values
    assert (values["meeting_local"], values["meeting_utc"]) == (local, utc)


def test_meeting_without_time_is_an_error():
    row = read_one(make_csv([record(**{"Date et heure RDV": "12/01/2026"})]))
    assert row.values["meeting_local"] is None
    assert texts(row.errors) == [
        (
            'Row 2, column "Date et heure RDV": the date "12/01/2026" is not a valid date '
            "(expected dd/mm/yyyy HH:MM)."
        )
    ]


def test_time_parsing():
    assert prestappli.parse_time("11h00") == time(11, 0)
    assert prestappli.parse_time("9h") == time(9, 0)
    assert prestappli.parse_time("09:00") == time(9, 0)
    assert prestappli.parse_time("9 h 15") == time(9, 15)
    with pytest.raises(ValueError):
        prestappli.parse_time("neuf heures")


def test_dates_and_modes():
    values = read_one(
        make_csv(
            [
                record(
                    **{
                        "Date de naissance": "14/03/88",
                        "Date de réception": "2026-01-10",
                        "Modalité": "À distance",
                    }
                )
            ]
        )
    ).values
    assert values["birthdate"] == date(1988, 3, 14)
    assert values["received"] == date(2026, 1, 10)
    assert values["mode"] == "remote"
    for text, mode in [
        ("presentiel", "onsite"),
        ("Sur site", "onsite"),
        ("Distanciel", "remote"),
        ("Téléphone", "remote"),
        ("VISIO", "remote"),
        ("", None),
    ]:
        assert read_one(make_csv([record(Modalité=text)])).values["mode"] == mode


@pytest.mark.parametrize(
    "text, phone",
    [
        ("06 12 34 56 78", "+33612345678"),
        ("0612345678", "+33612345678"),
        ("+33 6 12 34 56 80", "+33612345680"),
        ("0033612345678", "+33612345678"),
        ("6 12 34 56 78", "+33612345678"),
        ("06.12.34.56.78", "+33612345678"),
        ("+33 (0)6 12 34 56 78", "+33612345678"),
        ("+32 470 12 34 56", "+32470123456"),
        ("0032 470 12 34 56", "+32470123456"),
        ("0 6 1 2 3 4 5 6 7 8", "+33612345678"),
        ("0012345678", "+12345678"),  # 00: an international number, not a French one
    ],
)
def test_phone_normalisation(text, phone):
    assert normalize_phone(text) == phone
    assert read_one(make_csv([record(Téléphone=text)])).values["phone"] == phone


@pytest.mark.parametrize(
    "text",
    # digits to Python, not to a phone: a superscript, Arabic-Indic digits
    ["06 12 34", "appeler le soir", "+33 6 12", "0012", "06 12 34 56 7²", "٠٦١٢٣٤٥٦٧٨"],
)
def test_unreadable_phone_is_a_row_error(text):
    assert normalize_phone(text) is None
    row = read_one(make_csv([record(Téléphone=text)]))
    assert row.values["phone"] is None
    assert texts(row.errors) == [
        f'Row 2, column "Téléphone": "{text}" is not a valid phone number.'
    ]


def test_empty_optional_values_are_none():
    values = read_one(
        make_csv(
            [
                record(
                    **{
                        "Téléphone": "",
                        "Courriel": "",
                        "N° de commande": " ",
                        "Prescripteur": "",
                    }
                )
            ]
        )
    ).values
    assert values["phone"] is None and values["email"] is None
    assert values["order_number"] is None
    assert values["advisor_name"] is None and values["agency_code"] is None


def test_email_is_lowercased():
    assert read_one(make_csv([record()])).values["email"] == "camille.lefebvre@example.org"


@pytest.mark.parametrize(
    "text, advisor, code, agency",
    [
        ("MARTIN Sophie - 59041 ARMENTIERES", "MARTIN Sophie", "59041", "ARMENTIERES"),
        ("ROUX Claire - 59001 LILLE - VAUBAN", "ROUX Claire", "59001", "LILLE - VAUBAN"),
        ("MARTIN-DUPONT Sophie - LILLE VAUBAN", "MARTIN-DUPONT Sophie", None, "LILLE VAUBAN"),
        ("MARTIN Sophie 59041 ARMENTIERES", "MARTIN Sophie", "59041", "ARMENTIERES"),
        ("59041 ARMENTIERES", None, "59041", "ARMENTIERES"),
        ("- 2A004 AJACCIO", None, "2A004", "AJACCIO"),
        ("MARTIN Sophie", "MARTIN Sophie", None, None),
        ("MARTIN Sophie - 59041", "MARTIN Sophie", "59041", None),
    ],
)
def test_prescriber_parsing(text, advisor, code, agency):
    assert parse_prescriber(text) == {
        "advisor_name": advisor,
        "agency_code": code,
        "agency_name": agency,
    }


def test_prescriber_values_in_rows():
    values = read_one(make_csv([record()])).values
    assert values["prescriber"] == "MARTIN Sophie - 59041 ARMENTIERES"
    assert values["advisor_name"] == "MARTIN Sophie"
    assert (values["agency_code"], values["agency_name"]) == ("59041", "ARMENTIERES")


# Other providers and market ------------------------------------------------------------


def test_other_provider_detection():
    ours = {"41234567800021"}
    names = {"BGE Hauts-de-France"}
    assert not is_other_provider({"provider_siret": "41234567800021"}, ours, names)
    assert is_other_provider(
        {"provider_siret": "13000000000019", "provider": "BGE HAUTS DE FRANCE"}, ours, names
    )
    assert not is_other_provider({"provider": "bge hauts de france"}, ours, names)
    assert is_other_provider({"provider": "CCI GRAND LILLE"}, ours, names)
    assert not is_other_provider({"provider_siret": None, "provider": None}, ours, names)
    # Without our SIRET, the name decides.
    assert not is_other_provider(
        {"provider_siret": "13000000000019", "provider": "BGE HAUTS DE FRANCE"}, set(), names
    )


def test_market_mismatches():
    rows = [
        Row(line, {"market": market})
        for line, market in enumerate(
            [
                "MA-2025-0042",
                "ma-2025-0042 ",
                "MA 2025-0042",
                None,
                "MA-2024-0001",
                "AUTRE",
                "MA-2024-0001",
            ],
            start=2,
        )
    ]
    assert normalize_reference(" ma-2025 0042") == "MA-20250042"
    assert market_mismatches(rows, "MA-2025-0042") == ["AUTRE", "MA 2025-0042", "MA-2024-0001"]
    assert market_mismatches(rows[:2], "ma-2025-0042") == []


# The shared sample ---------------------------------------------------------------------


@pytest.mark.skipif(not SAMPLE.exists(), reason="shared sample absent")
def test_shared_sample_validated_list():
    result = read_registrants(SAMPLE.read_bytes(), SAMPLE.name)
    assert result.errors == ()
    assert (result.encoding, result.delimiter) == ("utf-8-sig", ";")
    assert len(result.rows) == 12
    assert all(row.errors == () for row in result.rows)
    ours = [
        row for row in result.rows if not is_other_provider(row.values, {"41234567800021"}, set())
    ]
    assert len(ours) == 11
    assert sum(1 for row in ours if row.values["order_number"] is None) == 2
    assert market_mismatches(result.rows, "MA-2025-0042") == []
    assert {row.values["meeting_utc"] for row in ours if row.values["site_code"] == "ARM"} == {
        datetime(2026, 1, 12, 8),
        datetime(2026, 1, 12, 9),
        datetime(2026, 1, 12, 10),
        datetime(2026, 1, 13, 13),
    }


def test_shared_reading_is_the_same_file_read_once(monkeypatch):
    prestappli.read_registrants_shared_forget()
    content = make_csv([record()])
    first = read_registrants_shared(content, "liste.csv")
    assert read_registrants_shared(content, "liste.csv") is first
    assert first.rows[0].values == read_registrants(content).rows[0].values
    # another file, another name or another day: read again
    other = make_csv([record(Nom="DURAND")])
    assert read_registrants_shared(other, "liste.csv").rows[0].values["lastname"] == "DURAND"
    assert read_registrants_shared(content, "autre.csv") is not first

    class Tomorrow(date):
        @classmethod
        def today(cls):
            return date.today() + timedelta(days=1)

    with monkeypatch.context() as patch:
        patch.setattr(prestappli, "date", Tomorrow)
        assert read_registrants_shared(content, "liste.csv") is not first


def test_shared_readings_are_forgotten(monkeypatch):
    """They hold personal data: two files at most, ten minutes at most, and none once
    the import that read it is confirmed or cancelled (it forgets them)."""
    prestappli.read_registrants_shared_forget()
    one, two, three = (make_csv([record(Nom=name)]) for name in ("UN", "DEUX", "TROIS"))
    first = read_registrants_shared(one)
    read_registrants_shared(two)
    read_registrants_shared(three)
    assert read_registrants_shared(one) is not first  # pushed out by the third file

    first = read_registrants_shared(one)
    prestappli.read_registrants_shared_forget(one)
    assert read_registrants_shared(one) is not first

    first = read_registrants_shared(one)
    later = prestappli.monotonic() + prestappli.SHARED_SECONDS + 1
    monkeypatch.setattr(prestappli, "monotonic", lambda: later)
    assert read_registrants_shared(one) is not first


def test_rows_read_are_read_only():
    """The rows of a file are shared by an import's preview and confirmation: nothing
    may change them."""
    row = read_one(make_csv([record()]))
    with pytest.raises(TypeError):
        row.values["lastname"] = "DURAND"
    with pytest.raises(AttributeError):
        row.errors.append("an error")
    with pytest.raises(AttributeError):
        row.line = 3
    assert row.values["lastname"] == "LEFEBVRE"
