"""The scheduled tasks that read a domain app moved into that app (petitions, cases, assessment:
`<app>/scheduled.py`), so jobs, in the bottom layer, imports none of them. Their Celery names
changed with them; the beat rows, default (0002) or edited by an admin since, follow."""

from django.db import migrations
from django.utils import timezone

RENAMED = [
    ("jobs.tasks.report_reminders", "petitions.scheduled.report_reminders"),
    ("jobs.tasks.case_alerts", "cases.scheduled.case_alerts"),
    ("jobs.tasks.close_reminders", "assessment.scheduled.close_reminders"),
    ("jobs.tasks.nightly_recompute", "assessment.scheduled.nightly_recompute"),
]


def _rename(apps, pairs):
    Task = apps.get_model("django_celery_beat", "PeriodicTask")
    changed = sum(Task.objects.filter(task=old).update(task=new) for old, new in pairs)
    if changed:
        # A running DatabaseScheduler reloads its rows when this stamp moves; a bulk update
        # does not send the signal that moves it.
        Changed = apps.get_model("django_celery_beat", "PeriodicTasks")
        Changed.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def forward(apps, schema_editor):
    _rename(apps, RENAMED)


def backward(apps, schema_editor):
    _rename(apps, [(new, old) for old, new in RENAMED])


class Migration(migrations.Migration):
    dependencies = [
        ("jobs", "0005_prune_tokens"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(forward, backward)]
