"""The daily prune of used create tokens (jobs.tasks.prune_submission_tokens), installed like
the other default schedules (0002) and editable in the admin afterwards."""

from django.db import migrations

NAME = "清理过期提交令牌(每日 03:15)"
TASK = "jobs.tasks.prune_submission_tokens"


def create(apps, schema_editor):
    Crontab = apps.get_model("django_celery_beat", "CrontabSchedule")
    Task = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = Crontab.objects.get_or_create(
        minute="15",
        hour="3",
        day_of_month="*",
        month_of_year="*",
        day_of_week="*",
        timezone="Asia/Shanghai",
    )
    Task.objects.get_or_create(name=NAME, defaults={"task": TASK, "crontab": crontab})


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("jobs", "0004_stalled_sweep")]
    operations = [migrations.RunPython(create, remove)]
