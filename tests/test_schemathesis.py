"""Property-based API testing: schemathesis generates requests from the OpenAPI document of a live
server; no operation may answer with a 5xx. At least 500 generated cases run."""

from __future__ import annotations

from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, given, settings

from tests.server import running_server

EXAMPLES_PER_OPERATION = 70


def test_no_server_errors_over_generated_requests(built_data: Path) -> None:
    failures: list[str] = []
    cases = 0
    with running_server(built_data, POLICYKG_QUERY_TIMEOUT="5") as url:
        schema = schemathesis.openapi.from_url(f"{url}/openapi.json")
        for result in schema.get_all_operations():
            operation = result.ok()

            @given(case=operation.as_strategy())
            @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, suppress_health_check=list(HealthCheck),
                      database=None)
            def check(case) -> None:  # type: ignore[no-untyped-def]
                nonlocal cases
                cases += 1
                response = case.call(timeout=30)
                if response.status_code >= 500:
                    failures.append(f"{case.method} {case.formatted_path} {case.query} → {response.status_code}: "
                                    f"{response.text[:200]}")

            check()
    assert not failures, failures[:5]
    assert cases >= 500
