"""Generated benchmark data kept between runs: per size and seed, the rows
(:func:`benchmarks.generate.generate`), their releases (:mod:`benchmarks.release_files`) and a
store built by the current loaders, under ``$BENCH_CACHE`` (default
``~/.cache/framework-spend/bench``), rebuilt when the generator, the sample or the loaders
change."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks.generate import ROOT, VERSION, generate, sample_profile
from benchmarks.release_files import build_store, write_monthly, write_xlsx


def cache_root() -> Path:
    """Where generated data is kept: ``$BENCH_CACHE`` or ``~/.cache/framework-spend/bench``."""
    base = os.environ.get("BENCH_CACHE")
    return Path(base) if base else Path.home() / ".cache" / "framework-spend" / "bench"


def fingerprint(*folders: Path) -> str:
    """Hash of the files in ``folders`` (recursively), to key caches to code and data."""
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix != ".pyc"):
            digest.update(str(path.relative_to(folder)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


@cache
def profile_fingerprint() -> str:
    """Hash of the sample's distributions: generated data change only when these do."""
    profile = sample_profile()
    digest = hashlib.sha256()
    for array in (
        profile.month_rows,
        profile.combo_rows,
        profile.supplier_rows,
        profile.credits,
        *profile.amounts,
    ):
        digest.update(np.ascontiguousarray(array).tobytes())
    for frame in (profile.combos, profile.customers, profile.suppliers):
        digest.update(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())
    return digest.hexdigest()[:12]


def loader_fingerprint() -> str:
    """Stores are rebuilt whenever the loaders or the reference data change."""
    return fingerprint(ROOT / "loaders", ROOT / "data" / "reference")


def _replace_dir(staging: Path, target: Path) -> None:
    if target.exists():
        shutil.rmtree(target)
    staging.rename(target)


@dataclass(frozen=True)
class Dataset:
    """The generated data of one size and seed, made on first use and cached."""

    size: int
    seed: int = 2026
    months: int | None = None  # only the sample's last months (quick runs); None: all

    @property
    def folder(self) -> Path:
        """``<cache>/<size>-<seed>`` (``-m<months>`` when restricted)."""
        restricted = f"-m{self.months}" if self.months else ""
        return cache_root() / f"{self.size}-{self.seed}{restricted}"

    def _check(self) -> None:
        """Start afresh if the cache was made by another generator version or profile."""
        meta = {"version": VERSION, "profile": profile_fingerprint(), "size": self.size}
        path = self.folder / "meta.json"
        if path.is_file() and json.loads(path.read_text()) == meta:
            return
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)
        path.write_text(json.dumps(meta))

    def rows(self) -> pd.DataFrame:
        """The generated rows (``size`` rows, then the new month's release)."""
        self._check()
        path = self.folder / "rows.parquet"
        if not path.is_file():
            rows = generate(self.size, self.seed, months=self.months)
            rows.to_parquet(path.with_suffix(".tmp"), index=False)
            path.with_suffix(".tmp").rename(path)
            return rows
        return pd.read_parquet(path)

    def xlsx(self) -> Path:
        """One cumulative XLSX release of the ``size`` rows."""
        path = self.folder / f"release-{self.size}.xlsx"
        if not path.is_file():
            rows = self.rows()
            write_xlsx(rows[~rows["new_release"]], path.with_suffix(".tmp.xlsx"))
            path.with_suffix(".tmp.xlsx").rename(path)
        return path

    def monthly(self) -> tuple[Path, Path]:
        """The folder of monthly CSV releases (``size`` rows), and the new month's release."""
        folder, new = self.folder / "monthly", self.folder / "new"
        if not (folder.is_dir() and new.is_dir()):
            rows = self.rows()
            for target, part in (
                (folder, rows[~rows["new_release"]]),
                (new, rows[rows["new_release"]]),
            ):
                staging = target.with_name(target.name + ".tmp")
                shutil.rmtree(staging, ignore_errors=True)
                write_monthly(part, staging)
                _replace_dir(staging, target)
        return folder, next(new.glob("*.csv"))

    def store(self) -> Path:
        """A store of the monthly releases, built by the current loaders (cached per version)."""
        path = self.folder / "stores" / loader_fingerprint()
        if not (path / "spend.parquet").is_file():
            shutil.rmtree(path.parent, ignore_errors=True)  # stores of older loaders
            building = self.folder / "building"
            shutil.rmtree(building, ignore_errors=True)
            build_store(self.monthly()[0], building / "store")
            self.adopt_store(building / "store", path.name)  # one plain folder per loader
            shutil.rmtree(building, ignore_errors=True)
        return path

    def adopt_store(self, built: Path, loader_version: str) -> None:
        """Keep a store just built from :meth:`monthly` (by the ingest benchmark) as the
        cached one, so it is not built twice; ``loader_version`` is the
        :func:`loader_fingerprint` taken when that ingest started."""
        path = self.folder / "stores" / loader_version
        if not (path / "spend.parquet").is_file():
            shutil.rmtree(path.parent, ignore_errors=True)
            path.parent.mkdir(parents=True)
            shutil.copytree(built, path)
