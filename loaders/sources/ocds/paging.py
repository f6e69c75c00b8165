"""Release package pages chained by ``links.next`` (the OCDS pagination extension), fetched
page by page into a fetch session (:mod:`loaders.fetch.session`).

Contracts Finder's search and Find a Tender's ``ocdsReleasePackages`` both answer a release
package whose ``links.next`` is the URL of the next page, with no ``links`` (or no ``next``)
on the last. A chain is fetched whole or not at all: when it breaks part-way, the pages it
saved are forgotten, so the next run fetches it again from its first page.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from urllib.parse import urljoin

from loaders.fetch.session import FetchSession
from loaders.fetch.sources import Source
from loaders.fetch.summary import Fetched

MAX_PAGES = 10_000


def next_page(package: object) -> str | None:
    """The ``links.next`` URL of a release package page, or ``None`` on the last page."""
    if not isinstance(package, dict):
        return None
    links = package.get("links")
    url = links.get("next") if isinstance(links, dict) else None
    return url if isinstance(url, str) and url else None


def fetch_chain(
    source: Source, session: FetchSession, first: str, page_file: Callable[[int], str]
) -> bool:
    """Fetch every page of the chain starting at ``first``, page ``n`` saved as
    ``<source name>/<page_file(n)>``; whether the chain reached its last page (else the
    pages it saved are forgotten, so the next run fetches them again)."""
    url: str | None = first
    seen: set[str] = set()
    written: list[Fetched] = []
    summary = session.summary
    for number in range(1, MAX_PAGES + 1):
        seen.add(url)
        file = f"{source.name}/{page_file(number)}"
        before = len(summary.new) + len(summary.changed)
        if not session.save(source, url, file):
            break
        if len(summary.new) + len(summary.changed) > before:
            written.append(Fetched(source.name, url, file))
        try:
            following = next_page(json.loads((session.folder / file).read_bytes()))
        except ValueError as exc:
            session.refuse(source, url, f"not valid JSON: {exc}")
            written.append(Fetched(source.name, url, file))
            break
        if following is None:
            return True
        url = urljoin(url, following)
        if url in seen:
            session.refuse(source, url, "links.next points back to a page already read")
            break
    session.discard(written)
    return False
