"""The sweep of stale village-months every minute instead of every ten: it is one query on a
table that is empty when all is well, and it is the fallback when a save could not queue its
recompute (a broker outage). Editable in the admin like every schedule."""

from django.db import migrations

TASK = "assessment.tasks.recompute_stale"
OLD = ("补算待重算村月(每10分钟)", "*/10")
NEW = ("补算待重算村月(每分钟)", "*")


def _move(apps, frm, to):
    Crontab = apps.get_model("django_celery_beat", "CrontabSchedule")
    Task = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = Crontab.objects.get_or_create(
        minute=to[1],
        hour="*",
        day_of_month="*",
        month_of_year="*",
        day_of_week="*",
        timezone="Asia/Shanghai",
    )
    Task.objects.filter(name=frm[0], task=TASK).update(name=to[0], crontab=crontab)


def forward(apps, schema_editor):
    _move(apps, OLD, NEW)


def backward(apps, schema_editor):
    _move(apps, NEW, OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0004_stale_failures"),
        ("jobs", "0002_schedules"),
    ]
    operations = [migrations.RunPython(forward, backward)]
