"""Lists said as a person says them (platforms of notices, in headings and alerts)."""

from loaders.core.text import in_words


def test_lists_in_words():
    assert in_words([]) == ""
    assert in_words(["Find a Tender"]) == "Find a Tender"
    assert in_words(["Contracts Finder", "Find a Tender"]) == "Contracts Finder and Find a Tender"
    assert in_words(["A", "B", "C"]) == "A, B and C"
