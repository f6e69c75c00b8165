"""Content sniffing: is what the server sent what the link promised?

Publishers' servers answer a missing or moved file with an HTML page (an error page, a
login page, a "this page has moved" notice) and status 200. Saved under a ``.csv`` name it
would look like a release with an unknown layout; saved as ``.json`` it would break the
notices. So the first bytes of every download are checked against the promised type, and
anything else is refused with a reason naming what was found.
"""

from __future__ import annotations

from pathlib import PurePosixPath

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HTML_STARTS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<?xml", b"<!--")
EXPECTED = {
    ".csv": "text",
    ".txt": "text",
    ".tsv": "text",
    ".xlsx": "zip workbook",
    ".xlsm": "zip workbook",
    ".ods": "zip workbook",
    ".xls": "workbook",
    ".json": "json",
}
_PROMISED = {
    "text": "a CSV file",
    "zip workbook": "a workbook",
    "workbook": "a workbook",
    "json": "JSON",
    "any": "a file",
}


def expected_type(filename: str) -> str:
    """What a file of this name must hold: ``text``, ``zip workbook``, ``workbook``,
    ``json``, or ``any`` (unknown suffix: only HTML is refused)."""
    return EXPECTED.get(PurePosixPath(filename).suffix.lower(), "any")


def _strip(head: bytes) -> bytes:
    for bom in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        if head.startswith(bom):
            head = head[len(bom) :]
    return head.lstrip()


def looks_like_html(head: bytes) -> bool:
    """Whether ``head`` (the first bytes of a body) is an HTML or XML page."""
    start = _strip(head)[:512].lower()
    return start.startswith(_HTML_STARTS) or b"<html" in start


def _describe(head: bytes) -> str:
    if looks_like_html(head):
        return "an HTML page"
    if head.startswith(ZIP_MAGIC):
        return "a zip file"
    if head.startswith(b"%PDF"):
        return "a PDF"
    return f"content starting {_strip(head)[:16]!r}"


def refusal(filename: str, head: bytes, content_type: str = "") -> str | None:
    """Why a body starting with ``head`` cannot be saved as ``filename``, or ``None``.

    ``head`` is the first few kilobytes of the body. ``content_type`` (the response header)
    is only used to word the reason.
    """
    if not _strip(head):
        return "empty response"
    expected = expected_type(filename)
    served = f" (served as {content_type})" if content_type else ""
    binary = b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff"))
    wrong = (
        looks_like_html(head)
        or (expected == "zip workbook" and not head.startswith(ZIP_MAGIC))
        or (expected == "workbook" and not head.startswith((OLE_MAGIC, ZIP_MAGIC)))
        or (expected == "text" and (binary or head.startswith((ZIP_MAGIC, b"%PDF"))))
        or (expected == "json" and not _strip(head).startswith((b"{", b"[")))
    )
    if wrong:
        return f"{_describe(head)}{served} where {_PROMISED[expected]} was promised"
    return None
