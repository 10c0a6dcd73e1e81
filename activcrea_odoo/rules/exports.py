"""Excel workbooks of the planning, built with xlsxwriter in memory.

Strings are always written as text (``write_string``), so a value such as
"=HYPERLINK(...)" coming from a user never becomes a formula; dates and times
are real Excel date cells with French formats.
"""

import io
import unicodedata
from datetime import date, datetime, time
from decimal import Decimal

import xlsxwriter

from .planning import sheet_names

PLANNING_SHEET = "Planification"
FRANCE_TRAVAIL_HEADERS = [
    "Date",
    "Heure de début",
    "Heure de fin",
    "Adresse du lieu (France Travail)",
    "Modalité",
    "Conseiller",
]
# France Travail's own words for the mode, as in its registrant lists.
FRANCE_TRAVAIL_MODES = {"onsite": "Présentiel", "remote": "À distance"}
DATE_FORMAT = "dd/mm/yyyy"
TIME_FORMAT = "hh:mm"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
MIN_WIDTH, MAX_WIDTH = 8, 60
# Excel's day 0 in the 1900 date system (serials are exact from 1 March 1900 on).
_EXCEL_EPOCH = date(1899, 12, 30).toordinal()


def _excel_serial(value):
    """The Excel serial number of a date, datetime or time (days, fraction = time of day).

    Computed here rather than by ``write_datetime``: it is the bulk of an export's time.
    """
    if isinstance(value, time):
        return (value.hour * 3600 + value.minute * 60 + value.second) / 86400
    serial = value.toordinal() - _EXCEL_EPOCH
    if isinstance(value, datetime):
        serial += _excel_serial(value.time())
    return serial


class _Writer:
    """Writes typed cells and tracks column widths on one workbook."""

    def __init__(self, workbook):
        self.header = workbook.add_format({"bold": True})
        # datetime is a subclass of date: it must be looked up first.
        self.dates = [
            (datetime, workbook.add_format({"num_format": DATETIME_FORMAT}), 16),
            (date, workbook.add_format({"num_format": DATE_FORMAT}), 10),
            (time, workbook.add_format({"num_format": TIME_FORMAT}), 5),
        ]

    def cell(self, sheet, row, col, value):
        """Write ``value``; return the width it needs."""
        if value is None:
            return 0
        if isinstance(value, str):
            sheet.write_string(row, col, value)
            return len(value)
        if isinstance(value, bool):
            sheet.write_boolean(row, col, value)
            return 5
        if isinstance(value, (int, float, Decimal)):
            sheet.write_number(row, col, float(value))
            return len(str(value))
        for kind, cell_format, width in self.dates:
            if isinstance(value, kind):
                sheet.write_number(row, col, _excel_serial(value), cell_format)
                return width
        text = str(value)
        sheet.write_string(row, col, text)
        return len(text)

    def table(self, sheet, headers, rows):
        """Bold frozen header with an autofilter, then ``rows``; fit the columns."""
        widths = [len(header) for header in headers]
        for col, header in enumerate(headers):
            sheet.write_string(0, col, header, self.header)
        row_index = 0
        for row_index, row in enumerate(rows, start=1):
            for col, value in enumerate(row):
                width = self.cell(sheet, row_index, col, value)
                if col >= len(widths):
                    widths.append(width)
                elif width > widths[col]:
                    widths[col] = width
        sheet.freeze_panes(1, 0)
        if headers:
            sheet.autofilter(0, 0, row_index, len(headers) - 1)
        for col, width in enumerate(widths):
            sheet.set_column(col, col, min(max(width + 2, MIN_WIDTH), MAX_WIDTH))


def _build(sheets):
    """Workbook bytes from ``(sheet name, headers, rows)`` triples, in order."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    writer = _Writer(workbook)
    for name, headers, rows in sheets:
        writer.table(workbook.add_worksheet(name), headers, rows)
    workbook.close()
    return buffer.getvalue()


def build_planning_workbook(rows, headers):
    """One sheet "Planification": ``headers`` then ``rows`` (lists of plain values)."""
    return _build([(PLANNING_SHEET, headers, rows)])


def _sort_key(text):
    """Alphabetical key ignoring case and accents ("Évry" sorts with "Evry")."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return plain.casefold(), text


def build_france_travail_workbook(slots):
    """The planning file for France Travail: one sheet per site, sites sorted.

    ``slots`` are dicts with keys site, date, start, end, address, mode and
    counselor; each sheet lists its slots by date then start time. Without
    slots the workbook holds one "Planification" sheet with the header only.
    """
    by_site = {}
    for slot in slots:
        by_site.setdefault(slot.get("site") or "", []).append(slot)
    if not by_site:
        return _build([(PLANNING_SHEET, FRANCE_TRAVAIL_HEADERS, [])])
    sites = sorted(by_site, key=_sort_key)
    sheets = []
    for site, name in zip(sites, sheet_names(sites), strict=True):
        site_slots = sorted(by_site[site], key=lambda slot: (slot["date"], slot["start"]))
        rows = (
            (
                slot["date"],
                slot["start"],
                slot["end"],
                slot.get("address"),
                slot.get("mode"),
                slot.get("counselor"),
            )
            for slot in site_slots
        )
        sheets.append((name, FRANCE_TRAVAIL_HEADERS, rows))
    return _build(sheets)
