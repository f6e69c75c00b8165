"""Reading the page in one step, so a Dash re-render between finding an element and reading
it cannot make a test fail with a stale element reference."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from selenium.common.exceptions import StaleElementReferenceException

T = TypeVar("T")
_TEXT = "const e = document.querySelector(arguments[0]); return e ? e.textContent : null;"


def text_of(dash_duo, selector: str, timeout: float = 30) -> str:
    """The ``textContent`` of the first element matching ``selector``, read in the browser in
    one script call; waits up to ``timeout`` seconds for the element to exist."""
    deadline = time.time() + timeout
    while True:
        text = dash_duo.driver.execute_script(_TEXT, selector)
        if text is not None:
            return text
        if time.time() > deadline:
            raise AssertionError(f"no element matches {selector!r} after {timeout} s")
        time.sleep(0.2)


def retry_stale(action: Callable[[], T], timeout: float = 10) -> T:
    """Run ``action`` again while the elements it found are replaced by a re-render."""
    deadline = time.time() + timeout
    while True:
        try:
            return action()
        except StaleElementReferenceException:
            if time.time() > deadline:
                raise
            time.sleep(0.2)


def texts_of(dash_duo, selector: str) -> list[str]:
    """The ``textContent`` of every element matching ``selector``, read in one script call."""
    return dash_duo.driver.execute_script(
        "return Array.from(document.querySelectorAll(arguments[0]), e => e.textContent);",
        selector,
    )
