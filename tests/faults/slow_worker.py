"""A celery worker whose month recomputes each take FAULT_MONTH_SECONDS longer, so that a test
can kill it at a known point mid-way through a year, and whose townships' shares of a district
recompute each take FAULT_TOWNSHIP_SECONDS longer, so that a test sees two workers share them
(the sheets themselves are unchanged)."""

import os
import sys
import time

import django

django.setup()

from assessment import services  # noqa: E402

_delay = float(os.environ.get("FAULT_MONTH_SECONDS", "0"))
_township_delay = float(os.environ.get("FAULT_TOWNSHIP_SECONDS", "0"))
_score_month = services.score_month
_score_year = services.score_year


def slow_score_month(**kwargs):
    time.sleep(_delay)
    return _score_month(**kwargs)


def slow_score_year(**kwargs):
    time.sleep(_township_delay)
    return _score_year(**kwargs)


services.score_month = slow_score_month
services.score_year = slow_score_year

if __name__ == "__main__":
    from celery.__main__ import main

    sys.argv = ["celery", *sys.argv[1:]]
    sys.exit(main())
