"""A database connection the server dropped is reopened, not answered with a 500.

Production keeps connections for a minute (CONN_MAX_AGE) and checks each one before a request's
first query (CONN_HEALTH_CHECKS). The PostgreSQL test below drops a worker's connection between
two requests, as a database restart or failover does, and runs both requests through Django's
WSGI handler as gunicorn does (the test client skips the connection handling being tested).
"""

import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import Client
from django.test import RequestFactory

from jobs.services import job_create


def test_connections_persist_for_a_minute_and_are_checked_before_use():
    database = settings.DATABASES["default"]
    assert database["CONN_HEALTH_CHECKS"] is True
    assert database["CONN_MAX_AGE"] == 60  # the production default (DEBUG off)


def _get(handler, path, cookie) -> int:
    statuses = []
    environ = RequestFactory()._base_environ(
        PATH_INFO=path,
        REQUEST_METHOD="GET",
        HTTP_COOKIE=cookie,
        HTTP_X_FORWARDED_PROTO="https",
        SERVER_NAME="localhost",
    )
    body = handler(environ, lambda status, headers, exc_info=None: statuses.append(status))
    try:
        b"".join(body)
    finally:
        body.close()  # request_finished: where Django decides to keep the connection
    return int(statuses[0].split()[0])


@pytest.mark.django_db(transaction=True)
def test_the_first_request_after_the_connection_dropped_answers(staff_user, township, settings):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL), as in CI")
    import psycopg

    settings.ALLOWED_HOSTS = ["localhost"]
    settings.FORCE_PASSWORD_CHANGE = False
    job_create(kind="export_sheets", title="T-job", params={}, by=staff_user, township=township)
    web = Client()
    web.force_login(staff_user)
    cookie = f"{settings.SESSION_COOKIE_NAME}={web.cookies[settings.SESSION_COOKIE_NAME].value}"
    connection.close()
    connection.settings_dict["CONN_MAX_AGE"] = 60  # persistent, as in production
    handler = WSGIHandler()

    assert _get(handler, "/jobs/", cookie) == 200
    assert connection.connection is not None  # kept open after the request, as in production
    backend = connection.connection.info.backend_pid

    db = connection.settings_dict
    with psycopg.connect(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        user=db["USER"],
        dbname=db["NAME"],
        autocommit=True,
    ) as admin:
        assert admin.execute("SELECT pg_terminate_backend(%s)", [backend]).fetchone()[0]

    assert _get(handler, "/jobs/", cookie) == 200
    assert connection.connection.info.backend_pid != backend
