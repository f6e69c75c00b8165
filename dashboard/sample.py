"""The bundled sample as a ready store: ingested once into a cache folder, then reused."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import loaders
from loaders.store import STORE_FORMAT, is_store

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIR = ROOT / "data" / "sample"
SAMPLE_CUSTOMERS = SAMPLE_DIR / "customer_urn_list_sample.xlsx"


def cache_root() -> Path:
    """Where stores built by the app are kept (``$DASHBOARD_CACHE`` or ``~/.cache``)."""
    base = os.environ.get("DASHBOARD_CACHE") or os.environ.get("XDG_CACHE_HOME")
    return Path(base) if base else Path.home() / ".cache" / "framework-spend"


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
