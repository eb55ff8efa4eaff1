from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("assessment", "0007_sheet_reason_parts")]

    operations = [
        migrations.AddField(
            model_name="contest",
            name="line_reason_parts",
            field=models.JSONField(blank=True, default=list, verbose_name="被申诉的扣分(可翻译)"),
        ),
    ]
