"""Keeping up: fetch every published release and notice, and update the store in one go.

>>> from loaders.fetch import fetch, read_sources, update
>>> summary = fetch(read_sources(), "releases/")           # new and changed files only
>>> outcome = update(read_sources(), "releases/", "store")  # fetch, ingest, what changed
>>> outcome.changes["months_revised"]

Sources are data (``data/reference/sources.csv``, :mod:`loaders.fetch.sources`); the HTTP
client (:mod:`~loaders.fetch.client`), discovery per kind (:mod:`~loaders.fetch.discovery`,
:mod:`~loaders.sources.contracts_finder.fetching`), the manifest (:mod:`~loaders.fetch.manifest`),
content sniffing (:mod:`~loaders.fetch.sniff`) and the comparison of stores
(:mod:`~loaders.fetch.changes`) each have their module.
"""

from loaders.fetch.changes import StoreTables, compare_stores, describe_changes
from loaders.fetch.client import FetchSettings, HttpClient, Refused
from loaders.fetch.run import fetch
from loaders.fetch.sources import Source, read_sources
from loaders.fetch.summary import FetchSummary
from loaders.fetch.update import UpdateOutcome, update

__all__ = [
    "FetchSettings",
    "FetchSummary",
    "HttpClient",
    "Refused",
    "Source",
    "StoreTables",
    "UpdateOutcome",
    "compare_stores",
    "describe_changes",
    "fetch",
    "read_sources",
    "update",
]
