"""Date formats in English: Django's, with month names written out (April 3, April 2026)."""

from django.conf.locale.en.formats import *  # noqa: F403

DATE_FORMAT = "F j, Y"
MONTH_DAY_FORMAT = "F j"
YEAR_MONTH_FORMAT = "F Y"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
