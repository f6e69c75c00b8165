"""Store and ingest probes: a swap failing or killed at each step, rollback, an app across an
ingest, hostile JSON, forged error lines, running out of memory, a workbook bomb."""

from __future__ import annotations

import csv
import errno
import gzip
import os
import resource
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import loaders
from benchmarks.loader_probes import probe
from loaders.catalogue import versions
from loaders.core.vocabulary import REFERENCE_DIR

ROOT = Path(__file__).resolve().parents[2]
ACME = ("3", "Acme", "Home Office", "2014-05-01", "100", "Central Government", "SME")
BIG = ("4", "Big", "Leeds City Council", "2014-06-01", "150", "Local Government", "Large")


def _header(layout: str) -> list[str]:
    with (REFERENCE_DIR / "layouts.csv").open(encoding="utf-8", newline="") as handle:
        return next(r["headers"] for r in csv.DictReader(handle) if r["layout"] == layout).split(
            "|"
        )


def release(folder: Path, name: str, *rows: tuple) -> Path:
    """A 2014-layout CSV release of (lot, supplier, customer, month, spend, sector, sme) rows."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = [",".join(_header("2014 GDS CSV"))]
    lines += [f"{i},G-Cloud,{lot},{s},{c},{m},desc,{p},{sec},{sme}"
              for i, (lot, s, c, m, p, sec, sme) in enumerate(rows, 1)]  # fmt: skip
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _two(folder: Path) -> tuple[loaders.LoadResult, loaders.LoadResult]:
    july = loaders.load(release(folder / "in-july", "G-Cloud-Spend-2014-07.csv", ACME))
    august = loaders.load(release(folder / "in-august", "G-Cloud-Spend-2014-08.csv", ACME, BIG))
    return july, august


def total(store: Path) -> float:
    """The spend total a reader of ``store`` finds now."""
    return float(loaders.read_store(store).spend["spend_gbp"].sum())


def leftovers(store: Path) -> int:
    """Staging folders and temporary links a swap left behind."""
    folder = versions.versions_dir(store)
    staged = list(folder.glob(".new-*")) if folder.is_dir() else []
    return len(staged) + len(list(store.parent.glob(".link-*")))


def cli(*args: str, memory: int | None = None) -> tuple[int, str, float]:
    """``python -m loaders ARGS`` in a subprocess (``memory``: its address space limit, as
    ``ulimit -v``): exit code, stderr, seconds."""

    def limit() -> None:
        if memory is not None:
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    start = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "loaders", *args], cwd=ROOT, capture_output=True,
                         text=True, check=False, preexec_fn=limit)  # fmt: skip
    return run.returncode, run.stderr, time.perf_counter() - start


def one_line(code: int, err: str, seconds: float) -> str:
    """What a command that must fail said, in brief."""
    first = err.strip().splitlines()[0][:90] if err.strip() else ""
    return f"exit {code} in {seconds:.1f} s, {err.count(chr(10))} line(s): {first}"


class RenameFault:
    """``os.rename`` / ``os.replace`` failing with EIO on their ``n``-th call between them."""

    def __init__(self, n: int) -> None:
        self.n, self.calls = n, 0
        self.real = {name: getattr(os, name) for name in ("rename", "replace")}

    def __enter__(self) -> RenameFault:
        for name, real in self.real.items():
            setattr(os, name, self._wrap(real))
        return self

    def __exit__(self, *_: object) -> None:
        for name, real in self.real.items():
            setattr(os, name, real)

    def _wrap(self, real):
        def call(*args, **kwargs):
            self.calls += 1
            if self.calls == self.n:
                raise OSError(errno.EIO, "Input/output error (injected)")
            return real(*args, **kwargs)

        return call


def _eio(step: int, plain: bool):
    def run(folder: Path) -> tuple[str, bool]:
        july, august = _two(folder)
        store = folder / "store"
        loaders.write_store(july, folder / "built" if plain else store)
        if plain:  # a store written before versions: a plain folder
            os.rename(versions.current_version(folder / "built"), store)
        try:
            with RenameFault(step):
                loaders.write_store(august, store)
            raised = "no error"
        except OSError as exc:
            raised = f"OSError ({exc.strerror})"
        found, left = total(store), leftovers(store)
        loaders.write_store(august, store)
        after = total(store)
        got = (f"{raised}; store reads £{found:,.2f} at once; {left} leftover(s); "
               f"next ingest £{after:,.2f}")  # fmt: skip
        return got, found == 100.0 and left == 0 and after == 250.0

    return run


for _step in (1, 2):
    probe(f"EIO on rename {_step} of a swap", "store swap fails part-way",
          "old store readable, nothing left, next ingest works")(_eio(_step, False))  # fmt: skip
for _step in (1, 2, 3, 4):
    probe(f"EIO on rename {_step} moving a plain store into versions", "store swap fails part-way",
          "old store readable, nothing left, next ingest works")(_eio(_step, True))  # fmt: skip

KILLER = """
import os, signal, sys
from pathlib import Path
import loaders
from benchmarks.loader_probes.storing import ACME, BIG, release
n, calls = int(sys.argv[3]), [0]
result = loaders.load(release(Path(sys.argv[2]), "G-Cloud-Spend-2014-08.csv", ACME, BIG))
def killing(real):
    def call(*args, **kwargs):
        calls[0] += 1
        if calls[0] == n:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(*args, **kwargs)
    return call
os.rename, os.replace = killing(os.rename), killing(os.replace)
loaders.write_store(result, sys.argv[1])
"""


def _killed(step: int):
    def run(folder: Path) -> tuple[str, bool]:
        july, august = _two(folder)
        store = folder / "store"
        loaders.write_store(july, store)
        done = subprocess.run([sys.executable, "-c", KILLER, str(store), str(folder / "k"),
                               str(step)], cwd=ROOT, capture_output=True, check=False)  # fmt: skip
        found = total(store)
        notes = versions.recover(store)
        loaders.write_store(august, store)
        got = (f"signal {-done.returncode}; store reads £{found:,.2f} at once; recovery: "
               f"{'; '.join(notes) or 'nothing to do'}; {leftovers(store)} leftover(s); next "
               f"ingest £{total(store):,.2f}")  # fmt: skip
        return got, found == 100.0 and leftovers(store) == 0 and total(store) == 250.0

    return run


for _step in (1, 2):
    probe(f"ingest SIGKILLed before rename {_step} of a swap", "writer killed between steps",
          "old store readable at once; recovered at next start")(_killed(_step))  # fmt: skip


@probe("rollback to the previous version", "rollback", "exit 0, the previous store's figures")
def _rollback(folder: Path) -> tuple[str, bool]:
    july, august = _two(folder)
    store = folder / "store"
    loaders.write_store(july, store)
    loaders.write_store(august, store)
    code, err, _ = cli("rollback", "--out", str(store))
    return f"exit {code}; store reads £{total(store):,.2f}", code == 0 and total(store) == 100.0


@probe("rollback with no earlier version", "rollback", "exit 2, one line")
def _rollback_none(folder: Path) -> tuple[str, bool]:
    july, _ = _two(folder)
    loaders.write_store(july, folder / "store")
    code, err, seconds = cli("rollback", "--out", str(folder / "store"))
    return one_line(code, err, seconds), code == 2 and err.count("\n") == 1


@probe("report lists the kept versions", "rollback", "each version with data as at and totals")
def _report(folder: Path) -> tuple[str, bool]:
    july, august = _two(folder)
    for result in (july, august, july):
        loaders.write_store(result, folder / "store")
    out = subprocess.run([sys.executable, "-m", "loaders", "report", str(folder / "store")],
                         cwd=ROOT, capture_output=True, text=True, check=False).stdout  # fmt: skip
    listed = [line.strip() for line in out.splitlines() if "data as at" in line]
    return f"{len(listed)} versions listed: {listed[0][:70]}", len(listed) == 3


@probe("app across an ingest: pages and rows download", "app serves one version",
       "pages and downloads from the version opened; /healthz names the one waiting")  # fmt: skip
def _app(folder: Path) -> tuple[str, bool]:
    from dashboard.app import create_app
    from dashboard.callbacks import download

    july, august = _two(folder)
    store = folder / "store"
    loaders.write_store(july, store)
    app = create_app(store)
    context = app.server.extensions["framework-spend"].store
    loaders.write_store(august, store)
    payload = download(context, "rows", "csv", "")
    rows = payload["content"]
    health = app.server.test_client().get("/healthz").get_json()
    page = float(context.table("spend_fy")["spend_gbp"].sum())
    got = (f"page £{page:,.2f}, rows download {len(rows)} chars of the same version; healthz "
           f"current={health['current']}, waiting={health.get('waiting', '-')}")  # fmt: skip
    return got, page == 100.0 and health["current"] is False and "waiting" in health


def _deep(depth: int):
    def run(folder: Path) -> tuple[str, bool]:
        path = folder / "notices.json"
        path.write_text('{"releases": [{"ocid": "ocds-1", "x": ' + "[" * depth + "]" * depth
                        + "}]}")  # fmt: skip
        code, err, seconds = cli("ingest", str(path), "--out", str(folder / "s"), "--no-cache")
        return one_line(code, err, seconds), code == 2 and "nested deeper" in err

    return run


for _depth in (10_000, 40_000, 100_000):
    probe(f"OCDS file {_depth:,} levels deep", "deep or huge JSON",
          "exit 2, one line, no MemoryError")(_deep(_depth))  # fmt: skip


@probe("one 700 MB string in a 0.7 MB .json.gz", "deep or huge JSON", "exit 2 at once, one line")
def _huge_string(folder: Path) -> tuple[str, bool]:
    path = folder / "notices.json.gz"
    with gzip.open(path, "wb") as handle:
        handle.write(b'{"releases": [{"ocid": "ocds-1", "big": "')
        for _ in range(70):
            handle.write(b"a" * 10_000_000)
        handle.write(b'"}]}')
    code, err, seconds = cli("ingest", str(path), "--out", str(folder / "s"), "--no-cache")
    return one_line(code, err, seconds), code == 2 and seconds < 30


def _forged(name: str):
    def run(folder: Path) -> tuple[str, bool]:
        path = folder / name
        path.write_bytes(b"")
        code, err, seconds = cli("ingest", str(path), "--out", str(folder / "s"))
        return one_line(code, err, seconds).replace("\x1b", "ESC"), err.count("\n") == 1

    return run


for _label, _name in (("newline", "a\nerror: forged.csv"), ("carriage return", "a\rerror: f.csv"),
                      ("escape sequence", "a\x1b[2Kerror: f.csv")):  # fmt: skip
    probe(f"file name with a {_label} forging an error line", "messages stay one line",
          "one line, the name escaped")(_forged(_name))  # fmt: skip


@probe("out of memory under ulimit -v 1 GB (a 700 MB JSON line)", "messages stay one line",
       "exit 1, one line, no traceback")  # fmt: skip
def _out_of_memory(folder: Path) -> tuple[str, bool]:
    (folder / "in").mkdir()
    with gzip.open(folder / "in" / "notices.jsonl.gz", "wb") as handle:
        handle.write(b'{"ocid": "ocds-1", "big": "')
        for _ in range(70):
            handle.write(b"a" * 10_000_000)
        handle.write(b'"}\n')
    code, err, seconds = cli("ingest", str(folder / "in"), "--out", str(folder / "s"),
                             "--no-cache", memory=1024**3)  # fmt: skip
    return one_line(code, err, seconds), code == 1 and err.count("\n") == 1


def workbook_bomb(path: Path, rows: int) -> Path:
    """An XLSX of ``rows`` CCS rows whose sheet XML (about 550 bytes a row) compresses ~16x."""
    header = _header("CCS XLSX (spend month)")
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006/relationships"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/'
            'package/2006/content-types"><Default Extension="xml" ContentType='
            '"application/xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{package}"><Relationship Id="r1" '
            f'Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
            '<sheet name="Spend" sheetId="1" r:id="r1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{package}">'
            f'<Relationship Id="r1" Type="{rel}/worksheet" '
            'Target="worksheets/sheet1.xml"/></Relationships>',
        )
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            cells = "".join(f'<c t="inlineStr"><is><t>{h}</t></is></c>' for h in header)
            sheet.write(f'<worksheet xmlns="{main}"><sheetData><row>{cells}</row>'.encode())
            row = (
                '<row><c><v>12345</v></c><c t="inlineStr"><is><t>Home Office</t></is></c>'
                + '<c t="inlineStr"><is><t>Central Government</t></is></c>' * 6
                + "<c><v>100.5</v></c></row>"
            ).encode()
            for _ in range(rows // 1000):
                sheet.write(row * 1000)
            sheet.write(b"</sheetData></worksheet>")
    return path


@probe("XLSX holding 0.9 GB of sheet XML, ulimit -v 2 GB", "messages stay one line",
       "exit 2, one line, before python-calamine aborts")  # fmt: skip
def _bomb(folder: Path) -> tuple[str, bool]:
    path = workbook_bomb(folder / "CCS-spend-2020-02.xlsx", 2_000_000)
    code, err, seconds = cli("ingest", str(path), "--out", str(folder / "s"), "--no-cache",
                             memory=2 * 1024**3)  # fmt: skip
    size = path.stat().st_size / 1e6
    return f"{size:.0f} MB file: " + one_line(code, err, seconds), code == 2
