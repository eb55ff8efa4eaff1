"""Dashboards read from a replica: the database router, its middleware and `@reads_replica`.

config/settings.py installs the router only when DATABASE_REPLICA_URL names a replica (a
PostgreSQL standby fed by streaming replication); with none configured there is no router and
every query goes to `default`, as before.

Which reads may go to the replica is decided by the request, never guessed from the model: a
view marked `@reads_replica` (a page that only reads: the dashboards) sends its reads there
while it runs. Everything else goes to `default`:

- every write, and every read after a write in the same request (read-your-writes): a replica
  lags the primary by a moment, so a page that stored something (assessment.stored_periods
  stores the scores a read built) would not find it there;
- every read inside a transaction on `default`: such a read decides what the transaction
  writes (select_for_update, a check before an insert) and must see the primary;
- the session and the user, which the decorator loads before it switches: a login just
  written may not have reached the replica yet;
- migrations (allow_migrate): the replica receives the schema through replication.

The request's state lives in a ContextVar: ReplicaMiddleware opens it for the whole request, so
a write made by an earlier middleware counts too; without the middleware (a view called
directly) the decorator opens it for the view's call.
"""

from __future__ import annotations

import functools
from contextvars import ContextVar
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS
from django.db import connections

REPLICA = "replica"
ALIASES = {DEFAULT_DB_ALIAS, REPLICA}


@dataclass
class _Request:
    replica: bool = False  # inside a view marked @reads_replica
    wrote: bool = False  # a write has gone to default in this request


_request: ContextVar[_Request | None] = ContextVar("kaohe_replica_request", default=None)


def replica_reads() -> bool:
    """Whether a read made now may go to the replica."""
    state = _request.get()
    return (
        state is not None
        and state.replica
        and not state.wrote
        and not connections[DEFAULT_DB_ALIAS].in_atomic_block
    )


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return REPLICA if replica_reads() else DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        state = _request.get()
        if state is not None:
            state.wrote = True
        # Explicitly default: without an answer Django would write an object read from the
        # replica back to the replica (the instance hint).
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # Both aliases hold the same rows: an object read from the replica may be linked to one
        # read from (or written to) default.
        if obj1._state.db in ALIASES and obj2._state.db in ALIASES:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


class ReplicaMiddleware:
    """One state per request, from its first middleware to its last (put it first)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request.set(_Request())
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)


def _load_user(request) -> None:
    """Evaluate the lazy request.user (the session, then the user) now, from default; the
    middleware before the view usually has already."""
    user = getattr(request, "user", None)
    if user is not None:
        user.is_authenticated  # noqa: B018 (the attribute access is what loads it)


def reads_replica(view):
    """Mark a view that only reads: while it runs, its reads may go to the replica. The view
    renders its page before it returns (render(), not a lazy TemplateResponse), so the
    template's reads are inside."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        _load_user(request)
        token = _request.set(_Request()) if _request.get() is None else None
        state = _request.get()
        before = state.replica
        state.replica = True
        try:
            return view(request, *args, **kwargs)
        finally:
            state.replica = before
            if token is not None:
                _request.reset(token)

    wrapped.reads_replica = True
    return wrapped
