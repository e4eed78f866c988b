"""The sentence the checkpoint inhibitor template used to print is kept, as page content, on
existing pages by the migration that moved it into a field (real migrate runs)."""

from tests.helpers import copy_sqlite, run_manage, run_python

SENTENCE = "Checkpoint inhibitors are given as a drip into a vein, usually every two to six weeks"

BEFORE_THE_FIELD = """
from django.core.management import call_command
from tests.factories import make_therapy_index, make_therapy_page
from wagtail.models import Page, Site
from home.models import HomePage
from immunotherapy.therapies.checkpoint_inhibitors.models import CheckpointInhibitorPage
root = Page.get_first_root_node()
for child in root.get_children():
    child.delete()
home = root.add_child(instance=HomePage(title="Home", slug="home"))
page = make_therapy_page(make_therapy_index(home), CheckpointInhibitorPage, title="Checkpoints")
revision = page.get_latest_revision()
revision.content.pop("how_given", None)
revision.save()
call_command("migrate", "checkpoint_inhibitors", "0002", verbosity=0)
"""

AFTER = """
from immunotherapy.therapies.checkpoint_inhibitors.models import CheckpointInhibitorPage
page = CheckpointInhibitorPage.objects.get()
print(page.how_given)
print(page.get_latest_revision().content["how_given"])
"""


def test_existing_pages_and_their_drafts_keep_the_sentence(migrated_sqlite, tmp_path) -> None:
    env = copy_sqlite(migrated_sqlite, tmp_path / "db.sqlite3")
    before = run_python(BEFORE_THE_FIELD, "site_config.settings.test", env=env)
    assert before.returncode == 0, before.stderr
    migrated = run_manage(
        "migrate", "--noinput", env={**env, "DJANGO_SETTINGS_MODULE": "site_config.settings.test"}
    )
    assert migrated.returncode == 0, migrated.stderr
    after = run_python(AFTER, "site_config.settings.test", env=env)
    assert after.returncode == 0, after.stderr
    page_text, revision_text = after.stdout.splitlines()
    assert page_text.startswith(SENTENCE)
    assert revision_text == page_text
