#!/usr/bin/env bash
# The Python test and bench tools (OpenAPI validator, Schemathesis to fuzz the API against its document, Selenium, pytest; websockets and uvloop for
# the live quiz's load client; axe-selenium-python to run axe-core in the accessibility audit) in
# .build/venv, from PyPI, once. axe-selenium-python ships axe-core 3.1 (2018, which misreads today's
# HTML): the audit injects the axe-core 4 that axe-playwright-python ships, installed without its
# Playwright dependency (only its axe.min.js is used).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.build/venv
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/python" -c 'import openapi_spec_validator, selenium, pytest, aiosmtpd, icalendar, websockets, uvloop, axe_selenium_python, schemathesis' 2>/dev/null \
  || "$VENV/bin/pip" install -q openapi-spec-validator selenium pytest aiosmtpd icalendar websockets uvloop axe-selenium-python schemathesis
"$VENV/bin/python" -c 'import axe_playwright_python' 2>/dev/null || "$VENV/bin/pip" install -q --no-deps axe-playwright-python
