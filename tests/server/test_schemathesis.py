"""Schemathesis over GET /api/v1/openapi.json: what the document promises, the server keeps.

For every documented operation schemathesis sends its examples, the coverage cases (edge
values, wrong types, missing and unknown fields, methods the address does not take) and
a bounded number of generated ones to the in-process app, with the token of a role that
may call it. Each answer must be no 5xx, a documented status, content type, body and
headers; a request the schema forbids must not succeed; one it allows must not be
refused as malformed; a 405 must say in Allow what would work.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from layso.server.openapi import document
from tests.server import test_openapi

app_office = test_openapi.app_office    # a seeded office; kiosk, display, clerk, admin tokens

pytestmark = pytest.mark.schemathesis

# Fuzzed cases per operation (examples and coverage cases come on top): 25 keeps the whole
# run under a minute on a 2-core machine. The seed gives the same cases on every run, so a
# CI failure reproduces. To look harder: LAYSO_SCHEMATHESIS_EXAMPLES=200
# LAYSO_SCHEMATHESIS_SEED=<any number>.
MAX_EXAMPLES = int(os.environ.get("LAYSO_SCHEMATHESIS_EXAMPLES", "25"))
SEED = int(os.environ.get("LAYSO_SCHEMATHESIS_SEED", "20261202"))

CONFIG = schemathesis.Config.from_dict({
    "seed": SEED,
    "generation": {"mode": "all", "max-examples": MAX_EXAMPLES, "database": "none",
                   # the test gives each case a real token of its role (role_for)
                   "with-security-parameters": False},
    "phases": {"stateful": {"enabled": False}},
})

schema = schemathesis.openapi.from_dict(document(), config=CONFIG)

# Codes the server gives a request it finds malformed; a schema-valid one never gets them.
MALFORMED = {"invalid_field", "bad_json", "bad_idempotency_key", "bad_last_event_id"}


def valid_input_is_not_called_malformed(ctx, response, case) -> None:
    """The other half of negative_data_rejection: what the schema allows, the server reads.
    A valid request may still be refused for the office's data (unknown_service, ...)."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive or response.status_code >= 500:
        return None
    if response.status_code in (400, 422):
        code = (response.json() or {}).get("error", {}).get("code")
        assert code not in MALFORMED, (
            f"{case.method} {case.path}: a request valid by the schema was refused as "
            f"malformed: {response.status_code} {response.text}")
    return None


CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance, response_headers_conformance, negative_data_rejection,
          unsupported_method, valid_input_is_not_called_malformed]


def role_for(case) -> str:
    """A role that may call the operation (its documented Roles), so the cases get past 403."""
    if case.method == "POST" and case.path in ("/tickets", "/devices/me/status"):
        return "kiosk"
    return "clerk" if case.method == "POST" else "display"


@schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck))
def test_the_server_keeps_what_openapi_json_promises(case, app_office):
    # An event stream never ends: read it for a moment (keep-alives every 0.2 s here).
    case.call_and_validate(app=app_office.app, headers=app_office.auth(role_for(case)),
                           checks=CHECKS, timeout=1.0)
