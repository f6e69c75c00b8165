"""What a spend load read besides its files, as fingerprints: whether a later load may add
to its result rather than start again (:mod:`loaders.update.append`).

The report keeps them as ``ingest_inputs``: the loaders' own code and reference data
(``data/reference``), the customer list and the alias files by SHA-256, and the options
that change how a file is read. Two loads with the same fingerprints read the same files
the same way.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from loaders.core.files import file_sha256
from loaders.core.vocabulary import REFERENCE_DIR
from loaders.sources.base import LoadContext

LOADERS_DIR = Path(__file__).resolve().parents[2]
CODE_SUFFIXES = (".py", ".csv", ".json")


def tree_sha256(*folders: Path) -> str:
    """SHA-256 of the code and data files under ``folders`` (names and bytes, sorted)."""
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.suffix in CODE_SUFFIXES):
            digest.update(str(path.relative_to(folder)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _sha(path: Path | None) -> str | None:
    return file_sha256(path) if path is not None and path.is_file() else None


def ingest_inputs(context: LoadContext) -> dict[str, Any]:
    """The fingerprints of a spend load's inputs other than its files (module docstring)."""
    options = context.options
    return {
        "loaders_sha256": tree_sha256(LOADERS_DIR, REFERENCE_DIR),
        "customer_list_sha256": _sha(context.customers_file),
        "customer_aliases_sha256": _sha(context.aliases[0]),
        "supplier_aliases_sha256": _sha(context.aliases[1]),
        "framework": options.framework,
        "supplier": options.supplier,
        "allow_empty": options.allow_empty,
    }
