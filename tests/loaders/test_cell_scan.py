"""The scan for error and formula cells reads only the cells that carry a marker, chunk by
chunk: it finds exactly what a parse of every cell finds, wherever the chunks are cut."""

from __future__ import annotations

import io
import zipfile
from xml.etree import ElementTree

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loaders.core import workbook_xml
from loaders.core.workbook_xml import CellScan, _scan_cell, _SharedFormulas

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _cell(row: int, kind: str, prefix: str) -> str:
    ref = f"B{row}"
    p = f"{prefix}:" if prefix else ""
    return {
        "plain": f'<{p}c r="{ref}" t="n"><{p}v>{row}.5</{p}v></{p}c>',
        "text": f'<{p}c r="{ref}" t="inlineStr"><{p}is><{p}t>Leeds &amp; co</{p}t></{p}is></{p}c>',
        "error": f'<{p}c r="{ref}" t="e"><{p}v>#REF!</{p}v></{p}c>',
        "formula": f'<{p}c r="{ref}"><{p}f>A{row}*2</{p}f><{p}v></{p}v></{p}c>',
        "cached": f'<{p}c r="{ref}"><{p}f>A{row}*3</{p}f><{p}v>9</{p}v></{p}c>',
        "empty formula": f'<{p}c r="{ref}"><{p}f>A{row}+1</{p}f></{p}c>',
        "shared master": f'<{p}c r="{ref}"><{p}f t="shared" si="0" ref="B{row}:B{row + 5}">'
        f"A{row}+A{row}</{p}f></{p}c>",
        "shared": f'<{p}c r="{ref}"><{p}f t="shared" si="0"/></{p}c>',
        "self-closing error": f'<{p}c r="{ref}" t="e"/>',
    }[kind]


def _sheet(kinds: list[str], prefix: str) -> bytes:
    p = f"{prefix}:" if prefix else ""
    xmlns = f'xmlns:{prefix}="{MAIN}"' if prefix else f'xmlns="{MAIN}"'
    rows = "".join(
        f'<{p}row r="{n}"><{p}c r="A{n}" t="n"><{p}v>{n}</{p}v></{p}c>{_cell(n, kind, prefix)}'
        f"</{p}row>"
        for n, kind in enumerate(kinds, start=1)
    )
    return f"<{p}worksheet {xmlns}><{p}sheetData>{rows}</{p}sheetData></{p}worksheet>".encode()


def _every_cell(xml: bytes) -> CellScan:
    """The plain way: parse every cell."""
    scan, shared = CellScan(), _SharedFormulas()
    for element in ElementTree.fromstring(xml).iter():
        if workbook_xml.local_name(element.tag) == "c":
            _scan_cell(element, scan, shared)
    scan.formulas.update(shared.written_out())
    return scan


def _scanned(xml: bytes) -> CellScan:
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("xl/worksheets/sheet1.xml", xml)
    with zipfile.ZipFile(data) as archive:
        return workbook_xml._scan(archive, "xl/worksheets/sheet1.xml")


KINDS = ["plain", "text", "error", "formula", "cached", "empty formula", "shared master",
         "shared", "self-closing error"]  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(
    kinds=st.lists(st.sampled_from(KINDS), min_size=1, max_size=40),
    chunk=st.integers(min_value=16, max_value=600),
    prefix=st.sampled_from(["", "x"]),
)
def test_the_scan_finds_what_a_parse_of_every_cell_finds(kinds, chunk, prefix):
    xml = _sheet(kinds, prefix)
    with pytest.MonkeyPatch.context() as patch:  # small chunks: cells cut at every place
        patch.setattr(workbook_xml, "_CHUNK", chunk)
        patch.setattr(workbook_xml, "_CELL_MAX", 200)
        assert _scanned(xml) == _every_cell(xml)


@pytest.mark.parametrize("prefix", ["", "x"])
def test_errors_and_formulas_without_a_value_are_found(prefix):
    scan = _scanned(_sheet(["plain", "error", "formula", "cached", "self-closing error"], prefix))
    assert scan.errors == {(1, 1): "#REF!"}
    assert scan.formulas == {(2, 1): "=A3*2"}
