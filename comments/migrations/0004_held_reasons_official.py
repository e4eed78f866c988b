from django.db import migrations, models


def mark_staff_replies_official(apps, schema_editor):
    # Replies moderators wrote before the flag existed: signed in as staff (readers never are).
    Comment = apps.get_model("comments", "Comment")
    Comment.objects.using(schema_editor.connection.alias).filter(user__is_staff=True).update(
        official=True
    )


def drop_stored_comments_json(apps, schema_editor):
    # The API's stored comment JSON gains "official"; pages are built again on their next read.
    apps.get_model("immunotherapy_api", "StoredPage").objects.using(
        schema_editor.connection.alias
    ).all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0003_reader_text_rules"),
        ("immunotherapy_api", "0003_database_cache_table"),
    ]

    operations = [
        migrations.AddField(
            model_name="comment",
            name="held_reasons",
            field=models.JSONField(
                blank=True,
                default=list,
                editable=False,
                help_text="Why the posting rules held this comment or filed it as spam.",
            ),
        ),
        migrations.AddField(
            model_name="comment",
            name="official",
            field=models.BooleanField(
                default=False,
                editable=False,
                help_text="Posted by a moderator for the site: badged as an official reply.",
            ),
        ),
        migrations.RunPython(mark_staff_replies_official, migrations.RunPython.noop),
        migrations.RunPython(drop_stored_comments_json, migrations.RunPython.noop),
    ]
