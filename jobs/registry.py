"""Kinds of background job and the plain functions that run them.

A runner is `fn(job, progress)`; `progress(percent, message)` records how far it is. It returns a
message, or (message, (filename, ContentFile)) when it produces a file. Runners are registered by
the app that owns the work (assessment/jobs.py, ...), imported when Django starts.
"""

RUNNERS: dict = {}

# Returned by a runner that handed its work to further short tasks (a year recompute is one task
# per month); the last of them finishes the job, so run_job must not mark it done.
DEFERRED = object()


def runner(kind: str):
    def register(fn):
        RUNNERS[kind] = fn
        return fn

    return register
