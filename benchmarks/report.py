"""The benchmark's one table, its formatting, and ``benchmarks/RESULTS.md``.

Units are decimal: 1 KB = 1,000 bytes, 1 GB = 10^9 bytes (the stricter reading of the
targets).
"""

from __future__ import annotations

import datetime as dt
import os
import platform
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd

from benchmarks.probes import COLUMNS

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


@dataclass
class Row:
    """One line of the table: our figure, the baseline's, their ratio and the target."""

    rows: str
    stage: str
    measure: str
    ours: str
    baseline: str = ""
    ratio: str = ""
    target: str = ""
    met: str = ""


@dataclass
class Results:
    """Everything one run produced."""

    rows: list[Row] = field(default_factory=list)
    probes: list[dict[str, str]] = field(default_factory=list)  # hostile probes' table
    stage_seconds: list[tuple[str, str, float]] = field(default_factory=list)  # size, stage, s
    notes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def frame(self) -> pd.DataFrame:
        """The table."""
        columns = list(Row.__dataclass_fields__)
        return pd.DataFrame([asdict(r) for r in self.rows], columns=columns)

    def probe_table(self) -> pd.DataFrame:
        """The hostile probes: probe, kind, expected, got, ok."""
        return pd.DataFrame(self.probes, columns=list(COLUMNS))

    def stage_table(self) -> pd.DataFrame:
        """Wall time of each stage per size (generation and caching included)."""
        frame = pd.DataFrame(self.stage_seconds, columns=["rows", "stage", "seconds"])
        return frame.assign(seconds=frame["seconds"].round(1))


def seconds(value: float) -> str:
    """``850 ms`` below a second, else ``12.98 s``."""
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def millis(value: float) -> str:
    """Milliseconds: ``12.3`` under 100, whole numbers above."""
    return f"{value:.1f}" if value < 100 else f"{value:,.0f}"


def kilobytes(value: float) -> str:
    """Bytes as ``40.1 KB``."""
    return f"{value / 1000:,.1f} KB"


def gigabytes(value: float) -> str:
    """Bytes as ``1.23 GB``."""
    return f"{value / 1e9:.2f} GB"


def megabytes(value: float) -> str:
    """Bytes as ``412 MB`` (``1.23 GB`` from a gigabyte up)."""
    return gigabytes(value) if value >= 1e9 else f"{value / 1e6:,.0f} MB"


def faster(baseline: float, ours: float) -> str:
    """``12.0x faster`` (or ``2.0x slower``) for two times of the same work."""
    ratio = baseline / ours
    return f"{ratio:.1f}x faster" if ratio >= 1 else f"{1 / ratio:.1f}x slower"


def verdict(ok: bool) -> str:
    """``yes`` or ``NO``."""
    return "yes" if ok else "NO"


def machine() -> str:
    """One line about the machine the numbers were measured on."""
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 2**20:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return (
        f"{platform.machine()}, {os.cpu_count()} cores{memory}, Python "
        f"{platform.python_version()}, pandas {pd.__version__}, "
        f"{platform.system()} {platform.release()}"
    )


def printed(results: Results) -> str:
    """The table and the stage times as printed on the terminal."""
    parts = [f"Benchmarks ({machine()})"]
    if results.rows:
        parts += ["", results.frame().to_string(index=False)]
    if results.probes:
        probes = results.probe_table()
        parts += ["", f"Hostile probes ({probes_summary(probes)}):", *_plain_table(probes)]
    if results.notes:
        parts += ["", *[f"- {n}" for n in results.notes]]
    stages = results.stage_table()
    if len(stages):
        parts += [
            "",
            "Wall time per stage (seconds, generation and caching included):",
            stages.to_string(index=False),
        ]
    if results.errors:
        parts += ["", "ERRORS:", *results.errors]
    return "\n".join(parts)


EXPLANATION = """\
Every ratio compares two things measured in the same run on the same data. Data come from
`benchmarks/generate.py`: the bundled sample's distributions (months with their growth and
seasonality, framework / iteration / lot mix, buyers with URN and sector, suppliers with SME
status, amounts with credits) scaled to N rows with a fixed seed; buyers and suppliers grow
as sqrt(N) (regional variants of real bodies), and each customer-supplier-lot relationship
bills monthly for several months.

- **Cold ingest**: one cumulative CCS-layout XLSX release (two title rows, header, N rows,
  Total row). The naive baseline `pd.read_excel(engine="openpyxl")` only reads the sheet;
  python-calamine's `to_python()` is the raw speed of the parser we use (the 1.3x target is
  against it), with `pd.read_excel(engine="calamine")` shown beside it; `loaders.load` also
  finds the header, maps and parses every column, quarantines, infers, combines and
  reconciles. Writing XLSX is capped (default 500k rows: the loaders refuse a workbook of over
  512 MB of sheet XML, about 830k rows of this layout): larger sizes skip this stage.
- **Ingest memory**: the peak RSS (`VmHWM`) of a process of its own that ingests the monthly
  CSV releases below into a store (`loaders.load` then `loaders.write_store`), at every size.
- **Incremental ingest**: the N rows as one CSV release per month (`spend-YYYY-MM-DD.csv`,
  each with a Total row) ingested into a store; then the next month's release is added and
  everything ingested again, with the loader's extract cache (`cache_dir`) in the store's
  folder when the loader has one. Ratios are against `loaders.load(new_file)` alone.
- **Warm start**: a fresh process per app and size; time from `create_app(store)` to the
  first overview response through the Flask test client (imports are shown apart). The
  store's file pages are warm in the OS page cache: the suite has just written or read them.
- **Callbacks**: the page callback posted to `/_dash-update-component` exactly as the browser
  does, with seeded random filter sets (financial years, month ranges, framework, iteration,
  lot, buyer group, sector, SME, now and then a customer or supplier, the chart period;
  departments from `data/reference/departments.csv`). The first requests of each page are
  warm-ups (their times are given in brackets) and are not counted. Bytes are the JSON
  response. The naive baseline (`benchmarks/naive_app.py`) is a typical Dash app: one global
  frame with object columns, filtered with boolean masks and grouped per request, Plotly
  Express figures; same requests, its own process.
- **Memory**: peak RSS of the serving process after the callback run (`VmHWM`; not
  `ru_maxrss`, which on Linux keeps the parent's RSS at the fork that started the process).

The machine may be shared: the load average at the start and end of the run is given below,
and a loaded machine slows every measurement (ratios less than absolute times).

Units: 1 KB = 1,000 bytes, 1 GB = 10^9 bytes.
"""


def markdown(results: Results, command: str) -> str:
    """``RESULTS.md``: date, machine, explanation, the table and the stage times."""
    stages = results.stage_table()
    text = [
        "# Benchmark results",
        "",
        f"Measured {dt.date.today().isoformat()} on {machine()}, with `{command}`.",
        "",
        EXPLANATION,
        "```",
        results.frame().to_string(index=False),
        "```",
    ]
    if results.notes:
        text += ["", *[f"- {n}" for n in results.notes]]
    if len(stages):
        text += [
            "",
            "Wall time of each stage (seconds; generating and caching data included):",
            "",
            "```",
            stages.to_string(index=False),
            "```",
        ]
    if results.errors:
        text += ["", "Errors:", "", *[f"- {e}" for e in results.errors]]
    return "\n".join(text) + "\n"


LOAD_BEGIN = "<!-- load test: written by python -m benchmarks --only load -->"
LOAD_END = "<!-- end of the load test -->"

LOAD_EXPLANATION = """\
gunicorn started as the README documents (`gunicorn.conf.py`: the master builds and warms
the app, then forks the workers: as many, with as many threads, as the first row
says) on the store, with an empty shared query cache. Simulated users (threads of a
`requests` client on the same 2-core machine, so the client takes some of the CPU it
measures) each open a random link (every page, random filters as in the callbacks benchmark,
the buyer page naming a customer), then click a random link after each pause (uniform
between half and one and a half times the think time). A page view is what a browser posts
when the URL changes: the page callback (its latency is the figure given), then the header
links and the filter controls (`other callbacks`). **Cold start** counts from the moment
`/healthz` first answers; **warm** is the same server afterwards, with new links;
**saturation** has no pause. Hostile query strings (`benchmarks/hostile.py`: malformed
encodings, oversized values and parameter lists, injection attempts, random bytes) go to
every page in turn as a GET and as the search of the three callbacks, then malformed
callback request bodies; 414 is gunicorn refusing a request line over 4,094 bytes, 400 a
malformed callback request. Memory: RSS, and USS (what only that process holds: forked
workers share the master's tables until they write to them), in MB.
"""


def load_section(results: Results, command: str) -> str:
    """The load test's section of ``RESULTS.md`` (between its markers)."""
    frame = results.frame()
    table = frame[frame["stage"] == "load"].drop(columns=["stage"])
    text = [
        LOAD_BEGIN,
        "## Load test (gunicorn, simulated users, hostile links)",
        "",
        f"Measured {dt.date.today().isoformat()} on {machine()}, with `{command}`.",
        "",
        LOAD_EXPLANATION,
        "```",
        table.to_string(index=False),
        "```",
    ]
    if results.notes:
        text += ["", *[f"- {n}" for n in results.notes]]
    if results.errors:
        text += ["", "Errors:", "", *[f"- {e}" for e in results.errors]]
    return "\n".join([*text, LOAD_END])


HOSTILE_BEGIN = "<!-- hostile probes: written by python -m benchmarks --only hostile -->"
HOSTILE_END = "<!-- end of the hostile probes -->"
SECTIONS = ((LOAD_BEGIN, LOAD_END), (HOSTILE_BEGIN, HOSTILE_END))  # kept by write()

HOSTILE_EXPLANATION = """\
Every probe registered in `benchmarks/probes/` (a registry: each probe has a name, the kind
of fault it belongs to, what must happen, and `run(context) -> outcome`), run against
gunicorn started as the README documents (`gunicorn.conf.py`) on the store named above,
on 127.0.0.1 only. **Slow clients** misbehave for the time given while `/healthz` is asked
every half second (an idle server answers in a few milliseconds). **Malformed callbacks**
and **paths outside the served files** are sent as raw requests (paths exactly as written,
dots and percent signs included). **HTTPS mode** starts a second gunicorn with
`DASHBOARD_FORCE_HTTPS=1`, and a third speaking TLS itself with a self-signed certificate.
"""


def _plain_table(table: pd.DataFrame) -> list[str]:
    """The table's lines for a terminal, every column left-aligned."""
    text = table.astype(str)
    widths = [max(len(c), *text[c].str.len()) for c in text.columns] if len(text) else []
    lines = [list(text.columns), *text.itertuples(index=False)]
    return ["  ".join(f"{v:<{w}}" for v, w in zip(line, widths, strict=True)).rstrip()
            for line in lines]  # fmt: skip


def probes_summary(table: pd.DataFrame) -> str:
    """``41 probes, 41 ok``."""
    return f"{len(table)} probes, {int((table['ok'] == 'yes').sum())} ok"


def _markdown_table(table: pd.DataFrame) -> list[str]:
    def cell(value: object) -> str:
        return str(value).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(table.columns) + " |", "|" + " --- |" * len(table.columns)]
    return lines + ["| " + " | ".join(cell(v) for v in row) + " |"
                    for row in table.itertuples(index=False)]  # fmt: skip


def hostile_section(results: Results, command: str, store: str) -> str:
    """The hostile probes' section of ``RESULTS.md`` (between its markers)."""
    table = results.probe_table()
    text = [
        HOSTILE_BEGIN,
        "## Hostile probes (faults and attacks, each with the outcome it must have)",
        "",
        f"Measured {dt.date.today().isoformat()} on {machine()}, with `{command}`, on "
        f"`{store}`: {probes_summary(table)}.",
        "",
        HOSTILE_EXPLANATION,
        *_markdown_table(table),
    ]
    return "\n".join([*text, HOSTILE_END])


def _sections(text: str) -> list[str]:
    """The generated sections of ``text`` (the load test's, the probes'), in file order."""
    spans = sorted(
        (text.index(begin), text.index(end) + len(end))
        for begin, end in SECTIONS
        if begin in text and end in text
    )
    return [text[start:stop] for start, stop in spans]


def write(results: Results, command: str, path: Path = RESULTS) -> Path:
    """Write ``RESULTS.md`` (keeping the load test's and the probes' sections of earlier
    runs)."""
    sections = _sections(path.read_text(encoding="utf-8") if path.is_file() else "")
    text = markdown(results, command)
    path.write_text(text + "".join(f"\n{s}\n" for s in sections), encoding="utf-8")
    return path


def write_section(section: str, begin: str, end: str, path: Path = RESULTS) -> Path:
    """Write ``section`` (which starts with ``begin`` and ends with ``end``) into
    ``RESULTS.md``, replacing an earlier one in its place and leaving the rest of the file
    as it was."""
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    if begin in text and end in text:
        start, stop = text.index(begin), text.index(end) + len(end)
        path.write_text(text[:start] + section + text[stop:], encoding="utf-8")
        return path
    rest = text.rstrip() or "# Benchmark results"
    path.write_text(f"{rest}\n\n{section}\n", encoding="utf-8")
    return path


def write_load(results: Results, command: str, path: Path = RESULTS) -> Path:
    """Write the load test's section into ``RESULTS.md`` (see :func:`write_section`)."""
    return write_section(load_section(results, command), LOAD_BEGIN, LOAD_END, path)


def write_hostile(results: Results, command: str, path: Path = RESULTS, *, store: str) -> Path:
    """Write the hostile probes' section (run on ``store``) into ``RESULTS.md`` (see
    :func:`write_section`)."""
    section = hostile_section(results, command, store)
    return write_section(section, HOSTILE_BEGIN, HOSTILE_END, path)
