"""What the web chat's browser scripts share: Debian's Chromium through Playwright, a page
whose console errors and uncaught exceptions fail the run, and the way a run reports.

A script calls `run(journey)`: journey(page, spec) gets the page and the JSON spec of its
first argument; what it returns is printed as one JSON line, and any failure (its own
checks, a Playwright timeout, an error the page logged) exits 1 with the reason.
"""

import json
import sys

from playwright.sync_api import sync_playwright

TIMEOUT_MS = 20_000


class Failed(Exception):
    pass


def check(condition, what):
    if not condition:
        raise Failed(what)


def run(journey):
    try:
        print(json.dumps(_drive(journey, json.loads(sys.argv[1]))))
    except Exception as failure:  # the Swift test prints this and fails
        print(f"{type(failure).__name__}: {failure}", file=sys.stderr)
        sys.exit(1)


def _drive(journey, spec):
    problems = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=spec["chromium"], args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1400, "height": 900}, accept_downloads=True)
        page.set_default_timeout(TIMEOUT_MS)
        page.on("console", lambda message: problems.append(f"console {message.type}: {message.text}")
                if message.type in ("error", "assert") else None)
        page.on("pageerror", lambda error: problems.append(f"uncaught: {error}"))
        try:
            result = journey(page, spec)
        finally:
            # The page first, so the end of its live feed is not taken for an error.
            page.close()
            browser.close()
    check(not problems, "the page logged errors:\n" + "\n".join(problems))
    return result
