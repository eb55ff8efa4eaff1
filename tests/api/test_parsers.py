"""Issue 12, item 9: a deeply nested JSON body ("[" * 5000) answers 400, never 500.

Python's JSON parser raises RecursionError (not ValueError) past its nesting limit, which DRF's
JSONParser does not catch. Every operation of the API that takes a body is sent such a body
with a township admin's token, on records that exist, so each reaches the parsing of its body.
"""

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import ParseError
from rest_framework.test import APIClient

from accounts.models import Role
from api.parsers import MAX_DEPTH
from api.parsers import JSONParser
from api.urls import router
from assessment.models import Contest
from tests.api.seed import seed_township
from tests.factories import UserFactory

BOMB = "[" * 5000
MODELS = {
    f"/api/{prefix}/": viewset.serializer_class.Meta.model
    for prefix, viewset, _b in router.registry
}
WRITES = ("post", "put", "patch")


def _parse(text: str):
    from io import BytesIO

    return JSONParser().parse(BytesIO(text.encode()), "application/json", {})


def test_the_parser_refuses_a_deep_body_as_a_parse_error():
    with pytest.raises(ParseError):
        _parse(BOMB)
    with pytest.raises(ParseError):
        _parse("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1))
    nested = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    assert _parse(nested) is not None
    assert _parse('{"a": [{"b": [1, 2]}]}') == {"a": [{"b": [1, 2]}]}


def _path_for(path: str) -> str | None:
    """The operation's path with real ids of its kind (or of a village / job) filled in."""
    from jobs.models import Job
    from villages.models import Village

    values = {}
    if "{id}" in path:
        model = next((m for prefix, m in MODELS.items() if path.startswith(prefix)), None)
        pk = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
        if pk is None:
            return None
        values["id"] = pk
    if "{village_id}" in path:
        values["village_id"] = Village.objects.order_by("pk").values_list("pk", flat=True)[0]
    if "{job_id}" in path:
        job = Job.objects.order_by("pk").values_list("pk", flat=True).first()
        if job is None:
            return None
        values["job_id"] = job
    return path.format(**values)


@pytest.mark.django_db
def test_every_api_write_answers_400_to_a_deeply_nested_body():
    seeded = seed_township()
    admin = UserFactory(username="seed_admin", role=Role.ADMIN, township=seeded["township"])
    # A contest, so that its decide operation has one to reach.
    Contest.objects.create(
        village=seeded["village"],
        year=2026,
        month=4,
        item_code="1.4",
        line_reason="巡逻记录不足",
        refs=[],
        reason="巡逻记录已补交",
        filed_by=admin,
    )
    client = APIClient(raise_request_exception=False)
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=admin).key}")
    schema = SchemaGenerator().get_schema(request=None, public=True)
    answers, skipped = {}, []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method not in WRITES or "requestBody" not in operation:
                continue
            url = _path_for(path)
            if url is None:
                skipped.append(f"{method} {path}")
                continue
            response = getattr(client, method)(url, BOMB, content_type="application/json")
            answers[f"{method.upper()} {url}"] = response.status_code
    # The token endpoint is outside the schema's authenticated operations: send it too.
    token = APIClient(raise_request_exception=False).post(
        "/api/token/", BOMB, content_type="application/json"
    )
    answers["POST /api/token/"] = token.status_code
    assert len(answers) > 50, answers
    wrong = {op: code for op, code in answers.items() if code != 400}
    assert not wrong, wrong
    assert skipped == []
