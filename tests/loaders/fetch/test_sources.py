"""Sources as data, and content sniffing."""

from __future__ import annotations

import pytest

from loaders.core.errors import LoaderInputError
from loaders.fetch.sniff import refusal
from loaders.fetch.sources import SOURCES_FILE
from loaders.update import read_sources


def test_shipped_sources_parse_and_name_real_publishers():
    sources = {s.name: s for s in read_sources(SOURCES_FILE)}
    assert sources["contracts-finder"].url.startswith(
        "https://www.contractsfinder.service.gov.uk/Published/Notices/OCDS/Search"
    )
    assert sources["find-a-tender"].url.startswith(
        "https://www.find-tender.service.gov.uk/api/1.0/ocdsReleasePackages"
    )
    assert {s.kind for s in sources.values()} <= {"govuk", "page", "ckan", "contracts-finder",
                                                  "find-a-tender"}  # fmt: skip


def test_comments_blank_lines_and_a_missing_pattern(tmp_path):
    path = tmp_path / "sources.csv"
    path.write_text("# note\nname,kind,url,pattern\n\nsales,page,https://example.org/s\n")
    [source] = read_sources(path)
    assert source.pattern == "" and source.matches("G-Cloud.XLSX") and not source.matches("a.pdf")


@pytest.mark.parametrize(
    ("row", "message"),
    [
        pytest.param("a,ftp-site,https://x.org/,", "unknown kind 'ftp-site'", id="kind"),
        pytest.param("a,page,file:///etc/passwd,", "is not an http(s) URL", id="url"),
        pytest.param("a,page,https://x.org/,(", "is not a regular expression", id="pattern"),
        pytest.param("../a,page,https://x.org/,", "must be letters", id="name"),
    ],
)
def test_bad_rows_name_the_row_and_column(tmp_path, row, message):
    path = tmp_path / "sources.csv"
    path.write_text(f"name,kind,url,pattern\n{row}\n")
    with pytest.raises(LoaderInputError, match="row 2") as error:
        read_sources(path)
    assert message in str(error.value)


def test_a_name_used_twice_is_refused(tmp_path):
    path = tmp_path / "sources.csv"
    path.write_text("name,kind,url\na,page,https://x.org/\na,ckan,https://y.org/dataset/b\n")
    with pytest.raises(LoaderInputError, match="used twice"):
        read_sources(path)


@pytest.mark.parametrize(
    ("name", "head", "reason"),
    [
        pytest.param("a.csv", b"Framework,Lot\n", None, id="csv"),
        pytest.param("a.csv", b"\xef\xbb\xbf  <!DOCTYPE html>", "an HTML page", id="html as csv"),
        pytest.param("a.xlsx", b"PK\x03\x04rest", None, id="xlsx"),
        pytest.param("a.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", None, id="old xls"),
        pytest.param("a.xlsx", b"Framework,Lot", "where a workbook was promised", id="csv as xlsx"),
        pytest.param("a.csv", b"%PDF-1.4", "a PDF where a CSV file", id="pdf as csv"),
        pytest.param("p.json", b' {"releases": []}', None, id="json"),
        pytest.param("p.json", b"<html><body>", "where JSON was promised", id="html as json"),
        pytest.param("a.csv", b"  \n", "empty response", id="empty"),
        pytest.param("data", b"anything", None, id="unknown suffix"),
    ],
)
def test_sniffing(name, head, reason):
    found = refusal(name, head)
    assert found is None if reason is None else reason in found
