"""The stages of ``python -m benchmarks``, each adding rows to one table.

A stage that fails adds an error (and the run goes on with the next stage), so one
measurement out of reach does not hide the others.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from benchmarks import callbacks, incremental, ingest, load
from benchmarks.datasets import Dataset, fingerprint, loader_fingerprint
from benchmarks.load import LoadPlan
from benchmarks.probes import run_probes
from benchmarks.probes.context import ProbeContext
from benchmarks.report import (
    Results,
    Row,
    faster,
    gigabytes,
    kilobytes,
    megabytes,
    millis,
    seconds,
    verdict,
)

ROOT = Path(__file__).resolve().parent.parent
STAGES = ("ingest", "incremental", "warm", "callbacks", "memory")  # run by default
ALL_STAGES = (*STAGES, "load", "hostile")  # these two run only when asked (--only): minutes
SIZELESS = ("hostile",)  # stages run once on one store, not per generated size
KB = 1000


@dataclass(frozen=True)
class Options:
    """How to run the suite."""

    stages: tuple[str, ...] = STAGES
    repeat: int = 1
    requests: int = 40
    naive_requests: int | None = None  # None: ``requests`` up to 1M rows, 10 above
    warmup: int = 2
    xlsx_cap: int = 500_000  # the loaders refuse sheets over 512 MB of XML: ~830k rows here
    seed: int = 2026
    months: int | None = None  # only the sample's last months (quick runs)
    serve_timeout: float = 4 * 3600
    slow_seconds: float = 20.0  # how long each slow-client probe lasts (--only hostile)
    before: Path | None = None  # another checkout whose app is served too (before a change)
    load: LoadPlan = LoadPlan()


@dataclass
class SizeRun:
    """One size being measured: its label, data and where results go."""

    label: str
    size: int
    data: Dataset
    results: Results
    options: Options

    def add(self, stage: str, measure: str, ours: str, **rest: str) -> None:
        """Add a row to the table."""
        self.results.rows.append(Row(self.label, stage, measure, ours, **rest))

    @contextmanager
    def timed(self, stage: str):
        """Record the wall time of a stage; a failure becomes an error, not a crash."""
        start = time.perf_counter()
        try:
            yield
        except Exception as exc:  # a stage out of reach must not hide the others
            detail = traceback.format_exception_only(exc)[-1].strip()
            self.results.errors.append(f"{self.label} {stage}: {detail}")
            traceback.print_exc()
        finally:
            self.results.stage_seconds.append((self.label, stage, time.perf_counter() - start))


def _guarded(run: SizeRun, stage: str, compute: Callable[[], object]):
    """``compute()`` timed as ``stage``; ``None`` if it failed (the error is recorded)."""
    with run.timed(stage):
        return compute()
    return None


def run_ingest(run: SizeRun) -> None:
    """Cold ingest of one XLSX release against openpyxl and calamine reads of it."""
    if run.size > run.options.xlsx_cap:
        run.results.notes.append(
            f"{run.label}: cold XLSX ingest skipped (XLSX capped at {run.options.xlsx_cap:,} "
            "rows: the loaders refuse a workbook of over 512 MB of sheet XML, about 830,000 "
            "rows of this layout, and openpyxl takes hours on larger ones)"
        )
        return
    path = _guarded(run, "generate XLSX", run.data.xlsx)
    if path is None:
        return
    with run.timed("cold ingest"):
        naive, raw, calamine, ours = ingest.measure(path, run.options.repeat)
        rows = f"XLSX, {run.size:,} rows"
        run.add(
            "cold ingest",
            f"loaders.load vs python-calamine raw read ({rows})",
            seconds(ours.seconds),
            baseline=f"{seconds(raw.seconds)} to_python()",
            ratio=f"{ours.seconds / raw.seconds:.2f}x raw read",
            target="<= 1.3x",
            met=verdict(ours.seconds <= 1.3 * raw.seconds),
        )
        run.add(
            "cold ingest",
            f"loaders.load vs pd.read_excel(engine='calamine') ({rows})",
            seconds(ours.seconds),
            baseline=f"{seconds(calamine.seconds)} read_excel",
            ratio=f"{ours.seconds / calamine.seconds:.2f}x read_excel",
        )
        run.add(
            "cold ingest",
            f"loaders.load vs openpyxl read ({rows})",
            seconds(ours.seconds),
            baseline=f"{seconds(naive.seconds)} openpyxl",
            ratio=faster(naive.seconds, ours.seconds),
            target=">= 5x faster",
            met=verdict(naive.seconds >= 5 * ours.seconds),
        )
        if ours.rows != run.size:
            run.results.errors.append(f"{run.label}: loaders.load read {ours.rows} spend rows")


def run_ingest_peak(run: SizeRun) -> None:
    """Peak memory of a whole ingest of the monthly releases (every size; 4 GB target)."""
    releases = _guarded(run, "generate monthly CSV", run.data.monthly)
    if releases is None:
        return
    with run.timed("ingest peak memory"), tempfile.TemporaryDirectory() as work:
        peak = ingest.peak_ingest([releases[0]], Path(work) / "store", run.options.serve_timeout)
        run.add(
            "ingest memory",
            f"peak RSS of an ingest, monthly CSV -> store ({peak.rows:,} rows)",
            gigabytes(peak.peak_rss),
            baseline=f"{seconds(peak.seconds)} wall",
            target="<= 4 GB",
            met=verdict(peak.peak_rss <= 4e9),
        )


def run_incremental(run: SizeRun) -> None:
    """A folder of monthly releases ingested, then again with one new release."""
    releases = _guarded(run, "generate monthly CSV", run.data.monthly)
    if releases is None:
        return
    with run.timed("incremental ingest"):
        work = run.data.folder / "work"
        version = loader_fingerprint()  # the loaders may change while this runs
        result, first_store = incremental.measure(*releases, work)
        run.data.adopt_store(first_store, version)
        shutil.rmtree(work, ignore_errors=True)
        run.results.notes.append(
            f"{run.label}: incremental ingest used the loader's extract cache (cache_dir)"
            if result.cache_used
            else f"{run.label}: incremental ingest ran WITHOUT an extract cache: "
            "loaders.load has no cache_dir keyword yet"
        )
        run.add(
            "incremental",
            f"first ingest: {result.files} monthly CSV -> store",
            seconds(result.first_store),
            baseline=f"load {seconds(result.first_load)}",
            ratio=f"{run.size / result.first_store:,.0f} rows/s",
        )
        for name, again, ratio in (
            ("load only", result.again_load, result.ratio_load),
            ("load + write store", result.again_store, result.ratio_store),
        ):
            run.add(
                "incremental",
                f"+1 release ({result.new_rows:,} rows), {name}",
                seconds(again),
                baseline=f"{seconds(result.new_alone)} new file alone",
                ratio=f"{ratio:.1f}x",
                target="<= 2x",
                met=verdict(ratio <= 2),
            )
        if result.append_store is not None:
            run.add(
                "incremental",
                f"+1 release ({result.new_rows:,} rows), append + write store",
                seconds(result.append_store),
                baseline=f"{seconds(result.new_alone)} new file alone",
                ratio=f"{result.ratio_append:.1f}x",
                target="<= 2x",
                met=verdict(result.ratio_append <= 2),
            )
            run.results.notes.append(f"{run.label}: append: {result.append_note}")
        _check_accounting(run, result)


def _check_accounting(run: SizeRun, result: incremental.Incremental) -> None:
    """Every generated row is loaded; each monthly file's Total row is quarantined."""
    if result.spend_rows != run.size or result.quarantine_rows != result.files:
        run.results.errors.append(
            f"{run.label}: store has {result.spend_rows:,} spend rows and "
            f"{result.quarantine_rows:,} quarantined; expected {run.size:,} and "
            f"{result.files} Total rows"
        )


def _serve(app: str, store: Path, plan: dict, timeout: float, checkout: Path = ROOT) -> dict:
    """Run ``benchmarks.serve`` for one app in a fresh process (with the packages of
    ``checkout``, this one by default); its JSON result."""
    with tempfile.TemporaryDirectory() as folder:
        plan_path = Path(folder) / "plan.json"
        out = Path(folder) / "out.json"
        plan_path.write_text(json.dumps(plan), encoding="utf-8")
        command = [
            sys.executable,
            "-m",
            "benchmarks.serve",
            "--app",
            app,
            "--store",
            str(store),
            "--plan",
            str(plan_path),
            "--out",
            str(out),
        ]
        done = subprocess.run(
            command, cwd=checkout, capture_output=True, text=True, timeout=timeout, check=False
        )
        if done.returncode != 0:
            tail = " | ".join(done.stderr.strip().splitlines()[-3:])
            raise RuntimeError(f"{app} app process exited {done.returncode}: {tail}")
        return json.loads(out.read_text(encoding="utf-8"))


def _plans(run: SizeRun, store: Path) -> tuple[dict, dict]:
    """The request plans of our app and of the naive one (a prefix of ours)."""
    options = run.options
    counted = ("callbacks" in options.stages) or ("memory" in options.stages)
    if not counted:
        return {"warmup": 0, "pages": {}}, {"warmup": 0, "pages": {}}
    values = callbacks.store_values(store)
    queries = callbacks.plan(values, options.requests, options.warmup, options.seed)
    naive_n = options.naive_requests
    if naive_n is None:
        naive_n = options.requests if run.size <= 1_000_000 else min(options.requests, 10)
    naive = {p: q[: options.warmup + naive_n] for p, q in queries.items()}
    if naive_n < options.requests:
        run.results.notes.append(
            f"{run.label}: the naive app served {naive_n} requests per page (ours "
            f"{options.requests}): each takes seconds at this size"
        )
    return {"warmup": options.warmup, "pages": queries}, {"warmup": options.warmup, "pages": naive}


def run_serving(run: SizeRun) -> None:
    """Warm start, callbacks and memory of our app and of the naive app, one process each."""
    store = _guarded(run, "store (build or cached)", run.data.store)
    if store is None:
        return
    ours_plan, naive_plan = _plans(run, store)
    timeout = run.options.serve_timeout
    before = run.options.before
    earlier = None
    if before is not None:
        earlier = _guarded(run, "serve: our app before",
                           lambda: _serve("ours", store, ours_plan, timeout, before))  # fmt: skip
    ours = _guarded(run, "serve: our app", lambda: _serve("ours", store, ours_plan, timeout))
    naive = _guarded(run, "serve: naive app", lambda: _serve("naive", store, naive_plan, timeout))
    if ours is None:
        return
    if "warm" in run.options.stages:
        add_warm(run, ours, naive)
    if "callbacks" in run.options.stages:
        add_callbacks(run, ours, naive)
    if "memory" in run.options.stages:
        add_memory(run, ours, naive)
    if earlier is not None and "callbacks" in run.options.stages:
        add_before(run, ours, earlier)


def add_before(run: SizeRun, ours: dict, earlier: dict) -> None:
    """Latency per page of this checkout against the ``--before`` checkout's, same run,
    same store, same requests."""
    for page, stats in ours["pages"].items():
        theirs = earlier["pages"].get(page, {})
        if not (stats.get("requests") and theirs.get("requests")):
            continue
        run.add(
            "before/after",
            f"{page}: p50 / p95 latency",
            _latency(stats),
            baseline=f"{_latency(theirs)} before",
            ratio=faster(theirs["p95_ms"], stats["p95_ms"]) + " (p95)",
        )
    run.add(
        "before/after",
        "peak RSS of the serving process",
        gigabytes(ours["peak_rss"]),
        baseline=f"{gigabytes(earlier['peak_rss'])} before",
    )


def add_warm(run: SizeRun, ours: dict, naive: dict | None) -> None:
    """The warm-start row."""
    limit = 1.0 if run.size <= 1_000_000 else 3.0
    base = naive["warm_start_s"] if naive else None
    run.add(
        "warm start",
        "create_app -> first overview response",
        f"{seconds(ours['warm_start_s'])} (+{seconds(ours['import_s'])} imports)",
        baseline=f"{seconds(base)} naive" if base else "",
        ratio=faster(base, ours["warm_start_s"]) if base else "",
        target=f"<= {limit:.0f} s",
        met=verdict(ours["warm_start_s"] <= limit),
    )


def _latency(stats: dict) -> str:
    if not stats.get("requests"):
        return "no requests"
    first = ", ".join(millis(w) for w in stats.get("warmup_ms", []))
    text = f"{millis(stats['p50_ms'])} / {millis(stats['p95_ms'])} ms"
    return f"{text} (first {first})" if first else text


def add_callbacks(run: SizeRun, ours: dict, naive: dict | None) -> None:
    """Latency and size rows per page, and over all pages."""
    for page, stats in ours["pages"].items():
        theirs = (naive or {}).get("pages", {}).get(page, {})
        fast = theirs["p95_ms"] / stats["p95_ms"] if theirs.get("requests") else 0
        failed = f", {stats['failed']} failed" if stats.get("failed") else ""
        run.add(
            "callbacks",
            f"{page}: p50 / p95 latency",
            _latency(stats),
            baseline=f"{_latency(theirs)} naive" if theirs else "",
            ratio=faster(theirs["p95_ms"], stats["p95_ms"]) + " (p95)" if fast else "",
            target="p95 <= 50 ms, >= 10x",
            met=verdict(stats["p95_ms"] <= 50 and fast >= 10) + failed,
        )
        run.add(
            "callbacks",
            f"{page}: JSON per response, mean / max",
            f"{kilobytes(stats['mean_bytes'])} / {kilobytes(stats['max_bytes'])}",
            baseline=(f"{kilobytes(theirs['mean_bytes'])} / {kilobytes(theirs['max_bytes'])} naive")
            if theirs
            else "",
            target="<= 150 KB",
            met=verdict(stats["max_bytes"] <= 150 * KB),
        )
        for failure in stats.get("failures", []):
            run.results.errors.append(f"{run.label} {page}: {failure}")


def add_memory(run: SizeRun, ours: dict, naive: dict | None) -> None:
    """Peak RSS of the serving process."""
    base = naive["peak_rss"] if naive else None
    run.add(
        "memory",
        "peak RSS of the serving process",
        f"{gigabytes(ours['peak_rss'])} (after start {gigabytes(ours['rss_after_start'])})",
        baseline=f"{gigabytes(base)} naive" if base else "",
        ratio=f"{base / ours['peak_rss']:.2f}x naive/ours" if base else "",
        target="<= 1.5 GB",
        met=verdict(ours["peak_rss"] <= 1.5e9),
    )
    held = ours.get("held_after_warm")
    if held:
        tables = {k: v for k, v in held.items() if not k.startswith("cache:")}
        largest = sorted(tables.items(), key=lambda item: -item[1])[:4]
        run.add(
            "memory",
            "tables held once warmed (largest)",
            megabytes(sum(tables.values())),
            baseline=", ".join(f"{name} {megabytes(size)}" for name, size in largest),
        )
    end = ours.get("held_end")
    if end:
        run.add(
            "memory",
            "caches held at the end (results / pages / frames)",
            " / ".join(
                megabytes(end.get(f"cache:{name}", 0)) for name in ("results", "pages", "frames")
            ),  # fmt: skip
        )


def run_load(run: SizeRun) -> None:
    """The load test (:mod:`benchmarks.load`) on the size's generated store."""
    store = _guarded(run, "store (build or cached)", run.data.store)
    if store is not None:
        load_test(store, run.label, run.options, run.results)


def load_test(store: Path, label: str, options: Options, results: Results) -> None:
    """The load test on ``store``; its rows (labelled ``label``) and errors into ``results``."""
    start = time.perf_counter()
    try:
        values = callbacks.store_values(store)
        with tempfile.TemporaryDirectory(prefix="load-") as folder:
            out = load.run(store, values, options.load, Path(folder))
    except Exception as exc:  # one store out of reach must not hide the others
        results.errors.append(f"{label} load test: {traceback.format_exception_only(exc)[-1]}")
        traceback.print_exc()
        return
    finally:
        results.stage_seconds.append((label, "load test", time.perf_counter() - start))
    for row in load.rows(out):
        results.rows.append(Row(label, "load", **row))
    for phase in ("cold", "warm", "saturation"):
        for kind, count in out[phase]["error_kinds"]:
            results.errors.append(f"{label} load {phase}: {count} x {kind}")
    for kind in out["hostile"]["server_error_kinds"]:
        results.errors.append(f"{label} hostile: {kind}")


def run_size(label: str, size: int, options: Options, results: Results) -> None:
    """Every selected stage for one size."""
    run = SizeRun(label, size, Dataset(size, options.seed, options.months), results, options)
    code = code_fingerprint()
    with run.timed("generate rows"):
        generated = run.data.rows()
        if len(generated) - int(generated["new_release"].sum()) != size:
            results.errors.append(f"{label}: generator made {len(generated)} rows")
        del generated
    if "ingest" in options.stages:
        run_ingest(run)
    if "incremental" in options.stages:
        run_incremental(run)
    if "ingest" in options.stages:
        run_ingest_peak(run)
    if {"warm", "callbacks", "memory"} & set(options.stages):
        run_serving(run)
    if "load" in options.stages:
        run_load(run)
    if code_fingerprint() != code:
        results.notes.append(
            f"{label}: the code of loaders/ or dashboard/ changed while this size ran: its "
            "stages may have measured different versions"
        )


def code_fingerprint() -> str:
    """Hash of the code measured (loaders, dashboard, reference data)."""
    return fingerprint(ROOT / "loaders", ROOT / "dashboard", ROOT / "data" / "reference")


def hostile(store: Path, options: Options, results: Results) -> None:
    """Every registered hostile probe (:mod:`benchmarks.probes`) against ``store``: the
    table into ``results``, each probe not ok an error."""
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="hostile-") as folder:
        with ProbeContext(store, Path(folder), slow_seconds=options.slow_seconds) as context:
            results.probes.extend(run_probes(context))
    results.stage_seconds.append(("-", "hostile probes", time.perf_counter() - start))
    for line in results.probes:
        if line["ok"] != "yes":
            results.errors.append(f"hostile probe {line['probe']}: got {line['got']}")
