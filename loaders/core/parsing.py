"""Pure parsers for the values found in published spend files.

Each scalar parser takes one raw cell (text, number or date, as read from CSV or XLSX) and
returns the parsed value or ``None`` when it cannot be read. The ``*_series`` helpers apply a
scalar parser once per distinct value, which keeps large releases fast: a release of 270,000
rows has a few dozen distinct months and far fewer distinct names than rows.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from loaders.core.text import fold_text

EXCEL_EPOCH = dt.date(1899, 12, 30)
# Workbooks on the 1904 date system (``<workbookPr date1904="1"/>``, old Mac Excel) count
# serial numbers from 1 January 1904: the same serial is 1,462 days later than on the 1900
# system.
EXCEL_EPOCH_1904 = dt.date(1904, 1, 1)
# Excel serial numbers between these bounds (1900 system) are dates between 1960 and 2109.
_SERIAL_MIN, _SERIAL_MAX = 21916, 76000
_EPOCH_SHIFT_1904 = (EXCEL_EPOCH_1904 - EXCEL_EPOCH).days

# The error values Excel shows in a cell whose formula failed (python-calamine reads them as
# empty cells; :mod:`loaders.core.spreadsheets` restores them, and CSV exports hold them as text).
EXCEL_ERRORS = frozenset(
    """#NULL! #DIV/0! #VALUE! #REF! #NAME? #NUM! #N/A #GETTING_DATA #SPILL! #CALC!
    #FIELD! #BLOCKED! #CONNECT! #BUSY! #UNKNOWN!""".split()
)

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}

# ``$`` is read as ``£``: the supplier-return intake itself strips it as a slip of the key
# next to ``£`` (amounts are pounds ex VAT whatever the symbol); extraction counts such cells.
# Accounting exports mark a credit with ``CR`` after the amount (``1,200.00 CR``) and may
# mark a debit ``DR``; they put the currency outside the brackets of a credit (``£(250.00)``).
_MONEY = re.compile(
    r"^(?P<open>\()?(?P<sign>-)?(?:£|GBP|\$)?(?P<sign2>-)?(?P<open2>\()?"
    r"(?P<int>\d{1,3}(?:,\d{3})+|\d+)?(?P<dec>\.\d+)?(?P<close>\))?(?P<trail>-)?"
    r"(?:GBP)?(?P<mark>CR|DR)?$",
    re.IGNORECASE,
)
# An accounting format shows zero as a dash: ``£ -``, ``-``, ``£ -   ``.
_ACCOUNTING_ZERO = re.compile(r"^(?:£|GBP)?[-\u2013]$", re.IGNORECASE)
_SCIENTIFIC = re.compile(r"^[-+]?\d+(\.\d+)?[eE][-+]?\d+$")
_WHITESPACE = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u00a0\u200b\ufeff]")

# Date patterns, tried in order; each is anchored at the start and may be followed by
# stray characters (``01/05/2012.``), but never by another digit.
_ISO_DATE = re.compile(r"^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?!\d)")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{1,2})(?![\d-])")
_UK_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})(?!\d)")
_DAY_MONTH_NAME = re.compile(
    r"^(\d{1,2})(?:st|nd|rd|th)?[-\s/]+([a-z]{3,9})\.?[-\s/,]*(\d{4}|\d{2})(?!\d)"
)
# ``Jan 22, 2019``, ``January 2nd 2019``: a four-digit year only (``Jan 22`` is January 2022).
_MONTH_NAME_DAY_YEAR = re.compile(r"^([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?!\d)")
_MONTH_NAME_YEAR = re.compile(r"^([a-z]{3,9})[-\s/,']*(\d{4}|\d{2})(?!\d)")
_SERIAL_TEXT = re.compile(r"^(\d{5})(?:\.0*)?(?![\d.])")
# Financial-period months of accounting systems: ``2019/20 P01``, ``P1 2019-20``,
# ``FY2019/20 Period 3``: period 1 is April of the financial year's first calendar year.
_FINANCIAL_YEAR = r"(?:fy)?\s*(?P<year>\d{4}|\d{2})\s*[/-]\s*(?P<next>\d{4}|\d{2})"
_PERIOD = r"(?:p|period|per)\.?\s*(?P<period>\d{1,2})"
_PERIOD_MONTHS = (
    re.compile(rf"^{_FINANCIAL_YEAR}[\s,:-]*{_PERIOD}\s*$"),
    re.compile(rf"^{_PERIOD}[\s,:-]*{_FINANCIAL_YEAR}\s*$"),
)


def _period_match(text: str) -> re.Match[str] | None:
    return next((m for pattern in _PERIOD_MONTHS if (m := pattern.match(text))), None)


def parse_money(value: object) -> float | None:
    """Read an amount of pounds: ``1234.5``, ``£1,234.56``, ``(£1,234.56)``, ``-£1,234.56``.

    Parentheses (before or after ``£``), a leading or trailing minus, or ``CR`` after the
    amount (``1,200.00 CR``, ``1,000.00Cr``) mean a credit (negative); ``DR`` marks a debit.
    An accounting zero (``£ -``) is zero. Commas, spaces, non-breaking or thin spaces may
    group thousands (``3 000.50``). ``$`` counts as ``£`` (``$1,234.56`` is £1,234.56: see
    :data:`_MONEY`). Returns ``None`` for blanks and anything else.
    """
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float, np.integer, np.floating)):
        number = float(value)
        return number if math.isfinite(number) else None
    text = _WHITESPACE.sub("", str(value)).replace("\u2212", "-")
    if _SCIENTIFIC.match(text):
        number = float(text)
        return number if math.isfinite(number) else None
    if _ACCOUNTING_ZERO.match(text):
        return 0.0
    match = _MONEY.match(text)
    if not match or not (match["int"] or match["dec"]):
        return None
    opened = bool(match["open"]) + bool(match["open2"])
    if opened > 1 or bool(opened) != bool(match["close"]):
        return None
    credit = (match["mark"] or "").upper() == "CR"
    signs = sum(bool(match[g]) for g in ("sign", "sign2", "trail")) + opened + credit
    if signs > 1 or (match["mark"] and (opened or match["trail"])):
        return None
    number = float((match["int"] or "0").replace(",", "") + (match["dec"] or ""))
    return -number if signs else number


MONEY_NOTATIONS = ("credit marked CR", "debit marked DR", "accounting zero")


def money_notation(value: object) -> str | None:
    """Which accounting notation an amount is written in (one of :data:`MONEY_NOTATIONS`),
    if any: what the load report counts per file."""
    if not isinstance(value, str):
        return None
    text = _WHITESPACE.sub("", value)
    if _ACCOUNTING_ZERO.match(text):
        return MONEY_NOTATIONS[2]
    match = _MONEY.match(text)
    mark = (match["mark"] or "").upper() if match else ""
    if mark and parse_money(value) is not None:
        return MONEY_NOTATIONS[0] if mark == "CR" else MONEY_NOTATIONS[1]
    return None


def _first_of_month(year: int, month: int, day: int = 1) -> dt.date | None:
    if year < 100:
        year += 2000
    try:
        dt.date(year, month, day)
    except ValueError:
        return None
    return dt.date(year, month, 1)


def _from_serial(serial: float, date1904: bool = False) -> dt.date | None:
    shifted = serial + _EPOCH_SHIFT_1904 if date1904 else serial
    if not (_SERIAL_MIN <= shifted <= _SERIAL_MAX):
        return None
    day = EXCEL_EPOCH + dt.timedelta(days=int(shifted))
    return day.replace(day=1)


def numeric_date_parts(value: object) -> tuple[int, int] | None:
    """The first two numbers of a ``1/22/19``-style text date (either order), else ``None``."""
    if not isinstance(value, str):
        return None
    match = _UK_DATE.match(value.strip())
    return (int(match[1]), int(match[2])) if match else None


def _period_month(match: re.Match[str]) -> dt.date | None:
    """The month of a financial period (P1 = April ... P12 = March), if it is one."""
    year, following, period = int(match["year"]), int(match["next"]), int(match["period"])
    year += 2000 if year < 100 else 0
    following += (year // 100) * 100 if following < 100 else 0
    if following != year + 1 or not 1 <= period <= 12:
        return None
    month = (period + 2) % 12 + 1  # P1 -> 4 (April), P9 -> 12, P10 -> 1
    return dt.date(year + (period >= 10), month, 1)


def is_period_month(value: object) -> bool:
    """Whether a cell is written as a financial period (``2019/20 P01``) that reads as a month."""
    match = _period_match(value.strip().lower()) if isinstance(value, str) else None
    return match is not None and _period_month(match) is not None


def _month_from_text(text: str, day_first: bool, date1904: bool) -> dt.date | None:
    text = text.strip().lower()
    if m := _period_match(text):
        return _period_month(m)
    if m := _ISO_DATE.match(text):
        return _first_of_month(int(m[1]), int(m[3]), int(m[4]))
    if m := _ISO_MONTH.match(text):
        return _first_of_month(int(m[1]), int(m[2]))
    if m := _UK_DATE.match(text):
        day, month = (m[1], m[2]) if day_first else (m[2], m[1])
        return _first_of_month(int(m[3]), int(month), int(day))
    if (m := _DAY_MONTH_NAME.match(text)) and m[2] in _MONTHS:
        return _first_of_month(int(m[3]), _MONTHS[m[2]], int(m[1]))
    if (m := _MONTH_NAME_DAY_YEAR.match(text)) and m[1] in _MONTHS:
        return _first_of_month(int(m[3]), _MONTHS[m[1]], int(m[2]))
    if (m := _MONTH_NAME_YEAR.match(text)) and m[1] in _MONTHS:
        return _first_of_month(int(m[2]), _MONTHS[m[1]])
    if m := _SERIAL_TEXT.match(text):
        return _from_serial(float(m[1]), date1904)
    return None


def parse_month(value: object, day_first: bool = True, date1904: bool = False) -> dt.date | None:
    """Read the month of spend as the first day of that month.

    Accepts dates and datetimes (from XLSX), Excel serial numbers (``41000``), ISO text
    (``2012-04-01``), numeric dates (``01/04/2012``, ``01/04/12``), ``Jan-17`` and ``January 2017``,
    with stray trailing characters tolerated (``01/05/2012.``), and financial periods
    (``2019/20 P01`` and ``P1 2019-20`` are April 2019, ``P12`` is March of the next year).
    Numeric dates are read day first (UK) unless ``day_first`` is false (``1/22/19``); the
    order of a column is decided from its values by :mod:`loaders.sources.ccs_spend.dates`.
    ``date1904``: serial numbers count from 1904 (a workbook on the 1904 date system).
    Returns ``None`` when no month can be read.
    """
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().replace(day=1)
    if isinstance(value, dt.date):
        return value.replace(day=1)
    if isinstance(value, (int, float, np.integer, np.floating)):
        return _from_serial(float(value), date1904) if math.isfinite(value) else None
    return _month_from_text(str(value), day_first, date1904)


def clean_name(value: object) -> str:
    """Display form of a name: control characters removed, whitespace collapsed, trimmed."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _WHITESPACE.sub(" ", _CONTROL.sub(" ", str(value))).strip()


_KEY_PUNCTUATION = re.compile(r"[^0-9a-z ]+")


def is_excel_error(value: object) -> bool:
    """Whether a cell holds an Excel error value (``#REF!``, ``#N/A``...)."""
    return isinstance(value, str) and "#" in value[:8] and value.strip().upper() in EXCEL_ERRORS


def name_key(name: str, drop_suffixes: Iterable[str] = (), leading: Iterable[str] = ()) -> str:
    """Normalised key of a body's name, for counting distinct bodies.

    Lower case, accents and typographic punctuation folded (:func:`fold_text`), ``&`` as
    ``and``, apostrophes removed, other punctuation as spaces; leading articles (``the``) and
    trailing legal forms (``ltd``, ``limited``, ``plc``) dropped. ``"The Department For Work
    & Pensions"`` and ``"department for work and pensions"`` share one key.
    """
    text = fold_text(name).replace("&", " and ").replace("'", "")
    words = _KEY_PUNCTUATION.sub(" ", text).split()
    for article in leading:
        if len(words) > 1 and words[0] == article:
            words = words[1:]
    changed = True
    while changed and len(words) > 1:
        changed = False
        for suffix in drop_suffixes:
            parts = suffix.split()
            if len(words) > len(parts) and words[-len(parts) :] == parts:
                words = words[: -len(parts)]
                changed = True
                break
    return " ".join(words)


def map_unique(values: pd.Series, parse: Callable[[object], object]) -> pd.Series:
    """Apply ``parse`` once per distinct value of ``values`` and spread the results back."""
    return pd.Series(Coded.of(values).map(parse), index=values.index, dtype=object)


def object_array(items: Sequence[object]) -> np.ndarray:
    """A 1-D object array of ``items`` (tuples stay elements, never become rows)."""
    return np.fromiter(items, dtype=object, count=len(items))


@dataclass(frozen=True)
class Coded:
    """A column factorised once: row ``i`` holds ``uniques[codes[i]]``.

    Parsers run once per distinct value and their results are spread back with one take,
    so a column is factorised once however many things are read from it. Missing cells
    (``None``, NaN) read as empty strings. ``uniques`` may repeat a value (a column derived
    from another keeps its codes), which only costs a repeated parse. As with any hashing,
    values equal in Python (``1``, ``1.0``, ``True``) count as one distinct value.
    """

    codes: np.ndarray  # intp, one per row, every code a valid position in ``uniques``
    uniques: np.ndarray  # object

    @classmethod
    def of(cls, values: pd.Series | np.ndarray) -> Coded:
        """Factorise ``values``; missing cells become ``""``."""
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        extended = np.empty(len(uniques) + 1, dtype=object)
        extended[:-1] = np.asarray(uniques, dtype=object)
        extended[-1] = ""
        codes = codes.astype(np.intp, copy=False)
        codes[codes < 0] = len(uniques)
        return cls(codes, extended)

    @classmethod
    def constant(cls, value: object, rows: int) -> Coded:
        """A column of ``rows`` cells all holding ``value``."""
        return cls(np.zeros(rows, dtype=np.intp), object_array([value]))

    def __len__(self) -> int:
        return len(self.codes)

    def subset(self, rows: np.ndarray) -> Coded:
        """The rows selected by a boolean mask or positions, same uniques."""
        return Coded(self.codes[rows], self.uniques)

    def used_mask(self) -> np.ndarray:
        """Which uniques some row holds."""
        seen = np.zeros(len(self.uniques), dtype=bool)
        seen[self.codes] = True
        return seen

    def used(self) -> np.ndarray:
        """Positions of the uniques that some row holds."""
        return np.flatnonzero(self.used_mask())

    def plain_floats(self) -> np.ndarray:
        """Which uniques are plain Python floats (what workbooks hold for numbers)."""
        return np.fromiter(
            (type(u) is float for u in self.uniques), dtype=bool, count=len(self.uniques)
        )

    def parse_uniques(self, parse: Callable[[object], object]) -> np.ndarray:
        """``parse`` of every unique some row holds (``None`` for the others), as objects."""
        out = np.full(len(self.uniques), None, dtype=object)
        used = self.used()
        out[used] = object_array([parse(u) for u in self.uniques[used].tolist()])
        return out

    def map(self, parse: Callable[[object], object]) -> np.ndarray:
        """``parse`` of each row's value (object array), run once per distinct value."""
        return self.parse_uniques(parse)[self.codes]

    def categorical(self, parse: Callable[[object], object] | None = None) -> pd.Categorical:
        """Each row's value (``parse`` of it, run once per distinct value) as a categorical:
        4 bytes or fewer a row instead of an object pointer. ``None`` and NaN results are
        missing; the categories are the distinct results some row holds, in no set order."""
        values = self.uniques if parse is None else self.parse_uniques(parse)
        if parse is None:  # unused uniques must not become categories
            values = np.where(self.used_mask(), values, None)
        codes, categories = pd.factorize(values, use_na_sentinel=True)
        return pd.Categorical.from_codes(codes[self.codes], categories=categories)

    def derive(self, parse: Callable[[object], object]) -> Coded:
        """The column of ``parse`` of each value, still coded (no per-row work)."""
        return Coded(self.codes, self.parse_uniques(parse))


def combinations(columns: list[Coded]) -> tuple[np.ndarray, list[tuple[object, ...]]]:
    """Distinct combinations of values across ``columns``: each row's combination, and them.

    Returns ``(codes, cells)`` where row ``i`` holds ``cells[codes[i]]``.
    """
    rows = len(columns[0])
    key = np.zeros(rows, dtype=np.int64)
    for column in columns:  # re-factorised at each step, so the key never overflows
        key, _ = pd.factorize(key * len(column.uniques) + column.codes)
    _, first = np.unique(key, return_index=True)  # a row holding each combination
    cells = [tuple(c.uniques[c.codes[row]] for c in columns) for row in first.tolist()]
    return key, cells


def _finite(numbers: np.ndarray) -> np.ndarray:
    numbers[~np.isfinite(numbers)] = np.nan
    return numbers


def money_of(column: Coded) -> np.ndarray:
    """Amounts of a coded column as float pounds per row (NaN where unreadable).

    Plain floats (what workbooks hold) are converted in one vectorised step; anything else
    goes through :func:`parse_money` once per distinct value.
    """
    uniques = column.uniques
    floats = column.plain_floats()
    out = np.full(len(uniques), np.nan)
    out[floats] = _finite(uniques[floats].astype("float64"))
    for position in np.flatnonzero(column.used_mask() & ~floats).tolist():
        parsed = parse_money(uniques[position])
        out[position] = np.nan if parsed is None else parsed
    return out[column.codes]


def months_of(column: Coded, day_first: bool = True, date1904: bool = False) -> np.ndarray:
    """Months of a coded column as ``datetime64[ns]`` first days per row (NaT if unreadable);
    ``day_first`` and ``date1904`` as for :func:`parse_month`."""

    def parse(value: object) -> dt.date | None:
        return parse_month(value, day_first, date1904)

    parsed = pd.Series(column.parse_uniques(parse), dtype=object)
    months = pd.to_datetime(parsed, errors="coerce").astype("datetime64[ns]")
    return months.to_numpy()[column.codes]


_NAME_DATE_PATTERNS = (
    # 2021-03-31, 2021_03, 20210331
    (re.compile(r"(?<!\d)(20\d{2})[-_ .]?(0[1-9]|1[0-2])(?:[-_ .]?([0-3]\d))?(?!\d)"), "ymd"),
    # 14-07-14 (day-month-year, UK order)
    (re.compile(r"(?<!\d)([0-3]\d)[-_ .](0[1-9]|1[0-2])[-_ .](\d{2})(?!\d)"), "dmy"),
    # Dec2017, March_2018, end-of-Mar-18
    (re.compile(r"([a-z]{3,9})[-_ .]?(20\d{2}|\d{2})(?!\d)"), "my"),
)


def _date_from_match(match: re.Match[str], order: str) -> dt.date | None:
    if order == "ymd":
        day = int(match[3]) if match[3] else 1
        return _valid_date(int(match[1]), int(match[2]), day)
    if order == "dmy":
        return _valid_date(2000 + int(match[3]), int(match[2]), int(match[1]))
    month = _MONTHS.get(match[1])
    if month is None:
        return None
    year = int(match[2])
    return _valid_date(year + 2000 if year < 100 else year, month, 1)


def _valid_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def date_in_file_name(name: str) -> dt.date | None:
    """The publication date written in a release's file name, if any.

    ``G-Cloud-Spend-14-07-14-v2.csv`` -> 2014-07-14; ``DOS-spend-Dec2017.csv`` -> 2017-12-01;
    ``G-Cloud_spend_data_to_end_March_2018.csv`` -> 2018-03-01; ``spend-2021-03.xlsx`` ->
    2021-03-01.
    """
    stem = name.lower()
    for pattern, order in _NAME_DATE_PATTERNS:
        for match in pattern.finditer(stem):
            found = _date_from_match(match, order)
            if found:
                return found
    return None
