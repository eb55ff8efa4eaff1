from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("assessment", "0008_contest_line_reason_parts")]

    operations = [
        migrations.AddField(
            model_name="scoresheet",
            name="digest",
            field=models.CharField(
                blank=True, default="", editable=False, max_length=32, verbose_name="内容摘要"
            ),
        ),
    ]
