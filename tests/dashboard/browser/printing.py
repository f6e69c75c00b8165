"""Reading a printed page back: its pages' words with their boxes (``pdftotext -bbox``), so
tests can check page counts, that every line keeps within the margins, and that no page
ends with a heading."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

MM = 72 / 25.4  # points per millimetre
MARGIN_MM = 12  # @page margin of assets/10-app.css
_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.DOTALL)
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                   r"(.*?)</word>")  # fmt: skip

needs_poppler = pytest.mark.skipif(
    not shutil.which("pdftotext"), reason="needs poppler-utils (pdfinfo, pdftotext)"
)


@dataclass(frozen=True)
class Word:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str


@dataclass(frozen=True)
class PrintedPage:
    width: float
    height: float
    words: tuple[Word, ...]

    def lines(self) -> list[str]:
        """The page's lines of text, top to bottom (words within 2 pt of height joined)."""
        rows: list[list[Word]] = []
        for word in sorted(self.words, key=lambda w: (round(w.y0), w.x0)):
            if rows and abs(rows[-1][0].y0 - word.y0) < 2:
                rows[-1].append(word)
            else:
                rows.append([word])
        return [" ".join(w.text for w in sorted(row, key=lambda w: w.x0)) for row in rows]

    def text(self) -> str:
        return " ".join(self.lines())

    def outside_margins(self, margin_mm: float = MARGIN_MM, slack: float = 2.0) -> list[Word]:
        """Words reaching past the left or right margin (a line wider than the page)."""
        left, right = margin_mm * MM - slack, self.width - margin_mm * MM + slack
        return [w for w in self.words if w.x0 < left or w.x1 > right]


def read_pdf(pdf: Path) -> list[PrintedPage]:
    """Every page of ``pdf`` with its words and their boxes."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout  # fmt: skip
    return [
        PrintedPage(float(w), float(h), tuple(
            Word(float(a), float(b), float(c), float(d), html.unescape(t))
            for a, b, c, d, t in _WORD.findall(body)))
        for w, h, body in _PAGE.findall(out)
    ]  # fmt: skip


def page_count(pdf: Path) -> int:
    """Pages of ``pdf`` as ``pdfinfo`` counts them."""
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    return int(next(line.split()[1] for line in info.stdout.splitlines()
                    if line.startswith("Pages:")))  # fmt: skip


def _words(text: str) -> str:
    return " ".join(text.split())


def orphaned_headings(pages: list[PrintedPage], headings: list[str]) -> list[str]:
    """Headings printed as the last line of a page (but the last page): a page should never
    end with a heading whose content is on the next."""
    found = []
    for page in pages[:-1]:
        lines = page.lines()
        if not lines:
            continue
        last = _words(lines[-1])
        for heading in map(_words, headings):
            if len(last) >= 12 and heading.endswith(last) or last == heading:
                found.append(heading)
    return found
