"""Schema-driven fuzzing: schemathesis generates requests for every operation of the OpenAPI
schema (valid and invalid data), sends them to the WSGI application in-process with a staff
token, and checks that no answer is a server error and that every answer (status, content type,
body) conforms to the schema. About half of the generated ids are swapped for ids of records
that exist, so reads, updates, deletes and actions reach real records, not only 404s.

Bounded: three generated requests per operation and mode (schemathesis' fuzzing phase only,
no shrinking): about 1,000 requests, some 25 s of CPU, so the run stays under a minute on an idle
machine. The schemathesis pytest plugin's lazy fixture loader does not run on pytest 9 (it sets
`Node._nodeid`), so the operations are driven here with `operation.as_strategy()` and Hypothesis.
"""

import pytest
import schemathesis
from django.core.signals import request_finished
from django.core.signals import request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import Phase
from hypothesis import given
from hypothesis import settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance
from schemathesis.specs.openapi.checks import response_schema_conformance
from schemathesis.specs.openapi.checks import status_code_conformance

from api.urls import router
from tests.api.seed import seed_township

EXAMPLES = 3
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
MODELS = {
    f"/api/{prefix}/": viewset.serializer_class.Meta.model
    for prefix, viewset, _b in router.registry
}


@pytest.fixture
def seeded(db):
    return seed_township()


@pytest.fixture
def staff_token(seeded):
    return Token.objects.get_or_create(user=seeded["staff"])[0].key


@pytest.fixture
def api_schema(seeded, staff_token, settings):
    """The schema as the API serves it to the staff user, run against the WSGI application."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {staff_token}")
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    loaded = schemathesis.openapi.from_dict(response.json())
    loaded.app = get_wsgi_application()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    # The raw WSGI handler closes the database connection after each request, which would end
    # the test's transaction; Django's test client switches that off the same way (and back on
    # after each of its own requests, so this comes after the last one).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield loaded
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def real_id(case, generated):
    """Swap an even generated id for the id of a record of the operation's kind, if any."""
    if not isinstance(generated, int) or generated % 2:
        return generated
    model = next((m for prefix, m in MODELS.items() if case.path.startswith(prefix)), None)
    if model is None:
        return generated
    pk = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
    return generated if pk is None else pk


def fuzz(operation, mode, token) -> None:
    """EXAMPLES generated requests of one operation in one mode (valid or invalid data)."""

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        if "id" in (case.path_parameters or {}):
            case.path_parameters["id"] = real_id(case, case.path_parameters["id"])
        case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=CHECKS)

    run()


def test_the_api_answers_every_request_within_its_schema(api_schema, staff_token):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) > 150
    failures = []
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                fuzz(operation, mode, staff_token)
            except (Exception, BaseExceptionGroup) as exc:  # report every failing operation
                failures.append(f"{operation.label} ({mode.value}): {exc}")
    assert not failures, "\n\n".join(failures)
