"""Real `celery worker` processes on a database and a Redis of the caller's choosing: the fault
suite's (tests/faults/conftest.py) and the bench's district rows (make bench).

A Worker is one `celery -A config worker` subprocess, its output in a log file, started once
its log says "ready."; `using_broker` points this process's Celery app at the same Redis for
a while, so the tasks it queues go to those workers instead of running eagerly.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
CELERY = [sys.executable, "-m", "celery"]
# One process per worker, no gossip with its siblings: started and stopped quickly, and a
# worker's logs are its own tasks only.
QUIET = ["--loglevel=INFO", "--without-gossip", "--without-mingle", "--without-heartbeat"]


def wait_for(check, seconds: float, step: float = 0.1):
    """Poll until check() is truthy; returns its value, or None after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(step)
    return None


def database_url(settings_dict: dict) -> str:
    """The DATABASE_URL of a connection's settings (a PostgreSQL database)."""
    user = quote(settings_dict["USER"] or "")
    if settings_dict.get("PASSWORD"):
        user += ":" + quote(settings_dict["PASSWORD"])
    host, port = settings_dict["HOST"] or "127.0.0.1", settings_dict["PORT"] or 5432
    return f"postgres://{user}@{host}:{port}/{settings_dict['NAME']}"


def redis_answers(url: str, timeout: float = 0.5) -> bool:
    """Whether a Redis server answers PING at the URL's host and port."""
    parsed = urlparse(url)
    try:
        with socket.create_connection(
            (parsed.hostname or "127.0.0.1", parsed.port or 6379), timeout=timeout
        ) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


class Worker:
    """`celery -A config worker` with `env`, its output in `log`."""

    def __init__(self, env: dict, log: Path, options: list[str] | None = None):
        self.env = env
        self.log = log
        self.options = ["--pool=solo", *QUIET] if options is None else options
        self.process = None

    def start(self, *, launcher: list[str] | None = None, ready_seconds: float = 30):
        self.launch(launcher=launcher)
        self.wait_ready(ready_seconds)

    def launch(self, *, launcher: list[str] | None = None):
        """Start the process without waiting for it (several workers start at once)."""
        self.log.write_text("")
        command = launcher or CELERY
        self.process = subprocess.Popen(
            [*command, "-A", "config", "worker", *self.options],
            cwd=ROOT,
            env=self.env,
            stdout=self.log.open("a"),
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, seconds: float = 30):
        if not wait_for(lambda: "ready." in self.log.read_text(), seconds):
            self.stop()
            raise RuntimeError(f"celery worker not ready:\n{self.log.read_text()[-2000:]}")

    def cpu_seconds(self) -> float:
        """CPU seconds used so far by the worker and its pool's processes (Linux /proc; 0.0
        elsewhere): set against the wall time, how much of a core the worker had."""
        if self.process is None:
            return 0.0
        return sum(_cpu(pid) for pid in (self.process.pid, *_children(self.process.pid)))

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


def worker_env(*, database: str, redis: str, **extra) -> dict:
    """This process's environment, on `database` and `redis`, tasks queued (not eager)."""
    return {
        **os.environ,
        "DATABASE_URL": database,
        "REDIS_URL": redis,
        "PYTHONPATH": str(ROOT),
        "CELERY_TASK_ALWAYS_EAGER": "false",
        **extra,
    }


def reset_pools(app):
    """New connections for the new broker URL (Celery caches them per app)."""
    from kombu import pools

    pools.reset()  # kombu keeps producer pools per connection URL, process-wide
    app._pool = None
    app.amqp._producer_pool = None
    app._backend_cache = None
    app._local.__dict__.pop("backend", None)


@contextmanager
def using_broker(url: str):
    """This process queues its tasks to the Redis at `url` (not eagerly) while inside."""
    from celery import current_app

    # The project's app (config/celery.py, loaded with Django); sampledata sits below config.
    app = current_app._get_current_object()

    saved = {
        "broker_url": app.conf.broker_url,
        "result_backend": app.conf.result_backend,
        "task_always_eager": app.conf.task_always_eager,
    }
    app.conf.broker_url = url
    app.conf.result_backend = url
    app.conf.task_always_eager = False
    reset_pools(app)
    try:
        yield app
    finally:
        app.conf.update(saved)
        reset_pools(app)


def _stat(pid: int) -> list[str]:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return []
    return text[text.rindex(")") + 2 :].split()  # the fields after "pid (comm)"


def _cpu(pid: int) -> float:
    fields = _stat(pid)
    if not fields:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def _children(pid: int) -> list[int]:
    if not Path("/proc").is_dir():
        return []
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _stat(int(entry.name))
            if fields and int(fields[1]) == pid:  # ppid
                found.append(int(entry.name))
    return found
