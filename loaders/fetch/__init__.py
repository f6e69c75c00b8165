"""Fetching what publishers serve: the HTTP client and its limits, the download folder's
manifest, the source list, link discovery and a run's session and summary.

These are the primitives; a fetch run over the registered sources and ``update`` (fetch,
ingest, say what changed) are :mod:`loaders.update`. Sources list is data
(``data/reference/sources.csv``, :mod:`loaders.fetch.sources`); the HTTP client
(:mod:`~loaders.fetch.client`), discovery per kind (:mod:`~loaders.fetch.discovery`,
:mod:`~loaders.fetch.kinds`), the manifest (:mod:`~loaders.fetch.manifest`), content
sniffing (:mod:`~loaders.fetch.sniff`) and a run's state (:mod:`~loaders.fetch.session`)
each have their module.
"""

from loaders.fetch.client import FetchSettings, HttpClient, Refused
from loaders.fetch.sources import Source
from loaders.fetch.summary import FetchSummary

__all__ = ["FetchSettings", "FetchSummary", "HttpClient", "Refused", "Source"]
