"""The fault suite's harness: a Redis server of its own on a spare port (stopped and started by
the tests; the machine's Redis is never touched) and real `celery worker` subprocesses on the
test database (PostgreSQL: the tests commit, `django_db(transaction=True)`, so the worker sees
the rows). Skipped, with the reason, where PostgreSQL, redis-server or celery is missing."""

import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test import override_settings

from sampledata import workers
from sampledata.workers import redis_answers
from sampledata.workers import using_broker
from sampledata.workers import wait_for

ROOT = Path(__file__).resolve().parents[2]
CELERY = ROOT / ".venv" / "bin" / "celery"
REDIS_SERVER = shutil.which("redis-server")
# A task lost with its worker comes back after this long (production: 300 s); short here so the
# suite stays quick. Every task is far shorter than either.
VISIBILITY_TIMEOUT = 5


def _why_skip() -> str:
    if "postgres" not in os.environ.get("DATABASE_URL", ""):
        return "the fault suite needs PostgreSQL (DATABASE_URL), as in .ci/run"
    if not REDIS_SERVER:
        return "the fault suite needs redis-server"
    if not CELERY.exists():
        return f"the fault suite needs {CELERY}"
    return ""


def pytest_collection_modifyitems(config, items):
    reason = _why_skip()
    if not reason:
        return
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.skip(reason=reason))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisServer:
    """Our own redis-server: no persistence, so a restart starts empty like a crashed one."""

    def __init__(self, port: int):
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                REDIS_SERVER,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        assert wait_for(self._answers, 10), "redis-server did not start"

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None

    def _answers(self):
        return redis_answers(self.url, timeout=0.2)


class Worker(workers.Worker):
    """`celery -A config worker` on the test database and our Redis; its log in a file."""

    def __init__(self, redis: RedisServer, log: Path, extra_env: dict | None = None):
        env = workers.worker_env(
            database=workers.database_url(connection.settings_dict),
            redis=redis.url,
            DJANGO_SETTINGS_MODULE="config.settings_test",
            CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY_TIMEOUT),
            CELERY_UNACKED_RESTORE_INTERVAL="1",
            **(extra_env or {}),
        )
        super().__init__(env, log)

    def launch(self, *, launcher: list[str] | None = None):
        super().launch(launcher=launcher or [str(CELERY)])


@pytest.fixture(scope="session")
def redis_port():
    return free_port()


@pytest.fixture
def redis_server(redis_port):
    server = RedisServer(redis_port)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def broker(redis_server):
    """This process queues to and caches in our Redis, not eagerly and not the machine's."""
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_server.url,
        }
    }
    with using_broker(redis_server.url), override_settings(CACHES=caches):
        yield redis_server


@pytest.fixture
def make_worker(broker, tmp_path):
    started = []

    def make(name="worker", **env):
        worker = Worker(broker, tmp_path / f"{name}.log", env)
        started.append(worker)
        return worker

    yield make
    for worker in started:
        worker.stop()


def sheets_digest(township_id: int) -> str:
    """Every stored sheet and line of the township, without ids and timestamps."""
    from assessment.models import ScoreLine
    from assessment.models import ScoreSheet

    sheets = ScoreSheet.objects.filter(village__township_id=township_id).order_by(
        "village_id", "year", "month"
    )
    rows = [
        [
            s.village_id,
            s.year,
            s.month,
            str(s.total),
            s.sections,
            s.items,
            s.vetoes,
            s.provisional_reasons,
        ]
        for s in sheets
    ]
    lines = ScoreLine.objects.filter(sheet__village__township_id=township_id).order_by(
        "sheet__village_id", "sheet__year", "sheet__month", "position"
    )
    rows += [
        [
            ln.sheet.village_id,
            ln.sheet.year,
            ln.sheet.month,
            ln.position,
            ln.item_code,
            str(ln.points),
            str(ln.raw_points),
            ln.reason,
            ln.refs,
            ln.waived,
        ]
        for ln in lines.select_related("sheet")
    ]
    return hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode()).hexdigest()


def python_launcher(script: Path) -> list[str]:
    return [sys.executable, str(script)]
