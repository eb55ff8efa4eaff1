from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("assessment", "0005_sweep_every_minute")]

    operations = [
        migrations.AddField(
            model_name="scoreline",
            name="reason_parts",
            field=models.JSONField(blank=True, default=list, verbose_name="原因(可翻译)"),
        ),
    ]
