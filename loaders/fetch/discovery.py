"""Finding the files a source publishes, per kind (``govuk``, ``page``, ``ckan``).

- ``govuk``: the GOV.UK Content API serves every page's data at ``/api/content`` + the
  page's path, on the page's own host. A document collection lists its documents under
  ``links.documents`` (each with an ``api_path``); a publication lists its files under
  ``details.attachments`` (``attachment_type`` ``file``, with ``url``, ``filename`` and
  ``content_type``). Both are followed.
- ``page``: the ``<a href>`` links of an HTML page whose file name matches the pattern.
- ``ckan``: ``/api/3/action/package_show?id=NAME`` answers
  ``{"success": true, "result": {"resources": [{"url", "name", "format"}, ...]}}``.

Each function returns the wanted :class:`Link` objects; a page or API response that cannot
be read raises :class:`~loaders.fetch.client.Refused` naming its URL. An entry of an answer
that cannot be a link (a file name or URL that is not text, NaN included; an entry that is not
an object) is a :class:`Link` with a ``problem``: that link alone is refused. Pages and API
answers are fetched only as the source's :class:`~loaders.fetch.policy.LinkPolicy` allows.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import parse_qs, unquote, urljoin, urlsplit, urlunsplit

from loaders.fetch.client import HttpClient, Refused
from loaders.fetch.sources import Source

CONTENT_API = "/api/content"
CKAN_ACTION = "/api/3/action/package_show"


@dataclass(frozen=True)
class Link:
    """A file to download: its URL and the file name to save it under; ``problem`` says why
    an entry found cannot be downloaded (then it is refused, alone)."""

    url: str
    filename: str
    problem: str = ""


def _text(value: object) -> str | None:
    """``value`` when it is non-empty text (JSON gives numbers, NaN, lists... too)."""
    return value if isinstance(value, str) and value.strip() else None


def _entries(value: object) -> list[object]:
    return value if isinstance(value, list) else []


def _member(value: object, key: str) -> object:
    return value.get(key) if isinstance(value, dict) else None


def file_name(url: str) -> str:
    """The last path segment of ``url``, unquoted (``""`` for a bare host)."""
    return unquote(PurePosixPath(urlsplit(url).path).name)


def _unique(links: list[Link]) -> list[Link]:
    seen: set[str] = set()
    out = []
    for link in links:
        if link.url not in seen:
            seen.add(link.url)
            out.append(link)
    return out


def content_api_url(page_url: str) -> str:
    """The Content API URL of a GOV.UK page: same scheme and host, ``/api/content/PATH``."""
    parts = urlsplit(page_url)
    path = parts.path if parts.path.startswith(CONTENT_API) else CONTENT_API + parts.path
    return urlunsplit((parts.scheme, parts.netloc, path.rstrip("/"), "", ""))


def _attachments(item: object, base: str, source: Source) -> list[Link]:
    links = []
    for i, attachment in enumerate(_entries(_member(_member(item, "details"), "attachments"))):
        kind = _member(attachment, "attachment_type")
        if kind not in (None, "file") or _member(attachment, "url") in (None, ""):
            continue
        url, name = _text(_member(attachment, "url")), _member(attachment, "filename")
        where = f"{base} (attachment {i + 1})"
        if url is None:
            links.append(Link(where, "", "the attachment's url is not text"))
            continue
        url = urljoin(base, url)
        name = file_name(url) if name in (None, "") else _text(name)
        if name is None:
            links.append(Link(url, "", "the attachment's filename is not text"))
        elif source.matches(name):
            links.append(Link(url, name))
    return links


def _document_api_url(document: object, base: str) -> str | None:
    if _text(_member(document, "api_path")):
        return urljoin(base, document["api_path"])
    if _text(_member(document, "base_path")):
        return urljoin(base, CONTENT_API + document["base_path"])
    return _text(_member(document, "api_url"))  # deprecated absolute form


def discover_govuk(source: Source, client: HttpClient) -> list[Link]:
    """Files attached to a GOV.UK publication, or to each document of a collection (a
    document whose answer cannot be read is refused as one link)."""
    api_url = content_api_url(source.url)
    item = client.get_json(api_url, source.policy)
    if not isinstance(item, dict):
        raise Refused(api_url, "not a GOV.UK content item")
    links = _attachments(item, api_url, source)
    for document in _entries(_member(item.get("links"), "documents")):
        document_url = _document_api_url(document, api_url)
        if not document_url:
            continue
        try:
            links += _attachments(client.get_json(document_url, source.policy), document_url,
                                  source)  # fmt: skip
        except Refused as exc:
            links.append(Link(exc.url, "", exc.reason))
    return _unique(links)


class _Anchors(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.hrefs += [value for name, value in attrs if name == "href" and value]


def discover_page(source: Source, client: HttpClient) -> list[Link]:
    """The links of an HTML page whose file name matches the source's pattern."""
    parser = _Anchors()
    parser.feed(client.get_text(source.url, source.policy))
    links = []
    for href in parser.hrefs:
        url = urljoin(source.url, href.strip()).split("#")[0]
        if urlsplit(url).scheme in ("http", "https") and source.matches(file_name(url)):
            links.append(Link(url, file_name(url)))
    return _unique(links)


def package_show_url(url: str) -> str:
    """The ``package_show`` URL of a CKAN dataset: ``url`` itself when it already is one,
    else built from a ``/dataset/NAME`` page on the same host."""
    parts = urlsplit(url)
    if parts.path.rstrip("/").endswith("package_show") and "id" in parse_qs(parts.query):
        return url
    segments = [s for s in parts.path.split("/") if s]
    if "dataset" not in segments or segments.index("dataset") + 1 >= len(segments):
        raise Refused(url, "not a CKAN package_show URL or /dataset/NAME page")
    name = segments[segments.index("dataset") + 1]
    return urlunsplit((parts.scheme, parts.netloc, CKAN_ACTION, f"id={name}", ""))


def _resource_name(resource: dict[str, Any], url: str) -> str:
    name = file_name(url)
    fmt = (_text(resource.get("format")) or "").strip().lower().lstrip(".")
    if PurePosixPath(name).suffix or not fmt:
        return name
    return f"{name or _text(resource.get('name')) or 'resource'}.{fmt}"


def discover_ckan(source: Source, client: HttpClient) -> list[Link]:
    """The resources of a CKAN dataset whose file name matches the source's pattern."""
    api_url = package_show_url(source.url)
    answer = client.get_json(api_url, source.policy)
    if not isinstance(answer, dict) or answer.get("success") is not True:
        raise Refused(api_url, "CKAN package_show did not answer success")
    links = []
    for i, resource in enumerate(_entries(_member(answer.get("result"), "resources"))):
        if _member(resource, "url") in (None, ""):
            continue
        url = _text(_member(resource, "url"))
        if url is None:
            links.append(
                Link(f"{api_url} (resource {i + 1})", "", "the resource's url is not text")
            )
            continue
        url = urljoin(api_url, url)
        name = _resource_name(resource, url)
        if source.matches(name):
            links.append(Link(url, name))
    return _unique(links)


DISCOVER = {"govuk": discover_govuk, "page": discover_page, "ckan": discover_ckan}
