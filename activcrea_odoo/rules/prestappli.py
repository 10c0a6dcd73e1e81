"""Read the « liste des inscrits » France Travail exports from Prest@ppli.

:func:`read_registrants` takes the uploaded file (CSV in any usual encoding and
separator, or XLSX), finds the columns by their header (or, failing that, by the
letter the France Travail guide gives them) and returns one :class:`Row` of cleaned
values per registrant, with the problems found as :class:`~.messages.Message`.
"""

# pylint: disable=prefer-env-translation
# ``_`` here is the marker of rules/messages.py: the models translate with env._

import csv
import functools
import hashlib
import io
import re
import threading
import zipfile
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from time import monotonic
from types import MappingProxyType
from zoneinfo import ZoneInfo

from .messages import Message, _
from .sites import normalize_address

PARIS = ZoneInfo("Europe/Paris")

#: A France Travail identifier: 7 digits and a letter or digit, or 11 digits.
FT_ID_RE = re.compile(r"^(?:\d{7}[A-Z0-9]|\d{11})$")

# (field key, fallback column letter, accepted headers: the standard export's first).
_FIELDS = (
    (
        "market",
        "A",
        (
            "N° marché",
            "No marché",
            "Numéro de marché",
            "Numéro marché",
            "Marché",
            "Référence marché",
            "Réf marché",
        ),
    ),
    ("lot", "B", ("N° lot", "No lot", "Numéro de lot", "Lot")),
    ("service", "C", ("Prestation", "Intitulé prestation", "Libellé prestation")),
    ("provider", "D", ("Prestataire", "Nom prestataire", "Raison sociale prestataire")),
    ("provider_siret", "E", ("SIRET prestataire", "SIRET", "N° SIRET")),
    ("site_code", "F", ("Code site", "Site")),
    (
        "meeting",
        "G",
        (
            "Date et heure RDV",
            "Date heure RDV",
            "Date heure rendez-vous",
            "Date et heure du rendez-vous",
            "Date et heure rendez-vous",
        ),
    ),
    ("meeting_date", None, ("Date RDV", "Date du rendez-vous", "Date rendez-vous")),
    ("meeting_time", None, ("Heure RDV", "Heure du rendez-vous", "Heure rendez-vous", "Heure")),
    (
        "location",
        "H",
        (
            "Lieu RDV",
            "Lieu du rendez-vous",
            "Lieu rendez-vous",
            "Adresse RDV",
            "Adresse du rendez-vous",
            "Lieu",
        ),
    ),
    ("zip", "I", ("Code postal", "CP")),
    ("city", "J", ("Commune", "Ville")),
    ("mode", "K", ("Modalité", "Modalité RDV", "Modalité du rendez-vous", "Mode")),
    ("received", "L", ("Date de réception", "Date réception", "Reçu le")),
    ("title", "M", ("Civilité", "Titre")),
    ("lastname", "N", ("Nom", "Nom d'usage", "Nom de naissance", "Nom de famille")),
    ("firstname", "O", ("Prénom", "Prénoms")),
    (
        "france_travail_id",
        "P",
        (
            "Identifiant France Travail",
            "Identifiant FT",
            "IDE",
            "ID FT",
            "Identifiant Pôle Emploi",
            "Identifiant PE",
            "Identifiant",
        ),
    ),
    (
        "order_number",
        "Q",
        (
            "N° de commande",
            "No de commande",
            "Numéro de commande",
            "N° commande",
            "Bon de commande",
            "Commande",
        ),
    ),
    ("email", "R", ("Courriel", "E-mail", "Email", "Mail", "Adresse électronique")),
    ("phone", "S", ("Téléphone", "Tel", "Tél", "Portable", "Téléphone portable", "Mobile")),
    ("birthdate", "T", ("Date de naissance", "Né le", "Née le")),
    ("prescriber", "U", ("Prescripteur", "Conseiller prescripteur", "Conseiller")),
)
_HEADERS = {key: names for key, _letter, names in _FIELDS}
# The export's own header line, column A to U, as in France Travail's files.
STANDARD_HEADERS = [names[0] for _key, letter, names in _FIELDS if letter]
_LETTERS = {key: letter for key, letter, _names in _FIELDS}

# Required fields: the label used in messages (the meeting may also come as date + time).
_REQUIRED = {
    "market": Message(_("market number")),
    "meeting": Message(_("date and time of the meeting")),
    "location": Message(_("place of the meeting")),
    "lastname": Message(_("last name")),
    "firstname": Message(_("first name")),
    "france_travail_id": Message(_("France Travail identifier")),
}

# Fields copied as cleaned text (None when empty).
_TEXT_FIELDS = (
    "market",
    "lot",
    "service",
    "provider",
    "site_code",
    "location",
    "zip",
    "city",
    "title",
    "lastname",
    "firstname",
    "order_number",
    "prescriber",
)

# Fields a row cannot do without (besides the meeting).
_REQUIRED_VALUES = ("location", "lastname", "firstname", "france_travail_id")
_SIRET_NOISE_RE = re.compile(r"[\s.\-]")
_REQUIRED_TEMPLATE = _('Row %(row)s, column "%(column)s": a value is required.')

_MODES = {
    "presentiel": "onsite",
    "sursite": "onsite",
    "surplace": "onsite",
    "adistance": "remote",
    "distanciel": "remote",
    "distance": "remote",
    "telephone": "remote",
    "telephonique": "remote",
    "visio": "remote",
    "visioconference": "remote",
}

_BINARY_MAGICS = (
    b"%PDF",
    b"\xd0\xcf\x11\xe0",
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"\x1f\x8b",
    b"7z\xbc\xaf",
    b"Rar!",
)
_ZIP_MAGIC = b"PK\x03\x04"
_UTF8_BOM = b"\xef\xbb\xbf"
_DELIMITERS = (";", "\t", ",")  # ties go to the first

_DATE = (
    r"(?:(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4}|\d{2})"
    r"|(?P<iy>\d{4})-(?P<im>\d{1,2})-(?P<id>\d{1,2}))"
)
_TIME = r"(?P<H>\d{1,2})\s*(?:[hH]\s*(?P<hM>\d{2})?|:(?P<M>\d{2})(?::(?P<S>\d{2}))?)"
_DATE_RE = re.compile(rf"^{_DATE}(?:(?:\s+|T){_TIME})?$")
_DATETIME_RE = re.compile(rf"^{_DATE}(?:\s+(?:à\s+)?|T){_TIME}$")
_TIME_RE = re.compile(rf"^{_TIME}$")
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
_PHONE_CHARS_RE = re.compile(r"^\+?[\d\s().\-/]+$")
_AGENCY_RE = re.compile(r"^(?P<code>\d[\dAB]\d{3})\b\s*(?P<name>.*)$")
_PRESCRIBER_RE = re.compile(r"^(?P<advisor>.*?)\s+(?P<code>\d[\dAB]\d{3})\s+(?P<name>.+)$")


@dataclass(frozen=True)
class Row:
    """One registrant: ``line`` is the file line number (header = 1).

    Read-only (``values`` a read-only mapping, ``errors`` a tuple): the rows of a file
    are shared by the preview and the confirmation (:func:`read_registrants_shared`)."""

    line: int
    values: dict
    errors: tuple = ()

    def __post_init__(self):
        if not isinstance(self.values, MappingProxyType):
            object.__setattr__(self, "values", MappingProxyType(self.values))
        if not isinstance(self.errors, tuple):
            object.__setattr__(self, "errors", tuple(self.errors))


@dataclass
class ReadResult:
    """The rows read; ``errors`` holds file-level errors (``rows`` is then empty).

    ``columns`` maps each field found to its header as written in the file, or to its
    column letter when found by letter. ``encoding`` and ``delimiter`` are ``""`` for XLSX.
    :func:`read_registrants` returns its rows and errors as tuples.
    """

    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    columns: dict = field(default_factory=dict)
    encoding: str = ""
    delimiter: str = ""


def read_registrants(content, filename="", today=None):
    """Read a Prest@ppli registrant list (``content``: the file's bytes).

    ``filename`` is only quoted in the message for a file that is neither CSV nor XLSX;
    a two-digit year of birth is read against ``today`` (by default, today).
    """
    result = _read(content, filename, today or date.today())
    result.rows, result.errors = tuple(result.rows), tuple(result.errors)
    result.columns = MappingProxyType(result.columns)
    return result


def _read(content, filename, today):
    if not content or not content.strip():
        return ReadResult(errors=[Message(_("The file is empty."))])
    if content.startswith(_ZIP_MAGIC) and _is_xlsx(content):
        result = ReadResult()
        try:
            table = _xlsx_table(content)
        except Exception as error:  # noqa: BLE001 - a damaged workbook fails anyhow
            result.errors.append(
                Message(_("The Excel file could not be read (%(error)s)."), {"error": str(error)})
            )
            return result
    elif content.startswith((_ZIP_MAGIC,) + _BINARY_MAGICS) or b"\0" in content:
        return ReadResult(errors=[_not_csv_error(filename)])
    else:
        text, encoding = _decode(content)
        if text.lstrip().startswith("<"):  # HTML or XML saved under a spreadsheet name
            return ReadResult(errors=[_not_csv_error(filename)])
        delimiter = _detect_delimiter(text)
        result = ReadResult(encoding=encoding, delimiter=delimiter)
        try:
            table = _csv_table(text, delimiter)
        except csv.Error as error:
            result.errors.append(
                Message(_("The CSV file could not be read (%(error)s)."), {"error": str(error)})
            )
            return result
    _read_table(table, result, today)
    return result


def read_registrants_shared(content, filename=""):
    """:func:`read_registrants`, the result shared with the next calls for the same file
    (its bytes and name, on the same day) in the next minutes.

    An import reads its file at the preview and again at the confirmation: the same bytes
    give the same rows. The readings of the last two files stay in the process's memory
    (a few megabytes for the largest lists) for ten minutes at most, until a call after
    that or :func:`read_registrants_shared_forget` (the import confirms or is cancelled):
    they hold the people's personal data. A server running several worker processes may
    confirm in another process, which reads the file again."""
    key = (hashlib.sha256(content).digest(), filename, date.today())
    with _SHARED_LOCK:
        _forget_expired()
        if key in _SHARED:
            return _SHARED[key][1]
    result = read_registrants(content, filename, today=key[2])
    with _SHARED_LOCK:
        _SHARED[key] = (monotonic(), result)
        while len(_SHARED) > SHARED_FILES:
            _SHARED.popitem(last=False)
    return result


def read_registrants_shared_forget(content=None):
    """Forget the readings of the file ``content`` (of every file, without it)."""
    with _SHARED_LOCK:
        if content is None:
            _SHARED.clear()
            return
        digest = hashlib.sha256(content).digest()
        for key in [key for key in _SHARED if key[0] == digest]:
            del _SHARED[key]


SHARED_FILES = 2
SHARED_SECONDS = 600
_SHARED = OrderedDict()  # (digest, filename, day) -> (monotonic time read, ReadResult)
_SHARED_LOCK = threading.Lock()


def _forget_expired():
    limit = monotonic() - SHARED_SECONDS
    for key in [key for key, (read_at, _result) in _SHARED.items() if read_at < limit]:
        del _SHARED[key]


def _not_csv_error(filename):
    if filename:
        return Message(
            _('The file "%(filename)s" is not a CSV or XLSX file.'), {"filename": filename}
        )
    return Message(_("The file is not a CSV or XLSX file."))


def _is_xlsx(content):
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def _xlsx_table(content):
    """Return ``(line, cells)`` for each row of the first sheet."""
    import openpyxl  # only needed for XLSX files

    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        return list(enumerate(sheet.iter_rows(values_only=True), start=1))
    finally:
        workbook.close()


def _decode(content):
    """Return ``(text, encoding)``: UTF-8 (with or without BOM), else Windows-1252."""
    try:
        if content.startswith(_UTF8_BOM):
            return content[len(_UTF8_BOM) :].decode("utf-8"), "utf-8-sig"
        return content.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        try:
            return content.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            return content.decode("latin-1"), "latin-1"


def _detect_delimiter(text):
    """Return the separator found most often in the header line, outside quotes."""
    counts = dict.fromkeys(_DELIMITERS, 0)
    in_quotes = False
    started = False
    for char in text:
        if char == '"':
            in_quotes = not in_quotes
        elif char in "\r\n" and not in_quotes:
            if started:
                break
            continue  # blank lines before the header
        elif char in counts and not in_quotes:
            counts[char] += 1
        started = started or not char.isspace()
    return max(_DELIMITERS, key=lambda delimiter: counts[delimiter])


def _csv_table(text, delimiter):
    """Return ``(line, cells)`` for each CSV record, ``line`` being its first line."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    table = []
    while True:
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return table
        table.append((line, cells))


def _read_table(table, result, today):
    """Fill ``result`` from ``table`` (``(line, cells)`` pairs, header first)."""
    records = [(line, cells) for line, cells in table if any(map(_filled, cells))]
    if not records:
        result.errors.append(Message(_("The file is empty.")))
        return
    headers = [_text(cell) for cell in records[0][1]]
    while headers and not headers[-1]:
        headers.pop()
    indexes, by_letter = _match_columns(headers)
    missing = _missing_columns(indexes)
    if missing:
        result.errors.extend(missing)
        return
    result.columns = {
        key: _letter(index) if key in by_letter else headers[index]
        for key, index in indexes.items()
    }
    if len(records) == 1:
        result.errors.append(Message(_("The file has a header line but no data rows.")))
        return
    body = records[1:]
    raw = {
        key: [cells[index] if index < len(cells) else None for _line, cells in body]
        for key, index in indexes.items()
    }
    result.rows = _read_rows([line for line, _cells in body], raw, result.columns, today)


def _column_texts(cells):
    """:func:`_text` of each cell of a column, each distinct text cell cleaned once."""
    # text cells only as keys: True, 1 and 1.0 are one key, and three texts
    clean = {cell: _text(cell) for cell in dict.fromkeys(cells) if type(cell) is str}
    return [clean[cell] if type(cell) is str else _text(cell) for cell in cells]


def _header_key(text):
    """Compare headers ignoring case, accents, punctuation and spacing."""
    return normalize_address(str(text).replace("º", "°")).replace(" ", "")


def _letter(index):
    """Return the spreadsheet letter of column ``index`` (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def _match_columns(headers):
    """Return ``(field key -> column index, keys found by letter)``.

    Headers are matched first to the standard headers, then to the synonyms; a field still
    missing takes its guide letter if that column exists and no other field took it.
    """
    keys = [_header_key(header) for header in headers]
    found = {}

    def take(key, names):
        for name in names:
            wanted = _header_key(name)
            for index, header_key in enumerate(keys):
                if header_key == wanted and index not in found.values():
                    found[key] = index
                    return

    for key, names in _HEADERS.items():  # the standard headers first
        take(key, names[:1])
    for key, names in _HEADERS.items():  # then the synonyms
        if key not in found:
            take(key, names[1:])
    if "meeting" not in found and "meeting_date" in found and "meeting_time" not in found:
        found["meeting"] = found.pop("meeting_date")  # a "Date RDV" column with the time
    split_meeting = "meeting_date" in found and "meeting_time" in found
    matched = set(found.values())
    by_letter = set()
    for key, letter in _LETTERS.items():
        if key in found or not letter or (key == "meeting" and split_meeting):
            continue
        index = ord(letter) - ord("A")
        if index < len(headers) and index not in matched:
            found[key] = index
            matched.add(index)
            by_letter.add(key)
    return found, by_letter


def _missing_columns(indexes):
    errors = []
    for key, label in _REQUIRED.items():
        if key in indexes or (
            key == "meeting" and "meeting_date" in indexes and "meeting_time" in indexes
        ):
            continue
        errors.append(
            Message(
                _(
                    'Required column missing: %(label)s (expected a header "%(header)s", '
                    "or column %(letter)s)."
                ),
                {"label": label, "header": _HEADERS[key][0], "letter": _LETTERS[key]},
            )
        )
    return errors


# Row values ---------------------------------------------------------------------------


class _Invalid:
    """A cell that cannot be read: the message's template and the value it quotes."""

    __slots__ = ("template", "value")

    def __init__(self, template, value):
        self.template, self.value = template, value


def _read_rows(lines, raw, columns, today):
    """The :class:`Row` of each line, from the cells of each field (``raw``: field key ->
    the column's cells, in line order; ``columns``: field key -> its header; ``today``:
    the day two-digit years of birth are read against).

    Column by column: a list repeats its market, sites, meetings and advisors on every
    row, and each distinct cell is cleaned and read once per file. A row's messages
    come in the order of its fields."""
    texts = {key: _column_texts(column) for key, column in raw.items()}
    nothing = [""] * len(lines)
    errors = [[] for _line in lines]

    def read(key, reader, cells=None):
        """The values of a column (``reader``: text -> value or :class:`_Invalid`;
        ``cells``: the values already read, by index, as a workbook's dates)."""
        column = texts.get(key, nothing)
        known = {text: reader(text) for text in dict.fromkeys(column)}
        values = [known[text] for text in column]
        for index, value in (cells or {}).items():
            values[index] = value
        if any(type(value) is _Invalid for value in known.values()):
            for index, value in enumerate(values):
                if type(value) is _Invalid:
                    error(index, key, value.template, value.value)
                    values[index] = None
        return values

    def error(index, key, template, value):
        errors[index].append(
            Message(template, {"row": lines[index], "column": columns[key], "value": value})
        )

    def typed(key, kind, convert):
        """The cells of a workbook already of ``kind`` (a date...), converted, by index."""
        return {
            index: convert(cell)
            for index, cell in enumerate(raw.get(key, ()))
            if isinstance(cell, kind)
        }

    values = {key: [text or None for text in texts.get(key, nothing)] for key in _TEXT_FIELDS}
    values["provider_siret"] = read("provider_siret", _read_siret)
    values["france_travail_id"] = read("france_travail_id", _read_ft_id)
    values["email"] = read("email", _read_email)
    values["phone"] = read("phone", _read_phone)
    values["mode"] = read("mode", _read_mode)
    values["received"] = read("received", _read_date, typed("received", date, _as_date))
    values["birthdate"] = read(
        "birthdate",
        functools.partial(_read_date, past=True, today=today),
        typed("birthdate", date, _as_date),
    )
    parts = {text: parse_prescriber(text) for text in dict.fromkeys(values["prescriber"])}
    for part in ("advisor_name", "agency_code", "agency_name"):
        values[part] = [parts[text][part] for text in values["prescriber"]]
    if "meeting" in raw:
        naive = typed("meeting", datetime, lambda cell: cell.replace(tzinfo=None))
        local = read("meeting", _read_meeting, naive)
    else:
        days = read("meeting_date", _read_date, typed("meeting_date", date, _as_date))
        local = _read_split_meetings(days, raw["meeting_time"], texts, error)
    values["meeting_local"] = local
    utc = {moment: to_utc(moment) for moment in dict.fromkeys(local) if moment}
    values["meeting_utc"] = [utc.get(moment) for moment in local]
    for key in _REQUIRED_VALUES:
        for index, text in enumerate(texts.get(key, nothing)):
            if not text:
                error(index, key, _REQUIRED_TEMPLATE, "")
    keys = list(values)
    return [
        Row(line=line, values=dict(zip(keys, row_values, strict=True)), errors=row_errors)
        for line, row_errors, row_values in zip(lines, errors, zip(*values.values()), strict=True)
    ]


def _read_siret(text):
    siret = _SIRET_NOISE_RE.sub("", text)
    if siret and not siret.isdigit():
        return _Invalid(
            _('Row %(row)s, column "%(column)s": "%(value)s" is not a valid SIRET number.'),
            text,
        )
    return siret or None


def _read_ft_id(text):
    if FT_ID_RE.match(text):  # most identifiers: as France Travail writes them
        return text
    if text and not is_valid_france_travail_id(text):
        return _Invalid(
            _(
                'Row %(row)s, column "%(column)s": "%(value)s" is not a valid France Travail '
                "identifier (expected 7 digits and a letter or digit, or 11 digits)."
            ),
            text,
        )
    return text.replace(" ", "").upper() or None


def _read_email(text):
    email = text.lower()
    if email and not _EMAIL_RE.match(email):
        return _Invalid(
            _('Row %(row)s, column "%(column)s": "%(value)s" is not a valid e-mail address.'),
            email,
        )
    return email or None


def _read_phone(text):
    if not text:
        return None
    phone = normalize_phone(text)
    if not phone:
        return _Invalid(
            _('Row %(row)s, column "%(column)s": "%(value)s" is not a valid phone number.'),
            text,
        )
    return phone


def _read_mode(text):
    if not text:
        return None
    mode = _MODES.get(_header_key(text))
    if not mode:
        return _Invalid(
            _(
                'Row %(row)s, column "%(column)s": unknown modality "%(value)s" '
                '(expected "Présentiel" or "À distance").'
            ),
            text,
        )
    return mode


_DATE_TEMPLATE = _(
    'Row %(row)s, column "%(column)s": the date "%(value)s" is not a '
    "valid date (expected dd/mm/yyyy)."
)


def _read_date(text, past=False, today=None):
    if not text:
        return None
    try:
        return parse_date(text, past=past, today=today)
    except ValueError:
        return _Invalid(_DATE_TEMPLATE, text)


def _read_meeting(text):
    """The meeting's naive local date-time, from its one column."""
    if not text:
        return _Invalid(_REQUIRED_TEMPLATE, text)
    try:
        return parse_datetime(text)
    except ValueError:
        return _Invalid(
            _(
                'Row %(row)s, column "%(column)s": the date "%(value)s" is '
                "not a valid date (expected dd/mm/yyyy HH:MM)."
            ),
            text,
        )


def _as_date(cell):
    return cell.date() if isinstance(cell, datetime) else cell


def _read_split_meetings(days, times, texts, error):
    """The meetings' naive local date-times, from a date column (``days``, read) and a
    time column (``times``, its cells)."""
    moments = []
    for index, (day, value) in enumerate(zip(days, times, strict=True)):
        if isinstance(value, datetime):
            value = value.time()
        text = _text(value)
        for key in ("meeting_date", "meeting_time"):
            if not texts[key][index]:
                error(index, key, _REQUIRED_TEMPLATE, "")
        if isinstance(value, time) or not text:
            moment = value if text else None
        else:
            try:
                moment = parse_time(text)
            except ValueError:
                error(
                    index,
                    "meeting_time",
                    _(
                        'Row %(row)s, column "%(column)s": the time "%(value)s" '
                        "is not a valid time (expected HH:MM or HHhMM)."
                    ),
                    text,
                )
                moments.append(None)
                continue
        moments.append(datetime.combine(day, moment) if day and moment else None)
    return moments


# Public helpers ---------------------------------------------------------------------


def is_valid_france_travail_id(text):
    """Tell whether ``text`` (spaces and case ignored) is a France Travail identifier."""
    return bool(FT_ID_RE.match(re.sub(r"\s", "", text or "").upper()))


def normalize_phone(text):
    """Return a phone number in E.164 (``+33612345678``), or None if unreadable.

    French numbers may be national (``06 12 34 56 78``, or 9 digits without the 0),
    ``+33 ...`` or ``0033 ...``; other ``+`` numbers keep their digits.
    """
    text = _text(text)
    national = text.replace(" ", "")  # « 06 12 34 56 78 »: most numbers, no regex needed
    if len(national) == 10 and national[0] == "0" and national[1] != "0":
        if national.isascii() and national.isdigit():
            return "+33" + national[1:]
    if not _PHONE_CHARS_RE.match(text):
        return None
    digits = re.sub(r"\D", "", text)
    if text.startswith("+") or digits.startswith("00"):
        digits = digits if text.startswith("+") else digits[2:]
        if not digits.startswith("33"):
            return "+" + digits if 8 <= len(digits) <= 15 else None
        digits = digits[2:]
        if len(digits) == 10 and digits.startswith("0"):  # +33 (0)6 ...
            digits = digits[1:]
    elif len(digits) == 10 and digits.startswith("0"):
        digits = digits[1:]
    if len(digits) == 9 and not digits.startswith("0"):
        return "+33" + digits
    return None


def parse_prescriber(text):
    """Split "MARTIN Sophie - 59041 ARMENTIERES" into advisor, agency code and name.

    Returns a dict with ``advisor_name``, ``agency_code`` and ``agency_name`` (each None
    when absent).
    """
    result = dict.fromkeys(("advisor_name", "agency_code", "agency_name"))
    text = _text(text)
    if not text:
        return result
    parts = re.split(r"(?:^|\s+)-\s+|\s+-(?=\S)", text, maxsplit=1)
    if len(parts) == 2:
        advisor, agency = parts
        match = _AGENCY_RE.match(agency)
        result["advisor_name"] = advisor.strip() or None
        if match:
            result["agency_code"] = match["code"]
            result["agency_name"] = match["name"] or None
        else:
            result["agency_name"] = agency or None
        return result
    match = _PRESCRIBER_RE.match(text) or _AGENCY_RE.match(text)
    if not match:
        result["advisor_name"] = text
        return result
    result["advisor_name"] = match.groupdict().get("advisor") or None
    result["agency_code"] = match["code"]
    result["agency_name"] = match["name"] or None
    return result


def parse_datetime(text):
    """Parse a date and time ("12/01/2026 09:00", "2026-01-12 9h30"...) or raise ValueError."""
    match = _DATETIME_RE.match(_text(text))
    if not match:
        raise ValueError(text)
    return datetime.combine(_match_date(match), _match_time(match))


def parse_date(text, past=False, today=None):
    """Parse "dd/mm/yyyy" (or "yyyy-mm-dd", 2-digit years, a time ignored) or raise ValueError.

    A 2-digit year is taken in the 2000s, unless ``past`` and that is after ``today``'s
    year (by default, today's).
    """
    match = _DATE_RE.match(_text(text))
    if not match:
        raise ValueError(text)
    return _match_date(match, past=past, today=today)


def parse_time(text):
    """Parse "11h00", "9h", "09:00" or "09:00:00" or raise ValueError."""
    match = _TIME_RE.match(_text(text))
    if not match:
        raise ValueError(text)
    return _match_time(match)


def to_utc(local):
    """Convert a naive Europe/Paris date-time to a naive UTC one."""
    return local.replace(tzinfo=PARIS).astimezone(UTC).replace(tzinfo=None)


def is_other_provider(values, our_sirets, our_names):
    """Tell whether a row belongs to another provider of the same market.

    The provider's SIRET decides when both it and ``our_sirets`` are known; otherwise the
    provider's name is compared with ``our_names`` (case, accents, punctuation ignored).
    A row naming no provider is ours.
    """
    siret = re.sub(r"\s", "", values.get("provider_siret") or "")
    sirets = {re.sub(r"\s", "", number) for number in our_sirets if number}
    if siret and sirets:
        return siret not in sirets
    name = normalize_address(values.get("provider"))
    names = {normalize_address(our_name) for our_name in our_names} - {""}
    return bool(name and names) and name not in names


def normalize_reference(text):
    """Return a market reference uppercased without spaces, for comparison."""
    return re.sub(r"\s", "", text or "").upper()


def market_mismatches(rows, market_number):
    """Return the distinct market references of ``rows`` that differ from ``market_number``."""
    expected = normalize_reference(market_number)
    return sorted(
        {
            row.values["market"]
            for row in rows
            if row.values.get("market") and normalize_reference(row.values["market"]) != expected
        }
    )


# Low-level helpers -------------------------------------------------------------------


def _filled(value):
    """Whether a cell holds something other than spaces (``_text`` not empty)."""
    if isinstance(value, str):
        return bool(value) and not value.isspace()
    return value is not None


def _text(value):
    """Return a cell as text with its spaces collapsed ("" for an empty cell)."""
    if type(value) is str:  # noqa: E721 - most cells: the shortest way
        return " ".join(value.split())
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _match_date(match, past=False, today=None):
    if match["iy"]:
        return date(int(match["iy"]), int(match["im"]), int(match["id"]))
    year = int(match["y"])
    if year < 100:
        year += 2000
        if past and year > (today or date.today()).year:
            year -= 100
    return date(year, int(match["m"]), int(match["d"]))


def _match_time(match):
    minute = match["M"] or match["hM"] or 0
    return time(int(match["H"]), int(minute), int(match["S"] or 0))
