"""Keeping up: fetch every published release and notice, and update the store in one go.

>>> from loaders.update import fetch, read_sources, update
>>> summary = fetch(read_sources(), "releases/")           # new and changed files only
>>> outcome = update(read_sources(), "releases/", "store")  # fetch, ingest, what changed
>>> outcome.changes["months_revised"]

A run fetches each row of the source list with the fetcher of its kind
(:mod:`~loaders.update.run`, through the source registry); ``update`` ingests what is new and
compares the stores (:mod:`~loaders.update.update`, :mod:`loaders.changes`);
:mod:`~loaders.update.commands` are the ``fetch`` and ``update`` commands.
"""

from loaders.changes import StoreTables, compare_stores, describe_changes
from loaders.update.run import fetch, fetch_kinds, read_sources
from loaders.update.update import UpdateOutcome, update

__all__ = [
    "StoreTables",
    "UpdateOutcome",
    "compare_stores",
    "describe_changes",
    "fetch",
    "fetch_kinds",
    "read_sources",
    "update",
]
