import io

from django.apps import apps as django_apps
from django.core.management import call_command
from django.db import migrations


def pages_showing_agents():
    from immunotherapy.api.invalidation import pages_showing

    # The current model, as the rebuild uses (the API package does not import the models).
    return pages_showing(django_apps.get_model("immunotherapy", "Agent").objects.all())


def rebuild_pages_showing_agents(apps, schema_editor):
    # Agents now show their synonyms in the API: the stored JSON of the pages that show an agent
    # is built again, by the code that builds it on publish (the current models, not historical
    # ones, as `rebuild_page_json` does). A new database has nothing stored yet.
    StoredPage = apps.get_model("immunotherapy_api", "StoredPage")
    stored = set(StoredPage.objects.values_list("page_id", flat=True))
    if not stored:
        return
    page_ids = sorted(stored & pages_showing_agents())
    if page_ids:
        call_command(
            "rebuild_page_json", *map(str, page_ids), no_progress=True, stdout=io.StringIO()
        )


class Migration(migrations.Migration):
    dependencies = [
        ("immunotherapy_api", "0004_comments_packed_text"),
        ("immunotherapy", "0010_merge_20261201_0423"),
    ]

    operations = [migrations.RunPython(rebuild_pages_showing_agents, migrations.RunPython.noop)]
