from django.db import migrations, models


def keep_names(apps, schema_editor):
    """Rows written before the name was kept get the name of their (still existing) account."""
    AccessLog = apps.get_model("students", "AccessLog")
    User = apps.get_model("students", "User")
    for user in User.objects.filter(
        pk__in=AccessLog.objects.exclude(user=None).values("user_id")
    ).iterator():
        full = f"{user.first_name} {user.last_name}".strip()
        name = (f"{full} ({user.username})" if full else user.username)[:200]
        AccessLog.objects.filter(user_id=user.pk).update(user_name=name)


class Migration(migrations.Migration):
    dependencies = [
        ("students", "0009_drop_folder_one_district"),
    ]

    operations = [
        migrations.AddField(
            model_name="accesslog",
            name="user_name",
            field=models.CharField(blank=True, default="", max_length=200),
        ),
        migrations.RunPython(keep_names, migrations.RunPython.noop),
    ]
