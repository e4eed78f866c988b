"""Settings → Import from WordPress, for teams without shell access."""

from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

import pytest

from comments.models import Comment
from immunotherapy.models import ArticlePage, WordPressUpload
from tests.wordpress.conftest import SEED_EXPORT

pytestmark = pytest.mark.backends

URL = "/admin/wordpress-import/"


def export_file(content: bytes | None = None, name: str = "export.xml") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content if content is not None else SEED_EXPORT.read_bytes())


@pytest.fixture
def admin_client(client, django_user_model, article_index):
    user = django_user_model.objects.create_superuser("admin", "admin@example.org", "pw")
    client.force_login(user)
    return client


def test_the_menu_shows_it_under_settings(admin_client):
    assert reverse("wordpress_import") == URL
    response = admin_client.get(URL)
    assert response.status_code == 200
    assert "Check the export (dry run)" in response.content.decode()


def test_editors_without_the_permission_are_refused(client, editor, article_index):
    client.force_login(editor)
    assert client.get(URL).status_code in (302, 403)
    editors = Group.objects.get(name="Editors")
    editors.permissions.add(Permission.objects.get(codename="import_wordpress"))
    assert client.get(URL).status_code == 200


def test_upload_shows_the_dry_run_then_imports_for_real(admin_client):
    response = admin_client.post(URL, {"export": export_file()})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Dry run: nothing has been written yet" in page and "Import now" in page
    assert not ArticlePage.objects.filter(slug__startswith="terminal-cancer-leveraging").exists()
    assert Comment.objects.count() == 0
    upload = WordPressUpload.objects.get()

    response = admin_client.post(URL, {"upload_id": upload.pk, "parent": ""}, follow=True)
    assert "Import report" in response.content.decode()
    article = ArticlePage.objects.get(slug__startswith="terminal-cancer-leveraging")
    assert article.live and Comment.objects.filter(page=article).count() == 8
    assert not WordPressUpload.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00binary", "not well-formed XML"),
        (b'<?xml version="1.0"?><feed/>', "not a WordPress export"),
        (b"", "The submitted file is empty."),
        (
            SEED_EXPORT.read_bytes().replace(b">42</wp:post_id>", ">²</wp:post_id>".encode()),
            "line 117: &lt;wp:post_id&gt; must be a whole number, not &#x27;²&#x27;",
        ),
    ],
)
def test_bad_uploads_get_a_form_message(admin_client, content, message):
    response = admin_client.post(URL, {"export": export_file(content)})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not WordPressUpload.objects.exists()


def test_a_parent_that_cannot_hold_articles_is_a_form_message(admin_client):
    response = admin_client.post(URL, {"export": export_file(), "parent": "/"})
    assert response.status_code == 200
    assert "cannot hold articles" in response.content.decode()


def test_an_expired_upload_is_a_message(admin_client):
    response = admin_client.post(URL, {"upload_id": "999"}, follow=True)
    assert "has expired or was imported already" in response.content.decode()
