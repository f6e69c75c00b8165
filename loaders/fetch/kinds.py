"""The fetch kinds every source list can use: pages and APIs that list files.

``govuk``, ``page`` and ``ckan`` (:mod:`loaders.fetch.discovery`) find the links of files a
publisher lists; each link found is saved. Kinds that walk a search (Contracts Finder's
windows) belong to their source (:attr:`loaders.sources.base.Source.fetchers`).
"""

from __future__ import annotations

from collections.abc import Callable

from loaders.fetch.client import HttpClient, Refused
from loaders.fetch.discovery import DISCOVER, Link
from loaders.fetch.session import FetchSession
from loaders.fetch.sources import Source


def link_fetcher(
    discover: Callable[[Source, HttpClient], list[Link]],
) -> Callable[[Source, FetchSession], None]:
    """A fetcher that saves every link ``discover`` finds (a page that cannot be read is
    refused, naming its URL)."""

    def fetch_links(source: Source, session: FetchSession) -> None:
        try:
            links = discover(source, session.client)
        except Refused as exc:
            session.refuse(source, exc.url, exc.reason)
            return
        session.save_links(source, links)

    return fetch_links


LINK_KINDS: dict[str, Callable[[Source, FetchSession], None]] = {
    kind: link_fetcher(discover) for kind, discover in DISCOVER.items()
}
KIND_NAMES = {
    "govuk": "a GOV.UK collection or publication page, read through the GOV.UK Content API",
    "page": "any HTML page: the links whose file name matches the pattern",
    "ckan": "a CKAN dataset (data.gov.uk): the resources of its package_show",
}
