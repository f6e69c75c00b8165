"""What a data source is to the loaders: how it claims files, loads them, reports and is
fetched.

A source registers one :class:`Source` (see :mod:`loaders.sources.registry`): it claims the
files it reads (:attr:`Source.claims`, by name or by their first bytes), loads its files
into catalogue tables (:attr:`Source.load`, given a :class:`LoadContext`), says what it did
in its section of the load report (:attr:`Source.report_key`, told in words by
:attr:`Source.describe`) and names the kinds of ``data/reference/sources.csv`` it fetches
(:attr:`Source.fetchers`). Sources never import each other: what one needs of another's
tables (buyers of notices resolved as the spend customers were) it reads from
:attr:`LoadContext.tables`, the tables of the sources loaded before it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import pandas as pd

from loaders.bodies.customer_list import CustomerList
from loaders.catalogue import Catalogue
from loaders.core.vocabulary import Vocabulary


@dataclass(frozen=True)
class LoadOptions:
    """What the person loading said about the files (the options of ``ingest``).

    ``framework`` / ``supplier``: of spend files that do not say; ``manifest``: a
    ``releases.csv`` of releases and versions; ``allow_empty``: accept files of which no row
    can be loaded; ``cache_dir``: where extracts of files read before are kept.
    """

    framework: str | None = None
    supplier: str | None = None
    manifest: Path | None = None
    allow_empty: bool = False
    cache_dir: Path | None = None


@dataclass(frozen=True)
class LoadContext:
    """Everything a source's ``load`` may use besides its files.

    ``requested`` are the paths the load was asked for (files and folders); ``customers`` the
    CCS customer list read from ``customers_file``; ``aliases`` the analysts' customer and
    supplier override files; ``tables`` the tables of the sources loaded before this one.
    """

    requested: tuple[Path, ...]
    vocab: Vocabulary
    customers: CustomerList | None = None
    customers_file: Path | None = None
    aliases: tuple[Path | None, Path | None] = (None, None)
    options: LoadOptions = LoadOptions()
    progress: bool = False
    tables: Mapping[str, pd.DataFrame] = field(default_factory=dict)


class AppendRefused(Exception):  # noqa: N818 (a decision, not a fault)
    """A source cannot add files to a store and be sure of the rebuild's result: the one-line
    reason (a full load is done instead)."""


@dataclass(frozen=True)
class SourceLoad:
    """What a source's ``load`` gives: tables by catalogue name, and its report section."""

    tables: dict[str, pd.DataFrame]
    report: dict[str, Any] = field(default_factory=dict)


class Fetcher(Protocol):
    """Fetches one row of ``sources.csv`` (``source``) into a fetch session (see
    :mod:`loaders.fetch.session`)."""

    def __call__(self, source: Any, session: Any) -> None: ...


def _never(path: Path) -> bool:
    return False


def _no_lines(section: dict[str, Any]) -> list[str]:
    return []


def _no_summary(section: dict[str, Any]) -> str | None:
    return None


@dataclass(frozen=True)
class Source:
    """A data source as the loaders see it (see the module docstring).

    - ``claims(path)``: whether the source reads that file;
    - ``load(files, context)``: its files (possibly none) into :class:`SourceLoad`;
    - ``tables``: the tables it writes (canonical ones from :data:`loaders.catalogue.CANONICAL`
      or its own declarations);
    - ``report_key``: where its report goes in ``load_report.json`` (``None``: at the top);
    - ``describe(section)``: its section in words (lines); ``summary(section)``: one line
      after an ingest (``None`` when it read nothing);
    - ``control(path)``: whether a claimed file steers the load rather than holding data
      (a releases manifest), so it is not a file the store was built from;
    - ``fetchers``: the kinds of ``sources.csv`` it fetches, each with its fetch function;
    - ``combines``: it reads no file of its own but combines the tables of the sources
      loaded before it (one procurement published on several platforms counted once): the
      tables it gives replace theirs instead of being stacked onto them;
    - ``append(stored, section, files, context)``: its tables with new ``files`` added to
      those of a store (``stored``: the store's tables by name, ``section``: its report
      section), the same as loading them all again, or :class:`AppendRefused` saying why it
      cannot be sure (``None``: the source cannot append; a store is then rebuilt).
    """

    name: str
    claims: Callable[[Path], bool]
    load: Callable[[list[Path], LoadContext], SourceLoad]
    tables: Catalogue
    report_key: str | None = None
    describe: Callable[[dict[str, Any]], list[str]] = _no_lines
    summary: Callable[[dict[str, Any]], str | None] = _no_summary
    control: Callable[[Path], bool] = _never
    fetchers: Mapping[str, Fetcher] = field(default_factory=dict)
    combines: bool = False
    append: Callable[[Mapping[str, pd.DataFrame], dict[str, Any], list[Path], LoadContext],
                     SourceLoad] | None = None  # fmt: skip
