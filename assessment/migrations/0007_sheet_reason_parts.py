from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("assessment", "0006_score_line_reason_parts")]

    operations = [
        migrations.AddField(
            model_name="scoresheet",
            name="reason_parts",
            field=models.JSONField(blank=True, default=dict, verbose_name="原因(可翻译)"),
        ),
    ]
