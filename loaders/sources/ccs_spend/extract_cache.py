"""Content-hash cache of file extracts, so that re-ingesting a folder reads only new files.

A file's extract (what :func:`~loaders.sources.ccs_spend.extract.extract_file` returns: parsed rows,
quarantined rows and the facts the load report needs) is stored under a key made of

* the SHA-256 of the file's bytes and its file name (the name gives the release date, the
  default framework and the ``source_file`` label);
* a fingerprint of everything else that changes extraction: the reference data extraction
  reads (header aliases, layouts, sector, SME, framework, agreement-number and lot
  dictionaries and file-name words of ``data/reference/``), the ``framework`` and
  ``supplier`` arguments, the source code of
  extraction (:func:`extraction_code_digest`: ``loaders/extract.py`` and every module of
  ``loaders`` it imports, followed import by import, so any edit to them rebuilds the cache
  without a version to bump by hand) and the pandas, python-calamine and formulas versions.

Each entry is a folder named by its key, holding ``parsed.parquet``, ``quarantine.parquet``
and ``extract.json`` (the other facts and the column dtypes, so a cached extract is
identical to a fresh one). It is written to a temporary folder and renamed into place, so
an entry is complete or absent. An entry that cannot be read, or that no longer matches
(its key, row counts or dtypes; or today's date now accepts a month it quarantined as too
late) is ignored and rebuilt. Unchanged files are only hashed, never parsed.

Bounded: :meth:`ExtractCache.prune` (run at the end of every successful load) deletes the
entries the load did not use, so the cache holds the extracts of the latest load only.
"""

from __future__ import annotations

import ast
import dataclasses
import datetime as dt
import hashlib
import json
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from loaders.catalogue.versions import store_path
from loaders.core.spreadsheets import read_file
from loaders.core.vocabulary import Vocabulary
from loaders.sources.ccs_spend.checks import latest_month
from loaders.sources.ccs_spend.extract import FileExtract, extract_file
from loaders.sources.ccs_spend.layout import MappedLayout

CACHE_FORMAT = 3  # 2: extracts carry their notes; 3: extracts may have no layout (nil return)
META_FILE = "extract.json"
PARSED_FILE = "parsed.parquet"
QUARANTINE_FILE = "quarantine.parquet"
TEMP_PREFIX = ".tmp-"
STALE_TEMP_SECONDS = 3600  # a temporary folder this old was left by a crashed writer
_KEY_LENGTH = 64
# What reading a damaged entry can raise: it is then ignored and rebuilt.
_UNREADABLE = (OSError, ValueError, KeyError, TypeError, pa.ArrowException)


def _vocabulary_data(vocab: Vocabulary) -> dict[str, Any]:
    """The reference data extraction reads, as plain data (for the fingerprint)."""
    return {
        "header_aliases": dict(vocab.header_aliases),
        "layouts": [
            [layout.name, sorted(layout.header_keys), layout.date_order] for layout in vocab.layouts
        ],
        "sectors": dict(vocab.sectors),
        "sme_statuses": dict(vocab.sme_statuses),
        "framework_families": [dataclasses.astuple(f) for f in vocab.framework_families],
        "framework_numbers": {k: list(v) for k, v in vocab.framework_numbers.items()},
        "framework_number_lots": dict(vocab.framework_number_lots),
        "lots": [dataclasses.astuple(lot) for lot in vocab.lots],
        "file_name_words": sorted(vocab.file_name_words),
    }


PACKAGE_DIR = Path(__file__).resolve().parents[2]
EXTRACTION_ENTRY = "loaders.sources.ccs_spend.extract"


def _module_path(name: str) -> Path | None:
    """The source file of a module of the ``loaders`` package, if it is one."""
    parts = name.split(".")
    if parts[0] != "loaders":
        return None
    base = PACKAGE_DIR.joinpath(*parts[1:])
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _imported_modules(path: Path) -> set[str]:
    """Names of the modules a source file imports (``from loaders import x`` counts x, not
    the package's ``__init__``, which only re-exports)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module if "." in node.module else "")
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def extraction_modules(entry: str = EXTRACTION_ENTRY) -> dict[str, Path]:
    """Every module of ``loaders`` that ``entry`` imports, directly or through others."""
    found: dict[str, Path] = {}
    todo = [entry]
    while todo:
        name = todo.pop()
        path = _module_path(name)
        if path is None or name in found:
            continue
        found[name] = path
        todo.extend(_imported_modules(path))
    return dict(sorted(found.items()))


@lru_cache(maxsize=1)
def extraction_code_digest() -> str:
    """SHA-256 of the source of every module extraction runs (see :func:`extraction_modules`)."""
    digest = hashlib.sha256()
    for name, path in extraction_modules().items():
        digest.update(name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def fingerprint(vocab: Vocabulary, framework: str | None, supplier: str | None = None) -> str:
    """SHA-256 of everything besides the file that decides its extract."""
    facts = {
        "cache_format": CACHE_FORMAT,
        "extraction_code": extraction_code_digest(),
        "pandas": pd.__version__,
        "python-calamine": version("python-calamine"),
        "formulas": version("formulas"),
        "framework": framework,
        "supplier": supplier,
        "reference": _vocabulary_data(vocab),
    }
    text = json.dumps(facts, sort_keys=True, ensure_ascii=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def is_key(name: str) -> bool:
    """Whether a folder name is that of a cache entry (a SHA-256 in hex)."""
    return len(name) == _KEY_LENGTH and all(c in "0123456789abcdef" for c in name)


def _dtypes(frame: pd.DataFrame) -> dict[str, str]:
    return {str(column): str(dtype) for column, dtype in frame.dtypes.items()}


def _read_table(path: Path, dtypes: dict[str, str]) -> pd.DataFrame:
    """A table written by :meth:`ExtractCache.put`, with the dtypes the extract had.

    Text columns of object dtype are taken straight from Arrow (``None`` for missing), the
    others through pandas' own conversion (which restores ``Int64`` and ``str``).
    """
    with pq.ParquetFile(path) as parquet:
        table = parquet.read()
    if table.column_names != list(dtypes):
        raise ValueError("cached columns differ")
    texts = {name for name, dtype in dtypes.items() if dtype == "object"}
    others = table.drop_columns(list(texts)).to_pandas()
    frame = pd.DataFrame(
        {
            name: pd.Series(table.column(name).to_numpy(zero_copy_only=False), dtype=object)
            if name in texts
            else others[name]
            for name in dtypes
        }
    )
    for column, dtype in dtypes.items():
        if str(frame[column].dtype) != dtype:
            frame[column] = frame[column].astype(dtype)
    if _dtypes(frame) != dtypes:
        raise ValueError("cached dtypes differ")
    return frame


def _layout_data(layout: MappedLayout) -> dict[str, Any]:
    return dataclasses.asdict(layout)


def _layout(data: dict[str, Any]) -> MappedLayout:
    return MappedLayout(
        layout=data["layout"],
        header_row=int(data["header_row"]),
        columns={str(k): int(v) for k, v in data["columns"].items()},
        headers={str(k): str(v) for k, v in data["headers"].items()},
        unnamed_columns=tuple(int(i) for i in data["unnamed_columns"]),
        sheet=data["sheet"],
        header_rows=int(data.get("header_rows", 1)),
    )


def _timestamp(text: str | None) -> pd.Timestamp | None:
    return None if text is None else pd.Timestamp(text)


def _metadata(key: str, extract: FileExtract) -> dict[str, Any]:
    late = extract.first_month_too_late
    return {
        "cache_format": CACHE_FORMAT,
        "key": key,
        "file_name": extract.path.name,
        "sha256": extract.sha256,
        "encoding": extract.encoding,
        "layouts": [_layout_data(layout) for layout in extract.layouts],
        "skipped_sheets": list(extract.skipped_sheets),
        "file_date": extract.file_date.isoformat() if extract.file_date else None,
        "declared_total_gbp": extract.declared_total_gbp,
        "unmapped_values": extract.unmapped_values,
        "first_month_too_late": None if late is None else late.isoformat(),
        "notes": extract.notes,
        "rows": {"parsed": len(extract.parsed), "quarantine": len(extract.quarantine)},
        "dtypes": {"parsed": _dtypes(extract.parsed), "quarantine": _dtypes(extract.quarantine)},
    }


def _still_valid(extract: FileExtract) -> bool:
    """Whether today's accepted month range sorts the extract's months as it did."""
    latest = latest_month()
    months = extract.parsed["month"]
    too_late = extract.first_month_too_late
    return (months.empty or months.max() <= latest) and (too_late is None or too_late > latest)


@dataclass
class ExtractCache:
    """Extracts of files stored in ``folder`` by content hash; see the module docstring.

    One cache serves one load (``vocab``, ``framework`` and ``supplier`` are part of every
    key); it
    remembers the entries the load used, for :meth:`prune`. ``hits`` and ``misses`` count
    the files read from the cache and extracted.
    """

    folder: Path
    vocab: Vocabulary
    framework: str | None = None
    supplier: str | None = None
    hits: int = 0
    misses: int = 0
    used: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.folder = Path(self.folder)
        self._fingerprint = fingerprint(self.vocab, self.framework, self.supplier)

    def key(self, name: str, sha256: str) -> str:
        """Key of the file ``name`` whose bytes hash to ``sha256``."""
        text = json.dumps([self._fingerprint, name, sha256])
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def extract(self, path: Path) -> FileExtract:
        """The extract of ``path``: from the cache if its bytes are known, else parsed and
        stored. Raises :class:`~loaders.core.errors.LoaderInputError` as ``extract_file`` does."""
        data = read_file(path)
        sha256 = hashlib.sha256(data).hexdigest()
        key = self.key(path.name, sha256)
        self.used.add(key)
        cached = self.get(key, path, sha256)
        if cached is not None:
            self.hits += 1
            return cached
        self.misses += 1
        extract = extract_file(path, self.vocab, self.framework, data=data, supplier=self.supplier)
        self.put(key, extract)
        return extract

    def get(self, key: str, path: Path, sha256: str) -> FileExtract | None:
        """The cached extract under ``key`` (for ``path``), or ``None`` if absent or unusable."""
        entry = self.folder / key
        if not (entry / META_FILE).is_file():
            return None
        try:
            meta = json.loads((entry / META_FILE).read_text(encoding="utf-8"))
            extract = self._read(entry, meta, path, sha256)
        except _UNREADABLE:
            return None
        return extract if _still_valid(extract) else None

    def _read(self, entry: Path, meta: dict[str, Any], path: Path, sha256: str) -> FileExtract:
        identity = (meta["cache_format"], meta["key"], meta["file_name"], meta["sha256"])
        if identity != (CACHE_FORMAT, entry.name, path.name, sha256):
            raise ValueError("entry of another file")
        frames = {}
        for name, file_name in (("parsed", PARSED_FILE), ("quarantine", QUARANTINE_FILE)):
            frame = _read_table(entry / file_name, meta["dtypes"][name])
            if len(frame) != meta["rows"][name]:
                raise ValueError("cached rows differ")
            frames[name] = frame
        declared = meta["declared_total_gbp"]
        return FileExtract(
            path=path,
            sha256=sha256,
            encoding=meta["encoding"],
            layouts=[_layout(layout) for layout in meta["layouts"]],
            skipped_sheets=list(meta["skipped_sheets"]),
            parsed=frames["parsed"],
            quarantine=frames["quarantine"],
            file_date=dt.date.fromisoformat(meta["file_date"]) if meta["file_date"] else None,
            declared_total_gbp=None if declared is None else float(declared),
            unmapped_values={k: list(v) for k, v in meta["unmapped_values"].items()},
            first_month_too_late=_timestamp(meta["first_month_too_late"]),
            notes=dict(meta["notes"]),
        )

    def put(self, key: str, extract: FileExtract) -> bool:
        """Store ``extract`` under ``key`` atomically; ``False`` if it could not be written
        (the load goes on without it)."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(prefix=f"{TEMP_PREFIX}{key[:12]}-", dir=self.folder))
        except OSError:
            return False
        try:
            extract.parsed.to_parquet(staging / PARSED_FILE, index=False)
            extract.quarantine.to_parquet(staging / QUARANTINE_FILE, index=False)
            text = json.dumps(_metadata(key, extract), indent=1, allow_nan=False)
            (staging / META_FILE).write_text(text, encoding="utf-8")
            target = self.folder / key
            if target.exists():  # an unusable entry: replaced
                shutil.rmtree(target)
            staging.rename(target)
        except (OSError, ValueError, TypeError, pa.ArrowException):
            shutil.rmtree(staging, ignore_errors=True)
            return False
        return True

    def prune(self) -> list[str]:
        """Delete the entries this load did not use (and temporary folders left by crashed
        writers); returns the keys deleted. Only folders named like entries are touched."""
        if not self.folder.is_dir():
            return []
        removed = []
        now = time.time()
        for child in self.folder.iterdir():
            if not child.is_dir():
                continue
            if is_key(child.name) and child.name not in self.used:
                shutil.rmtree(child, ignore_errors=True)
                removed.append(child.name)
            elif child.name.startswith(TEMP_PREFIX) and (
                now - child.stat().st_mtime > STALE_TEMP_SECONDS
            ):
                shutil.rmtree(child, ignore_errors=True)
        return removed


def extract_cache_dir(store: str | Path) -> Path:
    """The extract cache of a store: the hidden folder ``.extract-cache-NAME`` beside the store
    ``NAME`` (named after the pointer, whichever version it points at: each ingest writes a
    new version)."""
    target = store_path(store)
    return target.parent / f".extract-cache-{target.name}"
