"""axe-core in the page: the copy bundled in the axe-playwright-python wheel (nothing is
fetched), run with the WCAG 2.1 A and AA rules. Serious and critical violations fail."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import axe_playwright_python
from playwright.sync_api import Page

AXE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()
BLOCKING = {"serious", "critical"}


def violations(page: Page) -> list[dict[str, Any]]:
    page.evaluate(AXE)  # as the test's own script: a <script> tag would break the page's CSP
    result: dict[str, Any] = page.evaluate(
        "() => axe.run(document, {runOnly: {type: 'tag', "
        "values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    return [v for v in result["violations"] if v.get("impact") in BLOCKING]


def summary(found: list[dict[str, Any]]) -> str:
    return "; ".join(
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}" for v in found
    )


def assert_accessible(page: Page) -> None:
    found = violations(page)
    assert not found, f"{page.url}: {summary(found)}"
