"""The crawl: every URL pattern of the project, as each of six roles, on the demo township.

The URL patterns are walked from the resolver, so a new page is crawled without touching this
file. Each `<int:pk>`-style argument is filled with a real record of the right kind: one that
has history and one whose history rows were deleted (a record bulk-written before history was
written everywhere). GET only. The crawl asserts

- no response is a 5xx (all failures collected and reported together, with URL and role);
- anonymous gets no data anywhere except the public pages listed in PUBLIC;
- the number of requests is at least a floor computed from the resolver;

and the township test asserts that no user of a second township reads any record, job or file
of the demo township, nor the other way round.
"""

import re
import time
from datetime import timedelta
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.signals import got_request_exception
from django.core.signals import request_finished
from django.db import close_old_connections
from django.db import transaction
from django.test import Client
from django.urls import URLPattern
from django.urls import URLResolver
from django.urls import get_resolver
from django.utils import timezone

from accounts.models import Role
from accounts.models import User

# Answer data to anonymous by design: the login and logout pages, the language switch, the API's
# token endpoint (a GET is refused with 405) and its catch-all 404. Everything else must redirect to
# a login page or answer 401/403 (or 404/405 without a body that names a record).
PUBLIC = {"login", "admin:login", "logout", "admin:logout", "set_language", "api:token", "api:?"}
ROLES = ("anonymous", "superuser", "admin", "staff", "leader", "secretary", "district")
# Patterns that would end the crawling session or are not pages: visited, but last.
LAST = ("logout",)

# `<name>` of a path argument -> the model whose records fill it (when the view does not say).
ARG_MODELS = {
    "village_id": "villages.Village",
    "person_id": "villages.Person",
    "line_id": "assessment.ScoreLine",
    "job_id": "jobs.Job",
}
# URL names whose `pk` is not the view's own model, or whose view does not name its model.
NAME_MODELS = {
    "villages:village_detail": "villages.Village",
    "petitions:report_seal": "petitions.DisputeReport",
    "petitions:dossier_file": "petitions.Dossier",
    "petitions:dossier_review": "petitions.Dossier",
    "petitions:candidate_decide": "petitions.UnreportedCandidate",
    "cases:assigned_detail": "cases.AssignedCase",
    "cases:assigned_action": "cases.AssignedCase",
    "cases:backlog_detail": "cases.BacklogCase",
    "cases:backlog_update": "cases.BacklogCase",
    "governance:register_village": "villages.Village",
    "governance:townshipmeeting_attendance": "governance.TownshipMeeting",
    "governance:survey_answers": "governance.Survey",
    "governance:survey_detail": "governance.Survey",
    "assessment:contest_decide": "assessment.Contest",
    "rewards:entry": "rewards.LedgerEntry",
    "jobs:job_status": "jobs.Job",
    "jobs:job_download": "jobs.Job",
    "jobs:job_rerun": "jobs.Job",
    "exports:import_batch": "exports.ImportBatch",
    "exports:import_confirm": "exports.ImportBatch",
    "dashboard:village": "villages.Village",
    "admin:view_on_site": "villages.Village",
    "admin:auth_user_password_change": "accounts.User",
}
# The API's read-only kinds (their viewsets name no model): basename -> model.
API_MODELS = {
    "village": "villages.Village",
    "person": "villages.Person",
    "responsibility": "villages.Responsibility",
    "sheet": "assessment.ScoreSheet",
    "rubric-version": "assessment.RubricVersion",
    "period": "assessment.Period",
    "settlement": "rewards.LedgerEntry",
    "deposit": "rewards.Deposit",
    "contest": "assessment.Contest",
}
NAME_PREFIX_MODELS = {
    "governance:townshipmeeting_": "governance.TownshipMeeting",
    "governance:sensitiveperiod_": "governance.SensitivePeriod",
}

# The pages that show a record's history: visited with a record without history rows as well.
HISTORY_PAGES = re.compile(r"(_detail|-detail|_history|-history)$")
FILE_FIELDS = {
    "petitions.Dossier": "mediation_agreement",
    "petitions.DisputeReport": "seal_scan",
}


# --- the URL patterns ---------------------------------------------------------------------------


def url_patterns():
    """(route, name, pattern) for every URL pattern, namespaces and prefixes resolved."""

    def walk(resolver, prefix, namespace):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                ns = namespace
                if entry.namespace:
                    ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                yield from walk(entry, prefix + str(entry.pattern), ns)
            elif isinstance(entry, URLPattern):
                name = f"{namespace}:{entry.name or '?'}" if namespace else entry.name or "?"
                yield prefix + str(entry.pattern), name, entry

    return list(walk(get_resolver(), "", ""))


ARG = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>|\(\?P<(?P<rname>\w+)>[^)]*\)|\([^)?]*\)")


def _arg_names(route):
    names = [m.group("name") or m.group("rname") or "" for m in ARG.finditer(route)]
    if names == ["", ""]:  # simple-history's admin view of one version: (object, version)
        return ["object_id", "history_id"]
    return names


def _model_of(route, name, pattern):
    if name in NAME_MODELS:
        return apps.get_model(NAME_MODELS[name])
    for prefix, label in NAME_PREFIX_MODELS.items():
        if name.startswith(prefix):
            return apps.get_model(label)
    basename = name.removeprefix("api:").rsplit("-", 1)[0]
    if name.startswith("api:") and basename in API_MODELS:
        return apps.get_model(API_MODELS[basename])
    if name.startswith("admin:"):
        # admin/<app_label>/<model_name>/...
        parts = route.split("/")
        try:
            return apps.get_model(parts[1], parts[2])
        except (IndexError, LookupError, ValueError):
            return None
    callback = pattern.callback
    viewset = getattr(callback, "cls", None)
    if viewset is not None:
        queryset = getattr(viewset, "queryset", None)
        return getattr(viewset, "model", None) or getattr(queryset, "model", None)
    pages = getattr(callback, "view_initkwargs", {}).get("pages")
    if pages is not None:
        return pages.model
    view_class = getattr(callback, "view_class", None)
    return getattr(view_class, "model", None)


def _fill(route, values):
    """The route with each argument replaced by its value, regex syntax removed."""
    out = iter(values)
    path = ARG.sub(lambda m: str(next(out)), route)
    return "/" + path.replace("^", "").replace("$", "")


def plan(world, role):
    """(name, url) for every pattern, once per variant of its arguments, logouts last."""
    visits = []
    for route, name, pattern in url_patterns():
        names = _arg_names(route)
        if not names:
            visits.append((name, _fill(route, [])))
            continue
        model = _model_of(route, name, pattern)
        for variant in world.variants(role, name, names, model):
            visits.append((name, _fill(route, variant)))
    return sorted(visits, key=lambda v: any(word in v[0] for word in LAST))


# --- the world: the demo township, a second township, their users, jobs and files -------------


class World:
    def __init__(self):
        from villages.models import Township

        self.demo = Township.objects.get(code="qinghe")
        self.year = timezone.localdate().year
        self.users = {
            "superuser": User.objects.create_superuser("crawl-root", password="pw"),
            "admin": User.objects.get(username="admin"),
            "staff": User.objects.get(username="staff"),
            "leader": User.objects.get(username="leader"),
            "secretary": User.objects.get(username="secretary"),
            # The demo district's 区综治办 user, reading the demo township (the first by name).
            "district": User.objects.get(username="district"),
        }
        self.own_village = self.users["secretary"].village
        self._records = {}
        self.other = _second_township(self.year)
        self.others = {
            role: User.objects.create_user(
                f"other-{role}",
                password="pw",
                role=role,
                township=self.other,
                village=self.other.villages.order_by("pk").first()
                if role == Role.SECRETARY
                else None,
            )
            for role in (Role.ADMIN, Role.STAFF, Role.LEADER, Role.SECRETARY)
        }
        # The second township lies in a district of its own, with its own district user.
        from villages.models import District

        self.other.district = District.objects.create(code="crawl-other", name="外区")
        self.other.save()
        self.others["district"] = User.objects.create_user(
            "other-district", password="pw", role=Role.DISTRICT_STAFF, district=self.other.district
        )
        # The second township's admin is given the Django admin as the demo's is.
        from django.contrib.auth.models import Permission

        self.others["admin"].is_staff = True
        self.others["admin"].save()
        self.others["admin"].user_permissions.set(Permission.objects.all())
        for township, user in (
            (self.demo, self.users["admin"]),
            (self.other, self.others["admin"]),
        ):
            _job_with_file(township, user)
            _kinds_the_demo_lacks(township, self.own_village if township == self.demo else None)
        self.without_history = self._strip_history()

    def records(self, model, township):
        """The township's records of `model` (a few), the secretary's village's first."""
        key = (model, township.pk)
        if key not in self._records:
            self._records[key] = self._find(model, township)
        return self._records[key]

    def _find(self, model, township):
        from accounts.rules import village_of
        from villages.models import Township

        if model is Township:
            return [township]
        qs = model._default_manager.order_by("pk")
        field = _township_path(model)
        if field is None:
            return list(qs[:2])
        found = list(qs.filter(**{field: township})[:200])
        own = [o for o in found if _village(village_of, o) == self.own_village]
        return (own + [o for o in found if o not in own])[:2]

    def _strip_history(self):
        """Delete the history rows of one record of every history-tracked model (the second of
        its kind, so the first keeps its history): the pages must answer for both."""
        stripped = {}
        for model in apps.get_models():
            if not hasattr(model._meta, "simple_history_manager_attribute"):
                continue
            found = self.records(model, self.demo)
            if len(found) >= 2:
                model.history.filter(**{model._meta.pk.attname: found[1].pk}).delete()
                stripped[model] = found[1]
        # Most kinds have a record without history to visit.
        lacking = [
            m._meta.label
            for m in apps.get_models()
            if hasattr(m._meta, "simple_history_manager_attribute") and m not in stripped
        ]
        assert len(stripped) >= 28, " ".join(sorted(lacking))
        return stripped

    def objects_for(self, model, township=None, with_stripped=True):
        """The records a pattern is visited with: one with history, one without."""
        township = township or self.demo
        if model is None:
            return []
        found = self.records(model, township)
        chosen = found[:1]
        if with_stripped and township == self.demo and model in self.without_history:
            chosen.append(self.without_history[model])
        return chosen

    def variants(self, role, name, names, model, township=None):
        """The argument lists to visit a pattern with (one per record chosen)."""
        township = township or self.demo
        stripped = bool(HISTORY_PAGES.search(name))
        objects = self.objects_for(model, township, stripped) if _needs_object(names) else [None]
        if _needs_object(names) and not objects:
            objects = [_Missing()]
        out = []
        for obj in objects:
            values = []
            for arg in names:
                values.append(self._value(arg, name, obj, model, township))
            out.append(values)
        return out

    def _value(self, arg, name, obj, model, township):
        if arg in ARG_MODELS:
            found = self.records(apps.get_model(ARG_MODELS[arg]), township)
            return found[0].pk if found else 999999
        if arg in ("pk", "object_id", "id", ""):
            return obj.pk
        if arg == "history_id":
            history = getattr(obj, "history", None)
            row = history.order_by("-history_id").first() if history is not None else None
            return row.history_id if row is not None else 999999
        if arg == "content_type_id":
            return ContentType.objects.get_for_model(type(obj)).pk
        if arg in ("field", "field_name"):
            return FILE_FIELDS.get(model._meta.label, "file") if model else "file"
        if arg == "year":
            return self.year
        if arg == "month":
            return max(1, timezone.localdate().month - 1)
        if arg == "half":
            return 1
        if arg == "kind":
            from exports.resources import RESOURCES

            return next(iter(RESOURCES))
        if arg == "action":
            return "review"
        if arg == "decision":
            return "confirm"
        if arg == "app_label":
            return "villages"
        return 1


class _Missing:
    """No record of the kind exists: the pattern is still visited (and must answer 404)."""

    pk = 999999
    history = None


def _needs_object(names):
    return any(a in ("pk", "object_id", "id", "", "history_id", "content_type_id") for a in names)


def _village(village_of, obj):
    try:
        return village_of(obj)
    except Exception:  # a model with no village: it belongs to no secretary
        return None


def _township_path(model):
    """The lookup from a model to its township, or None if it belongs to none."""
    candidates = [
        "township",
        "village__township",
        "area__township",
        "meeting__township",
        "petition__village__township",
        "case__village__township",
        "dispute__village__township",
        "survey__village__township",
        "sample__survey__village__township",
        "sheet__village__township",
        "line__sheet__village__township",
        "person__township",
        "scheme__township",
        "deposit__village__township",
        "period__township",
    ]
    names = {f.name for f in model._meta.get_fields() if f.is_relation}
    for path in candidates:
        if path.split("__")[0] in names:
            return path
    return None


def _second_township(year):
    """Two villages with their own records, scored for two months."""
    from assessment import services
    from sampledata.synthetic import fill_demo_township
    from villages.models import Area
    from villages.models import Township
    from villages.models import Village

    township = Township.objects.create(code="crawl-other", name="外镇")
    area = Area.objects.create(township=township, name="外片")
    for i in range(2):
        Village.objects.create(township=township, area=area, name=f"外{i}村", population=1000)
    until = timezone.localdate() - timedelta(days=1)
    fill_demo_township(township, year=until.year, until=until, seed=3)
    months = sorted({1, until.month})
    services.score_months(township_id=township.pk, year=until.year, months=months)
    return township


def _kinds_the_demo_lacks(township, village):
    """Two records of each kind the demo's generator does not write, so those pages are crawled
    with a record too."""
    from tests.governance.factories import LandlineHouseholdFactory
    from tests.governance.factories import SensitivePeriodFactory
    from tests.petitions.factories import ReceptionLogFactory

    village = village or township.villages.order_by("pk").first()
    for _ in range(2):
        ReceptionLogFactory(village=village, date=timezone.localdate() - timedelta(days=3))
        LandlineHouseholdFactory(village=village)
        SensitivePeriodFactory(township=township)


def _job_with_file(township, user):
    from jobs.models import Job
    from jobs.models import JobState

    job = Job.objects.create(
        kind="export_sheets",
        title=f"{township.name} 导出",
        township=township,
        requested_by=user,
        state=JobState.DONE,
        progress=100,
        finished_at=timezone.now(),
    )
    job.result_file.save(f"crawl-{township.code}.xlsx", ContentFile(b"PK\x03\x04 crawl"))
    return job


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The demo township loaded once for the module, inside a transaction rolled back at the
    end, so the other tests never see it."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=StringIO())
        yield World()
        transaction.set_rollback(True)


# --- crawling ---------------------------------------------------------------------------------


class Crawler:
    def __init__(self):
        self.errors = []
        self.requests = {}
        self.slowest = []
        self.cpu = {}
        got_request_exception.connect(self._exception)
        self._last = None

    def _exception(self, sender, request=None, **kwargs):
        import sys

        exc = sys.exc_info()[1]
        self._last = f"{type(exc).__name__}: {str(exc)[:200]}"

    def close(self):
        got_request_exception.disconnect(self._exception)

    def client(self, user):
        client = Client(raise_request_exception=False)
        if user is not None:
            client.force_login(user)
        return client

    def get(self, client, role, name, url):
        self._last = None
        started = time.process_time()
        response = client.get(url)
        cost = time.process_time() - started
        self.slowest.append((cost, role, url))
        area = url.split("/")[1]
        self.cpu[area] = self.cpu.get(area, 0) + cost
        self.requests[role] = self.requests.get(role, 0) + 1
        if response.status_code >= 500:
            self.errors.append(f"{role:<10} {response.status_code} {url} ({name}) {self._last}")
        if hasattr(response, "streaming_content"):
            # Closing a streamed response fires request_finished, whose close_old_connections
            # would close the connection holding the module's transaction (PostgreSQL).
            request_finished.disconnect(close_old_connections)
            try:
                response.close()
            finally:
                request_finished.connect(close_old_connections)
        return response


def _login_pages(response):
    location = response.headers.get("Location", "")
    return location.startswith(("/login/", "/admin/login/"))


def floor_of_requests():
    """One request per pattern, and a second for at least half of the history pages (the
    record without history), counted from the resolver."""
    patterns = url_patterns()
    history_pages = [
        name
        for route, name, _p in patterns
        if _needs_object(_arg_names(route)) and HISTORY_PAGES.search(name)
    ]
    return len(patterns), len(patterns) + len(history_pages) // 2


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)  # one test per role: the suite's workers share them
def test_every_url_as_every_role_answers_without_a_server_error(world, role):
    started, cpu = time.monotonic(), time.process_time()
    crawler = Crawler()
    leaks = []
    try:
        user = world.users.get(role)
        client = crawler.client(user)
        for name, url in plan(world, role):
            response = crawler.get(client, role, name, url)
            refused = _login_pages(response) or response.status_code in (401, 403, 404, 405)
            if role == "anonymous" and name not in PUBLIC and not refused:
                leaks.append(f"{response.status_code} {url} ({name})")
    finally:
        crawler.close()
    seconds, cpu = time.monotonic() - started, time.process_time() - cpu
    n_patterns, floor = floor_of_requests()
    summary = (
        f"{n_patterns} patterns, {crawler.requests} requests in {seconds:.1f} s"
        f" ({cpu:.1f} s of CPU)"
    )
    by_area = {area: round(cost, 1) for area, cost in sorted(crawler.cpu.items())}
    print(summary, by_area, sorted(crawler.slowest, reverse=True)[:10], sep="\n")
    assert crawler.errors == [], summary + "\n" + "\n".join(crawler.errors)
    assert leaks == [], "anonymous got an answer:\n" + "\n".join(leaks)
    assert crawler.requests[role] >= floor, (role, crawler.requests[role], floor)


# --- townships --------------------------------------------------------------------------------


def _reads_a_record(names):
    """A pattern that reads one record, job or file: its argument names one."""
    return _needs_object(names) or any(a in ARG_MODELS for a in names)


def _cross_reads(world, users, owner, *, admin_site):
    """Every record-reading pattern of `owner`'s records (of the Django admin, or of the rest),
    as each of `users`: the ones that answered with the page (a redirect shows nothing)."""
    crawler = Crawler()
    read = []
    try:
        for role, user in users.items():
            client = crawler.client(user)
            for route, name, pattern in url_patterns():
                names = _arg_names(route)
                if name.startswith("admin:") != admin_site or not _reads_a_record(names):
                    continue
                model = _model_of(route, name, pattern)
                if _needs_object(names) and (model is None or _township_path(model) is None):
                    continue  # shared by every township (rubric versions, schedules, groups)
                for values in world.variants(role, name, names, model, township=owner):
                    url = _fill(route, values)
                    response = crawler.get(client, role, name, url)
                    if 200 <= response.status_code < 300:
                        read.append(f"{role} {response.status_code} {url} ({name})")
    finally:
        crawler.close()
    return read, crawler


@pytest.mark.django_db
@pytest.mark.parametrize("direction", ["second reads demo", "demo reads second"])
def test_no_user_of_one_township_reads_a_record_job_or_file_of_the_other(world, direction):
    """Pages, API (detail, history, files, exports, jobs and their downloads). One test per
    direction, so that the suite's two workers share them (both took 212 s on PostgreSQL)."""
    if direction == "second reads demo":
        users, owner = world.others, world.demo
    else:
        users = {r: world.users[r] for r in ("admin", "staff", "leader", "secretary", "district")}
        owner = world.other
    read, crawler = _cross_reads(world, users, owner, admin_site=False)
    assert crawler.errors == []
    assert read == [], f"{direction}:\n" + "\n".join(read)
    # Every record-reading pattern was visited by every user, the district's too.
    assert len(crawler.requests) == 5
    assert min(crawler.requests.values()) >= 150


@pytest.mark.django_db
def test_no_township_admin_reads_the_other_township_in_the_django_admin(world):
    """A township admin works in the Django admin too (is_staff, every model permission, as the
    demo gives it): there too it sees only its own township's records."""
    read, crawler = _cross_reads(
        world, {"admin": world.others["admin"]}, world.demo, admin_site=True
    )
    back, crawler_back = _cross_reads(
        world, {"admin": world.users["admin"]}, world.other, admin_site=True
    )
    assert crawler.errors + crawler_back.errors == []
    assert read == [], "the second township read the demo's:\n" + "\n".join(read)
    assert back == [], "the demo township read the second's:\n" + "\n".join(back)
    assert crawler.requests["admin"] >= 150


@pytest.mark.django_db
@pytest.mark.parametrize("reader", ["second township", "neighbour in the district"])
def test_api_lists_show_no_record_of_another_township(world, reader):
    """Every API list, as each user of the second township (another district), and as each
    township user of the demo district's second township (石桥镇): not one id of the demo's
    records. A district is no door between its townships for their own users."""
    if reader == "second township":
        users = world.others
    else:
        from accounts.models import User

        users = {"admin": User.objects.get(username="shiqiao-admin")}
    _no_ids_of(world, users)


def _no_ids_of(world, users):
    client_by_role = {role: Client() for role in users}
    for role, client in client_by_role.items():
        client.force_login(users[role])
    checked = 0
    for route, name, pattern in url_patterns():
        if not (name.startswith("api:") and name.endswith("-list")):
            continue
        model = _model_of(route, name, pattern)
        field = _township_path(model)
        if field is None:
            continue
        demo_ids = set(
            model._default_manager.filter(**{field: world.demo}).values_list("pk", flat=True)
        )
        for role, client in client_by_role.items():
            response = client.get(_fill(route, []) + "?page_size=1000")
            assert response.status_code in (200, 403), (role, name, response.status_code)
            if response.status_code == 200:
                body = response.json()
                rows = body["results"] if isinstance(body, dict) else body
                ids = {row.get("id") for row in rows}
                assert not ids & demo_ids, (role, name, sorted(ids & demo_ids)[:5])
                checked += 1
    assert checked >= 20


def test_the_floor_is_computed_from_the_resolver():
    n_patterns, floor = floor_of_requests()
    assert n_patterns > 500 and floor > n_patterns
