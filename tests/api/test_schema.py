"""The OpenAPI schema: valid with no warnings, every field and parameter described, served
with its interactive docs from our own static files; the token endpoint."""

from pathlib import Path

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.core.management import call_command

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema(django_db_blocker, tmp_path_factory):
    """`manage.py spectacular --validate --fail-on-warn`: raises on any warning or error."""
    path = Path(tmp_path_factory.mktemp("schema")) / "schema.yaml"
    with django_db_blocker.unblock():
        call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    return yaml.safe_load(path.read_text())


def test_the_schema_validates_without_warnings(schema):
    assert schema["openapi"].startswith("3.")
    assert "/api/petitions/{id}/history/" in schema["paths"]
    assert "/api/assigned-cases/{id}/review/" in schema["paths"]


def test_every_field_and_parameter_is_described(schema):
    missing = [
        f"{name}.{field}"
        for name, component in schema["components"]["schemas"].items()
        for field, spec in (component.get("properties") or {}).items()
        if not spec.get("description")
    ]
    missing += [
        f"{method.upper()} {path} ?{param['name']}"
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        for param in operation.get("parameters", ())
        if not param.get("description")
    ]
    assert missing == []


def test_every_operation_documents_its_errors(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert {"401", "403", "404"} <= codes, (method, path)
            if method != "get":
                assert {"400", "409"} <= codes, (method, path)


def test_a_closed_month_is_documented_as_409(schema):
    create = schema["paths"]["/api/petitions/"]["post"]
    assert create["responses"]["409"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"
    }


def test_the_schema_is_served_to_signed_in_users(api, staff_user):
    assert api().get("/api/schema/").status_code in (401, 403)
    response = api(staff_user).get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "kaohe API"


@pytest.mark.parametrize(
    ("url", "asset"),
    [
        ("/api/docs/", "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js"),
        ("/api/redoc/", "drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js"),
    ],
)
def test_the_interactive_docs_load_their_assets_from_our_static_files(
    client, staff_user, url, asset
):
    client.force_login(staff_user)
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert f"/static/{asset}" in page
    assert "cdn" not in page.lower()
    assert finders.find(asset) is not None


# --- the token -------------------------------------------------------------------------------


def test_a_username_and_password_give_the_users_token(api, staff_user):
    response = api().post("/api/token/", {"username": "staff", "password": "pw"}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    client = api()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/villages/").status_code == 200
    again = api().post("/api/token/", {"username": "staff", "password": "pw"}, format="json")
    assert again.json()["token"] == token


def test_a_wrong_password_gives_no_token(api, staff_user):
    response = api().post("/api/token/", {"username": "staff", "password": "x"}, format="json")
    assert response.status_code == 400
    assert "non_field_errors" in response.json()


def test_the_token_endpoint_is_under_the_login_lockout(api, settings, staff_user):
    settings.AXES_ENABLED = True
    for _n in range(5):
        api().post("/api/token/", {"username": "staff", "password": "wrong"}, format="json")
    response = api().post("/api/token/", {"username": "staff", "password": "pw"}, format="json")
    assert response.status_code == 429
    assert "token" not in response.json()


def test_a_session_works_too_and_needs_its_csrf_token_for_writes(staff_user, village_a):
    from rest_framework.test import APIClient

    client = APIClient(enforce_csrf_checks=True)
    client.force_login(staff_user)
    assert client.get("/api/villages/").status_code == 200
    response = client.post(
        "/api/patrols/",
        {"village": village_a.pk, "date": "2026-04-07", "participants": "巡逻队"},
        format="json",
    )
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
