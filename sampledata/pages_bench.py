"""The page timer of `make bench` (issue 14's read rows): what a leader waits for.

`bench_pages(township, year)` logs a leader of the township in with Django's test client (the
whole request path: middleware, session, permissions, template), GETs each page REPEATS times
and gives, per page, its 95th-percentile seconds and the bytes it sent. Run it on production
settings (DEBUG off, so no query log), as the bench does:

    DEBUG=false SECRET_KEY=x SECURE_SSL_REDIRECT=false DATABASE_URL=postgres://... \\
        python manage.py shell -c "from sampledata.pages_bench import report; report()"
"""

from __future__ import annotations

import statistics
import time
from datetime import date

from django.conf import settings
from django.test import Client
from django.test import override_settings
from django.urls import reverse

from accounts.models import Role
from accounts.models import User
from assessment.selectors import latest_scored_month
from villages.models import Township

REPEATS = 20
HOST = "127.0.0.1"  # in the default ALLOWED_HOSTS


def bench_reader(username: str, **fields) -> User:
    """A reader for the bench's pages, with no usable password: nobody logs in as it."""
    user, created = User.objects.get_or_create(username=username, defaults=fields)
    if created:
        user.set_unusable_password()
        user.save()
    return user


def _leader(township: Township) -> User:
    """The township's first active leader, else a bench leader."""
    user = User.objects.filter(township=township, role=Role.LEADER, is_active=True).first()
    return user or bench_reader(f"bench-leader-{township.pk}", role=Role.LEADER, township=township)


def pages(township: Township, year: int) -> list[tuple[str, str, dict]]:
    """(row name, url, query) of each timed page, on the year's last scored month."""
    month = latest_scored_month(township.pk, year) or 1
    village = township.villages.filter(is_active=True).order_by("pk").first()
    dashboard = reverse("dashboard:index")
    ranking = reverse("assessment:ranking")
    found = [
        ("dashboard, month", dashboard, {"year": year, "month": month}),
        ("dashboard, quarter", dashboard, {"year": year, "kind": "quarter", "quarter": 4}),
        ("dashboard, year", dashboard, {"year": year, "kind": "year"}),
        ("ranking, month", ranking, {"year": year, "month": month}),
        ("ranking, year", ranking, {"year": year, "kind": "year"}),
        ("/api/rankings/ for the year", reverse("api:rankings"), {"year": year, "kind": "year"}),
    ]
    if village is not None:
        sheet = reverse("exports:village_sheet", args=[village.pk])
        found.append(
            ("one village's 评分表 for the year (xlsx)", sheet, {"year": year, "kind": "year"})
        )
    return found


def _storages() -> dict:
    return {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def _size(response) -> int:
    """Bytes sent (a download streams its body)."""
    if response.streaming:
        return sum(len(chunk) for chunk in response.streaming_content)
    return len(response.content)


def _time(client: Client, url: str, query: dict, repeats: int) -> tuple[float, float, int]:
    """(p50, p95 seconds, bytes) of `repeats` GETs after one warm-up GET."""
    response = client.get(url, query)
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    seconds, size = [], 0
    for _n in range(repeats):
        start = time.perf_counter()
        response = client.get(url, query)
        size = _size(response)  # a streamed body is produced while it is read: timed too
        seconds.append(time.perf_counter() - start)
    cuts = statistics.quantiles(seconds, n=20, method="inclusive")  # 19 cut points
    return statistics.median(seconds), cuts[18], size


def bench_pages(
    township: Township, year: int, repeats: int = REPEATS
) -> list[tuple[str, float, int]]:
    """(row name, p95 seconds, bytes) of each page a leader opens, for the bench's table."""
    return [(name, p95, size) for name, _p50, p95, size in timed(township, year, repeats)]


def timed(
    township: Township, year: int, repeats: int = REPEATS
) -> list[tuple[str, float, float, int]]:
    """(row name, p50, p95 seconds, bytes) of each page."""
    client = Client(HTTP_HOST=HOST)
    client.force_login(_leader(township))
    # Production settings may list no host at all (ALLOWED_HOSTS is the deployment's): the
    # client's requests name HOST, so HOST is allowed while the pages are timed. A checkout has
    # no collectstatic manifest: static URLs are taken unhashed (a dict lookup either way).
    with override_settings(ALLOWED_HOSTS=[HOST], STORAGES=_storages()):
        return [(name, *_time(client, url, q, repeats)) for name, url, q in pages(township, year)]


def time_page(user: User, url: str, query: dict, repeats: int = REPEATS):
    """(p50, p95 seconds, bytes) of one page as `user` reads it (the district dashboard's row:
    sampledata/management/commands/bench.py)."""
    client = Client(HTTP_HOST=HOST)
    client.force_login(user)
    with override_settings(ALLOWED_HOSTS=[HOST], STORAGES=_storages()):
        return _time(client, url, query, repeats)


def report(township: Township | None = None, year: int | None = None) -> None:
    """Print the timings of the largest township (the synthetic county on a bench database)."""
    if township is None:
        township = max(Township.objects.all(), key=lambda t: t.villages.count())
    year = year or date.today().year
    print(f"{township} · {year} · p50 / p95 of {REPEATS} GETs")
    for name, p50, p95, size in timed(township, year):
        print(f"{name:44} {p50 * 1000:8.0f} ms {p95 * 1000:8.0f} ms {size / 1024:9.1f} KB")
