"""The fault suite's harness: a Redis server of its own on a spare port (stopped and started by
the tests; the machine's Redis is never touched) and real `celery worker` subprocesses on the
test database (PostgreSQL: the tests commit, `django_db(transaction=True)`, so the worker sees
the rows). Skipped, with the reason, where PostgreSQL, redis-server or celery is missing."""

import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django.test import override_settings

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


def wait_for(check, seconds: float, step: float = 0.1):
    """Poll until check() is truthy; returns its value, or None after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(step)
    return None


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
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False


class Worker:
    """`celery -A config worker` on the test database and our Redis; its log in a file."""

    def __init__(self, redis: RedisServer, log: Path, extra_env: dict | None = None):
        db = connection.settings_dict
        host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
        self.env = {
            **os.environ,
            "DATABASE_URL": f"postgres://{db['USER']}@{host}:{port}/{db['NAME']}",
            "REDIS_URL": redis.url,
            "DJANGO_SETTINGS_MODULE": "config.settings_test",
            "PYTHONPATH": str(ROOT),
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
            "CELERY_UNACKED_RESTORE_INTERVAL": "1",
            **(extra_env or {}),
        }
        self.log = log
        self.process = None

    def start(self, *, launcher: list[str] | None = None):
        self.log.write_text("")
        command = launcher or [str(CELERY)]
        self.process = subprocess.Popen(
            [
                *command,
                "-A",
                "config",
                "worker",
                "--pool=solo",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log.open("a"),
            stderr=subprocess.STDOUT,
        )
        assert wait_for(lambda: "ready." in self.log.read_text(), 30), self.log.read_text()

    def kill(self):
        """SIGKILL: no warm shutdown, the task in hand stays unacknowledged in Redis."""
        if self.process is not None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)
            self.process = None

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
            self.process = None


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
    from config.celery import app

    saved = {
        "broker_url": app.conf.broker_url,
        "result_backend": app.conf.result_backend,
        "task_always_eager": app.conf.task_always_eager,
    }
    app.conf.broker_url = redis_server.url
    app.conf.result_backend = redis_server.url
    app.conf.task_always_eager = False
    _reset_pools(app)
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_server.url,
        }
    }
    with override_settings(CACHES=caches):
        yield redis_server
    app.conf.update(saved)
    _reset_pools(app)


def _reset_pools(app):
    """New connections for the new broker URL (Celery caches them per app)."""
    from kombu import pools

    pools.reset()  # kombu keeps producer pools per connection URL, process-wide
    app._pool = None
    app.amqp._producer_pool = None
    app._backend_cache = None
    app._local.__dict__.pop("backend", None)


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
