"""The default schedules (django-celery-beat), editable by admins in the admin afterwards."""

from django.db import migrations

SCHEDULES = [
    # name, task, crontab (minute, hour, day_of_month)
    ("排查报告提醒(每日 08:00)", "jobs.tasks.report_reminders", ("0", "8", "*")),
    ("交办件到期扫描(每日 08:10)", "jobs.tasks.case_alerts", ("10", "8", "*")),
    ("月末关闭提醒(每月1-5日 09:00)", "jobs.tasks.close_reminders", ("0", "9", "1-5")),
    ("夜间重算进行中月份(每日 02:30)", "jobs.tasks.nightly_recompute", ("30", "2", "*")),
    ("补算待重算村月(每10分钟)", "assessment.tasks.recompute_stale", ("*/10", "*", "*")),
]


def create(apps, schema_editor):
    Crontab = apps.get_model("django_celery_beat", "CrontabSchedule")
    Task = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, (minute, hour, day) in SCHEDULES:
        crontab, _ = Crontab.objects.get_or_create(
            minute=minute,
            hour=hour,
            day_of_month=day,
            month_of_year="*",
            day_of_week="*",
            timezone="Asia/Shanghai",
        )
        Task.objects.get_or_create(name=name, defaults={"task": task, "crontab": crontab})


def remove(apps, schema_editor):
    Task = apps.get_model("django_celery_beat", "PeriodicTask")
    Task.objects.filter(name__in=[name for name, _task, _cron in SCHEDULES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("jobs", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(create, remove)]
