"""Move the API tokens that were kept in clear (DRF's authtoken table) to hashed ApiToken
rows, then drop that table: after this migration no usable key is left in the database.

Each moved token keeps working for API_TOKEN_EXPIRY_DAYS from the day of the upgrade, so
integrations are not cut off by it. Nothing happens on a database that never had the table.
"""

import datetime as dt
import hashlib

from django.conf import settings
from django.db import connection as default_connection
from django.db import migrations
from django.utils import timezone


def hash_clear_tokens(apps, schema_editor):
    connection = schema_editor.connection if schema_editor else default_connection
    if "authtoken_token" not in connection.introspection.table_names():
        return
    ApiToken = apps.get_model("students", "ApiToken")
    User = apps.get_model("students", "User")
    expires_at = timezone.now() + dt.timedelta(days=settings.API_TOKEN_EXPIRY_DAYS)
    with connection.cursor() as cursor:
        cursor.execute("SELECT key, user_id FROM authtoken_token")
        rows = cursor.fetchall()
    passwords = dict(User.objects.filter(pk__in=[u for _, u in rows]).values_list("pk", "password"))
    ApiToken.objects.bulk_create(
        ApiToken(
            user_id=user_id,
            prefix=key[:8],
            digest=hashlib.sha256(key.encode()).hexdigest(),
            read_only=False,
            password_fingerprint=hashlib.sha256(passwords[user_id].encode()).hexdigest(),
            expires_at=expires_at,
        )
        for key, user_id in rows
        if user_id in passwords
    )
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE authtoken_token CASCADE")


class Migration(migrations.Migration):
    dependencies = [("students", "0005_api_tokens_replace_login_failures")]

    operations = [migrations.RunPython(hash_clear_tokens, migrations.RunPython.noop)]
