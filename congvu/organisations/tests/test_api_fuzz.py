"""S7: schemathesis over the OpenAPI schema, against the Django WSGI application.

Valid data must never cause a server error and must match the documented responses;
invalid data must be refused with a 4xx. Examples are limited to keep this quick.
"""

from contextlib import contextmanager

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    negative_data_rejection,
    response_schema_conformance,
)

from congvu.accounts.services import token_create
from congvu.core.actors import SYSTEM

pytestmark = pytest.mark.django_db

EXAMPLES = {GenerationMode.POSITIVE: 60, GenerationMode.NEGATIVE: 40}
CHECKS = {
    GenerationMode.POSITIVE: [not_a_server_error, response_schema_conformance],
    GenerationMode.NEGATIVE: [not_a_server_error, negative_data_rejection],
}


@contextmanager
def _keep_test_connection():
    """Requests run inside the test's transaction: do not let Django close it between them
    (the test client does the same)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize("persona", ["snv", "head_syt"])
def test_api_survives_fuzzing(province, persona, mode):
    headers = {
        "Authorization": f"Bearer {token_create(actor=SYSTEM, user=province.users[persona])}"
    }
    with _keep_test_connection():
        schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())
        # Unknown query parameters are ignored, as on any web page; the token is ours.
        schema.config.generation.update(
            allow_extra_parameters=False, with_security_parameters=False
        )
        operations = [result.ok() for result in schema.get_all_operations()]
        assert {op.path for op in operations} >= {
            "/api/v1/units",
            "/api/v1/staff",
            "/api/v1/ratings",
        }
        for operation in operations:
            if mode == GenerationMode.NEGATIVE and not len(operation.query) and not operation.body:
                continue  # nothing to make invalid (the health check takes no parameters)
            _fuzz(operation, mode, headers)


def _fuzz(operation, mode: GenerationMode, headers: dict[str, str]) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @hypothesis_settings(
        max_examples=EXAMPLES[mode],
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        response = case.call(headers=headers)
        case.validate_response(response, checks=CHECKS[mode], headers=headers)

    run()
