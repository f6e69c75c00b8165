"""The layers stay visible: import contracts (import-linter) and small modules."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MAX_LINES = 500


@pytest.mark.slow
def test_import_contracts_are_kept():
    """``lint-imports`` with the contracts of pyproject.toml (import-linter is in
    requirements-dev.txt, so the test command always runs them)."""
    run = subprocess.run(
        [sys.executable, "-c", "from importlinter.cli import lint_imports_command as c; c()"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]


@pytest.mark.parametrize("package", ["loaders", "dashboard", "benchmarks"])
def test_no_module_is_over_500_lines(package):
    long = {
        str(path.relative_to(ROOT)): lines
        for path in (ROOT / package).rglob("*.py")
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_every_page_module_is_in_the_independence_contract():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    independent = next(
        c["modules"]
        for c in contracts
        if c["type"] == "independence" and c["modules"][0].startswith("dashboard.pages.")
    )
    from dashboard.pages.registry import PAGES

    pages = {page.build.__module__ for page in PAGES}
    assert set(independent) == pages
