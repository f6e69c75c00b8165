"""Other readings of a published name, tried when it matches no body as written.

People write a body's name with its acronym in brackets (``Transport for London (TfL)``,
``SCC (Specialist Computer Centre)``), its acronym after it (``Defence Infrastructure
Organisation DIO``, ``Vehicle and Operator Services Agency - VOSA``), a kind the register's
name lacks (``Birmingham City Council Local Authority``, ``University of Oxford HEI``,
``(Closed) Competition Commission``: ``data/reference/name_descriptors.csv``), short forms of
words (``Bassetlaw DC``, ``Dept for Education``: ``data/reference/name_short_forms.csv``),
or a unit and its body together (``Consular Directorate, Foreign and Commonwealth Office``,
``DVLA (DfT), Swansea``). Each function here gives the readings of one kind; the resolver
(:mod:`loaders.bodies.resolution.names`) keeps a reading only when it names one body.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import product
from pathlib import Path
from typing import NamedTuple

from loaders.core.errors import LoaderInputError
from loaders.core.parsing import name_key
from loaders.core.vocabulary import REFERENCE_DIR

DESCRIPTORS = REFERENCE_DIR / "name_descriptors.csv"
SHORT_FORMS = REFERENCE_DIR / "name_short_forms.csv"
MAX_READINGS = 8  # short-form alternatives multiply: never more readings than this

_BRACKETED = re.compile(r"[(\[]\s*([^()\[\]]*?)\s*[)\]]")
_SEPARATORS = re.compile(
    r"\s+[-\u2013\u2014:|]\s+|\s*[,;/]\s*|[(\[\])]"
    r"|\s*\b(?:on behalf of|c/o|acting under|hosted by|(?:an? )?(?:executive agency |part )of"
    r"(?: the)?|sponsored by|within)\s+",
    re.IGNORECASE,
)
_ACRONYM = re.compile(r"^(?=(?:.*[A-Z]){2})[A-Za-z0-9&.]{2,10}$")  # TfL, DfE, DE&S, H.M.R.C.
_SMALL_WORDS = frozenset({"of", "and", "for", "the", "in", "on", "at", "to", "&"})


class Reading(NamedTuple):
    """Another way to read a published name: the text, how it was read, and the sectors a
    body must be of for the reading to hold (empty: any sector)."""

    text: str
    method: str  # "trimmed" (a part dropped), "added" (words spelt out or added), "acronym",
    # "part"; a reading that adds words is only ever looked up exactly
    sectors: frozenset[str] = frozenset()
    spelt_out: str = ""  # for an acronym: the words it abbreviates, when the name gives them


def looks_like_acronym(text: str) -> bool:
    """Whether ``text`` is written like an acronym: one word of 2 to 10 letters with at least
    two capitals (``TfL``, ``DfE``, ``HMRC``, ``DE&S``)."""
    return bool(_ACRONYM.match(text.strip()))


def initials(words: list[str]) -> str:
    """Initials of ``words`` without small words, lower case: ``Driver and Vehicle Licensing
    Agency`` -> ``dvla``."""
    return "".join(w[0] for w in words if w and w.lower() not in _SMALL_WORDS).lower()


def bracket_readings(name: str) -> list[Reading]:
    """``X (Y)`` and ``(Y) X``: X alone, and Y alone (an acronym when written like one, else
    a part of the name); an acronym that is the initials of the words before it carries
    them (``Greater London Authority (GLA)``), so that it is never read as another body of
    those initials (the Gangmasters Licensing Authority, which GOV.UK abbreviates alike).

    ``Transport for London (TfL)`` -> ``Transport for London``; ``Criminal Injuries
    Compensation Authority (Ministry of Justice)`` -> both parts; ``Acas (Advisory,
    Conciliation and Arbitration Service)`` -> the words in brackets.
    """
    inside = [m.group(1) for m in _BRACKETED.finditer(name) if m.group(1).strip()]
    if not inside:
        return []
    outside = " ".join(_BRACKETED.sub(" ", name).split())
    out = []
    outside_is_acronym = _initials_of(outside, inside)
    if outside and not outside_is_acronym:
        out.append(Reading(outside, "acronym" if looks_like_acronym(outside) else "trimmed"))
    for text in inside:
        before = name[: name.find(text)].strip(" ([")
        spelt_out = before if _initials_of(text, [before]) else ""
        kind = "trimmed" if outside_is_acronym else "part"
        method = "acronym" if looks_like_acronym(text) or spelt_out else kind
        out.append(Reading(text, method, spelt_out=spelt_out))
    return out


def _initials_of(acronym: str, texts: list[str]) -> bool:
    """Whether ``acronym`` (written like one) is the initials of one of ``texts``, or of the
    words at the end of one (``Greater London Authority (GLA)``: the GLA is not the
    Gangmasters Licensing Authority that GOV.UK abbreviates alike)."""
    if len(acronym.split()) != 1 or not 2 <= len(acronym) <= 10:
        return False
    wanted = re.sub(r"[^a-z0-9]", "", acronym.lower().replace("&", "and"))
    for text in texts:
        words = re.sub(r"[^A-Za-z0-9&' ]", " ", text).split()
        for start in range(len(words)):
            rest = words[start:]
            if wanted in (initials(rest), "".join(w[0] for w in rest).lower()):
                return True
    return False


def trailing_acronym_readings(name: str) -> list[Reading]:
    """A name followed by its own acronym: ``Defence Infrastructure Organisation DIO`` and
    ``Vehicle and Operator Services Agency - VOSA`` -> the name alone, and the acronym alone.

    Only when the last word is written like an acronym and is the initials of the words
    before it, so ``Ministry of Defence Abbey Wood`` keeps its place name.
    """
    words = name.replace(" - ", " ").split()
    if len(words) < 3 or not looks_like_acronym(words[-1]):
        return []
    last = re.sub(r"[^a-z0-9]", "", words[-1].lower().replace("&", "and"))
    rest = words[:-1]
    if last not in (initials(rest), initials(rest).replace("and", "")):
        return []
    return [Reading(" ".join(rest), "trimmed"), Reading(words[-1], "acronym")]


@dataclass(frozen=True)
class Descriptor:
    """A kind written beside a body's name: its words, the sectors it implies, and whether
    a register name may carry it where a published name lacks it (``added``)."""

    words: tuple[str, ...]
    sectors: frozenset[str]
    added: bool = False


def read_rows(path: Path, columns: tuple[str, ...]) -> list[dict[str, str]]:
    """Rows of a reference CSV (values stripped); :class:`LoaderInputError` naming the file
    when it cannot be read or lacks one of ``columns``."""
    try:
        with Path(path).open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = set(columns) - set(reader.fieldnames or [])
            if missing:
                raise LoaderInputError(path, f"missing column(s) {', '.join(sorted(missing))}")
            return [{k: (v or "").strip() for k, v in row.items() if k} for row in reader]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise LoaderInputError(path, f"cannot read the file: {exc}") from exc


@lru_cache(maxsize=4)
def read_descriptors(path: Path = DESCRIPTORS) -> tuple[Descriptor, ...]:
    """The descriptors of ``name_descriptors.csv`` (``descriptor,sectors,added,note``;
    sectors separated by ``|``), longest first. Raises :class:`LoaderInputError` if
    unreadable."""
    found = []
    for row in read_rows(path, ("descriptor", "sectors")):
        words = tuple(name_key(row["descriptor"]).split())
        sectors = frozenset(s.strip() for s in row["sectors"].split("|") if s.strip())
        if words:
            found.append(Descriptor(words, sectors, row.get("added", "") == "yes"))
    return tuple(sorted(found, key=lambda d: -len(d.words)))


def descriptor_readings(key: str, descriptors: tuple[Descriptor, ...]) -> list[Reading]:
    """A match key without a descriptor at its end or start (never leaving it empty):
    ``birmingham city council local authority`` -> ``birmingham city council``, to be kept
    only for a body of Local Government; and with a descriptor the register's name may
    carry (``added``): ``east of england ambulance service`` -> ``... service nhs trust``."""
    words = key.split()
    out = [
        Reading(f"{key} {' '.join(d.words)}", "added", d.sectors)
        for d in descriptors
        if d.added and not set(words) & set(d.words)
    ]
    for descriptor in descriptors:
        size = len(descriptor.words)
        if len(words) <= size:
            continue
        if tuple(words[-size:]) == descriptor.words:
            out.append(Reading(" ".join(words[:-size]), "trimmed", descriptor.sectors))
        if tuple(words[:size]) == descriptor.words:
            out.append(Reading(" ".join(words[size:]), "trimmed", descriptor.sectors))
    return out


@dataclass(frozen=True)
class ShortForms:
    """Short forms of words: those spelt out in every match key, and those tried as readings
    (each with its spellings: ``cc`` -> ``city council`` or ``county council``)."""

    in_key: dict[str, str]
    readings: dict[tuple[str, ...], tuple[str, ...]]


@lru_cache(maxsize=4)
def read_short_forms(path: Path = SHORT_FORMS) -> ShortForms:
    """``name_short_forms.csv`` (``short,long,use``: ``key`` or ``reading``; alternatives of
    ``long`` separated by ``|``). Raises :class:`LoaderInputError` if unreadable."""
    in_key: dict[str, str] = {}
    readings: dict[tuple[str, ...], tuple[str, ...]] = {}
    for row in read_rows(path, ("short", "long", "use")):
        short = name_key(row["short"])
        longs = tuple(name_key(x) for x in row["long"].split("|") if x.strip())
        if not short or not longs:
            continue
        if row["use"] == "key":
            in_key[short] = longs[0]
        else:
            readings[tuple(short.split())] = longs
    return ShortForms(in_key, readings)


def short_form_readings(key: str, forms: ShortForms) -> list[Reading]:
    """A match key with its short forms spelt out, every combination of their spellings (at
    most :data:`MAX_READINGS`): ``bassetlaw dc`` -> ``bassetlaw district council``. A short
    form of several words is read at the end of the name only (``kingston hospital nhs
    trust`` -> ``kingston hospital nhs foundation trust``)."""
    words = key.split()
    choices: list[tuple[str, ...]] = [forms.readings.get((w,), (w,)) for w in words]
    endings = sorted((s for s in forms.readings if len(s) > 1), key=len, reverse=True)
    for short in endings:
        if len(words) > len(short) and tuple(words[-len(short) :]) == short:
            choices = choices[: -len(short)] + [forms.readings[short]]
            break
    if len(choices) == len(words) and all(c == (w,) for c, w in zip(choices, words, strict=True)):
        return []
    out = []
    for combination in product(*choices):
        out.append(Reading(" ".join(combination), "added"))
        if len(out) >= MAX_READINGS:
            break
    return out


def segment_readings(name: str) -> list[Reading]:
    """The parts of a name that joins a unit, a place or a parent body to a body
    (``Consular Directorate, Foreign and Commonwealth Office``; ``DVLA (DfT), Swansea``;
    ``Ambulance Radio Programme on behalf of Department of Health``): each part alone."""
    parts = [" ".join(p.split()) for p in _SEPARATORS.split(name) if p and p.strip(" .")]
    parts = [p.strip(" .") for p in parts]
    if len(parts) < 2:
        return []
    return [Reading(p, "part") for p in dict.fromkeys(parts) if p]


_INVERTED = re.compile(
    r"^(?P<rest>[^,]+),\s*(?P<head>(?:the\s+)?[A-Za-z]+\s+(?:of|for)(?:\s+the)?)\s*(?P<tail>\(.*\))?$",
    re.IGNORECASE,
)
_LOST = re.compile(r"(?<=\w)\?(?=\w)|(?<=\w)\?$")


def inverted_readings(name: str) -> list[Reading]:
    """A name written index-style, its head after a comma: ``Health, Department of`` ->
    ``Department of Health``; ``Transport, Department for (DfT)`` -> ``Department for
    Transport``."""
    found = _INVERTED.match(name.strip())
    if not found:
        return []
    return [Reading(f"{found['head']} {found['rest'].strip()}", "trimmed")]


def lost_character_readings(name: str) -> list[Reading]:
    """A name whose apostrophes or dashes were lost to a ``?`` when it was saved in another
    encoding (``Information Commissioner?s Office``, ``First?Tier Tribunal``)."""
    if not _LOST.search(name):
        return []
    return [Reading(_LOST.sub(c, name), "trimmed") for c in ("'", "-")]
