#!/usr/bin/env bash
# The Python test and bench tools (OpenAPI validator, Selenium, pytest; websockets and uvloop for
# the live quiz's load client) in .build/venv, from PyPI, once.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.build/venv
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/python" -c 'import openapi_spec_validator, selenium, pytest, aiosmtpd, icalendar, websockets, uvloop' 2>/dev/null \
  || "$VENV/bin/pip" install -q openapi-spec-validator selenium pytest aiosmtpd icalendar websockets uvloop
