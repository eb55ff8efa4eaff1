"""Kinds of background job and the plain functions that run them.

A runner is `fn(job, progress)`; `progress(percent, message)` records how far it is. It returns a
message, or (message, (filename, ContentFile)) when it produces a file. Runners are registered by
the app that owns the work (assessment/jobs.py, ...), imported when Django starts.
"""

RUNNERS: dict = {}


def runner(kind: str):
    def register(fn):
        RUNNERS[kind] = fn
        return fn

    return register
