import io
import time as clock
from datetime import date, datetime, time, timedelta

import openpyxl

from activcrea_odoo.rules import exports

HEADERS = [
    "Date",
    "Heure de début",
    "Heure de fin",
    "Adresse du lieu (France Travail)",
    "Modalité",
    "Conseiller",
]


def load(content):
    assert isinstance(content, bytes)
    return openpyxl.load_workbook(io.BytesIO(content))


def slot(site, day, hour, address="1 rue de la Paix", mode="Sur site", counselor="Anne"):
    return {
        "site": site,
        "date": date(2025, 3, day),
        "start": time(hour),
        "end": time(hour + 1),
        "address": address,
        "mode": mode,
        "counselor": counselor,
    }


# build_planning_workbook ---------------------------------------------------


def test_planning_workbook_cells_and_formats():
    rows = [
        ["Lyon", 3, date(2025, 3, 4), datetime(2025, 3, 4, 9, 30), time(9, 30), None, 2.5],
        ['=HYPERLINK("http://x")', -1, None, None, None, "@cmd", None],
    ]
    headers = ["Site", "Nombre", "Jour", "Début", "Heure", "Note", "Durée"]
    workbook = load(exports.build_planning_workbook(rows, headers))
    assert workbook.sheetnames == ["Planification"]
    sheet = workbook["Planification"]
    assert sheet.max_row == 3
    assert [cell.value for cell in sheet[1]] == headers
    assert all(cell.font.b for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:G3"

    name, number, day, moment, hour, empty, duration = sheet[2]
    assert name.value == "Lyon" and name.data_type == "s"
    assert number.value == 3 and number.data_type == "n"
    assert duration.value == 2.5
    assert day.value == datetime(2025, 3, 4) and day.number_format == "dd/mm/yyyy"
    assert moment.value == datetime(2025, 3, 4, 9, 30)
    assert moment.number_format == "dd/mm/yyyy hh:mm"
    assert hour.value == time(9, 30) and hour.number_format == "hh:mm"
    assert empty.value is None

    formula, negative, *_rest = sheet[3]
    assert formula.data_type == "s" and formula.value == '=HYPERLINK("http://x")'
    assert negative.value == -1
    assert sheet["F3"].data_type == "s" and sheet["F3"].value == "@cmd"


def test_planning_workbook_column_widths():
    rows = [["x" * 40, date(2025, 3, 4)]]
    sheet = load(exports.build_planning_workbook(rows, ["Adresse", "Jour"]))["Planification"]
    assert sheet.column_dimensions["A"].width > 40
    assert 10 <= sheet.column_dimensions["B"].width < 20


# build_france_travail_workbook ---------------------------------------------


def test_one_sheet_per_site_in_alphabetical_order():
    slots = [
        slot("Villeurbanne", 3, 9),
        slot("Évry", 3, 9),
        slot("Agen", 4, 10),
        slot("Villeurbanne", 3, 10),
        slot("Bron", 5, 14),
    ]
    workbook = load(exports.build_france_travail_workbook(slots))
    assert workbook.sheetnames == ["Agen", "Bron", "Évry", "Villeurbanne"]
    counts = {sheet.title: sheet.max_row - 1 for sheet in workbook.worksheets}
    assert counts == {"Agen": 1, "Bron": 1, "Évry": 1, "Villeurbanne": 2}
    for sheet in workbook.worksheets:
        assert [cell.value for cell in sheet[1]] == HEADERS
        assert sheet.freeze_panes == "A2"


def test_rows_sorted_by_date_then_start_with_date_cells():
    slots = [
        slot("Lyon", 5, 9),
        slot("Lyon", 3, 14),
        slot("Lyon", 3, 9),
        slot("Lyon", 4, 11, counselor="Paul"),
    ]
    sheet = load(exports.build_france_travail_workbook(slots))["Lyon"]
    rows = list(sheet.iter_rows(min_row=2))
    assert [(row[0].value.day, row[1].value.hour) for row in rows] == [
        (3, 9),
        (3, 14),
        (4, 11),
        (5, 9),
    ]
    day, start, end, address, mode, counselor = rows[2]
    assert isinstance(day.value, datetime) and day.value == datetime(2025, 3, 4)
    assert day.number_format == "dd/mm/yyyy"
    assert start.value == time(11) and start.number_format == "hh:mm"
    assert end.value == time(12) and end.number_format == "hh:mm"
    assert (address.value, mode.value, counselor.value) == ("1 rue de la Paix", "Sur site", "Paul")


def test_formula_like_strings_stay_strings():
    slots = [slot("Lyon", 3, 9, address="=1+1", mode="+33", counselor="-Anne")]
    sheet = load(exports.build_france_travail_workbook(slots))["Lyon"]
    address, mode, counselor = sheet["D2"], sheet["E2"], sheet["F2"]
    assert [c.data_type for c in (address, mode, counselor)] == ["s", "s", "s"]
    assert [c.value for c in (address, mode, counselor)] == ["=1+1", "+33", "-Anne"]


def test_site_names_are_made_valid_sheet_names():
    long_name = "Maison des associations de Villeurbanne"
    slots = [
        slot("Paris [12e]", 3, 9),
        slot(long_name + " Nord", 3, 9),
        slot(long_name + " Sud", 3, 9),
        slot("", 3, 9),
    ]
    workbook = load(exports.build_france_travail_workbook(slots))
    assert workbook.sheetnames == [
        "Site",
        long_name[:31],
        "Maison des associations de (2)",
        "Paris 12e",
    ]


def test_empty_slot_list_gives_header_only_sheet():
    workbook = load(exports.build_france_travail_workbook([]))
    assert workbook.sheetnames == ["Planification"]
    sheet = workbook["Planification"]
    assert sheet.max_row == 1
    assert [cell.value for cell in sheet[1]] == HEADERS


def test_ten_thousand_slots():
    first = date(2025, 3, 1)
    slots = [
        {
            "site": f"Site {i % 7}",
            "date": first + timedelta(days=i % 31),
            "start": time(8 + i % 10),
            "end": time(9 + i % 10),
            "address": f"{i} rue",
            "mode": "À distance",
            "counselor": "Anne",
        }
        for i in range(10000)
    ]
    began = clock.perf_counter()
    content = exports.build_france_travail_workbook(slots)
    assert clock.perf_counter() - began < 10
    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    assert len(workbook.sheetnames) == 7
    assert sum(sheet.max_row - 1 for sheet in workbook.worksheets) == 10000
