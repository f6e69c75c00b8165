"""The bundled sample as a ready store: ingested once into a cache folder, then reused."""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path

import loaders
from loaders.catalogue.store import STORE_FORMAT, is_store

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIR = ROOT / "data" / "sample"
SAMPLE_CUSTOMERS = SAMPLE_DIR / "customer_urn_list_sample.xlsx"


def cache_root() -> Path:
    """Where stores built by the app are kept: ``$DASHBOARD_CACHE``, else
    ``framework-spend`` in ``$XDG_CACHE_HOME`` or ``~/.cache``."""
    if os.environ.get("DASHBOARD_CACHE"):
        return Path(os.environ["DASHBOARD_CACHE"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "framework-spend"


def sample_fingerprint() -> str:
    """Hash of the sample files, the reference data and the store format, so edits rebuild
    the store."""
    digest = hashlib.sha256(f"store format {STORE_FORMAT}".encode())
    folders = (SAMPLE_DIR, ROOT / "data" / "reference")
    for path in sorted(p for folder in folders for p in folder.iterdir() if p.is_file()):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def default_store() -> Path:
    """A store of the bundled sample, ingested on first use and reused afterwards."""
    store = cache_root() / f"sample-store-{sample_fingerprint()}"
    if not is_store(store):
        result = loaders.load([SAMPLE_DIR], customers=SAMPLE_CUSTOMERS)
        loaders.write_store(result, store)
    return store


@lru_cache(maxsize=1)
def sample_hashes() -> frozenset[str]:
    """SHA-256 of every file of the bundled synthetic sample."""
    return frozenset(
        hashlib.sha256(path.read_bytes()).hexdigest()
        for path in SAMPLE_DIR.iterdir()
        if path.is_file()
    )


def synthetic_files(report: dict) -> list[str]:
    """The files of a store's load report that are files of the bundled synthetic sample
    (recognised by their content, whatever they are called)."""
    ours = sample_hashes()
    return [f["file"] for f in report.get("files", []) if f.get("sha256") in ours]
