from django.core.management import call_command
from django.db import migrations

# The table of the cache that settings/base.py configures when REDIS_URL is unset. 0001 created
# only the tables of the caches configured when it ran: a database migrated with REDIS_URL set
# had none, and a process started later without REDIS_URL failed on every request.
DEFAULT_TABLE = "django_cache"


def create_cache_tables(apps, schema_editor):
    alias = schema_editor.connection.alias
    call_command("createcachetable", DEFAULT_TABLE, database=alias, verbosity=0)
    call_command("createcachetable", database=alias, verbosity=0)  # any other configured


class Migration(migrations.Migration):
    dependencies = [("immunotherapy_api", "0002_fields_packed_text")]

    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop)]
