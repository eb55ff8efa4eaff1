"""The sweep that stores 已停滞 on jobs whose worker is gone (jobs.tasks.mark_stalled_jobs),
installed like the other default schedules (0002) and editable in the admin afterwards."""

from django.db import migrations

NAME = "标记停滞的后台任务(每2分钟)"
TASK = "jobs.tasks.mark_stalled_jobs"


def create(apps, schema_editor):
    Crontab = apps.get_model("django_celery_beat", "CrontabSchedule")
    Task = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = Crontab.objects.get_or_create(
        minute="*/2",
        hour="*",
        day_of_month="*",
        month_of_year="*",
        day_of_week="*",
        timezone="Asia/Shanghai",
    )
    Task.objects.get_or_create(name=NAME, defaults={"task": TASK, "crontab": crontab})


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("jobs", "0003_heartbeat")]
    operations = [migrations.RunPython(create, remove)]
