from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import Group

import pytest

from comments.models import Comment
from immunotherapy.models import ArticlePage
from tests.factories import make_article

ARTICLE_URL = "/articles/terminal-cancer-immunotherapy/"


@pytest.fixture
def article(home_page) -> ArticlePage:
    """A published article at ARTICLE_URL, with first_published_at set."""
    page = make_article(home_page, slug="terminal-cancer-immunotherapy", index_slug="articles")
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def make_comment(article) -> Callable[..., Comment]:
    counter = iter(range(1, 100_000))

    def make(**fields: Any) -> Comment:
        number = next(counter)
        values = {
            "page": article,
            "author_name": f"Reader {number}",
            "author_email": f"reader{number}@example.org",
            "body": f"Comment number {number}.",
            "status": Comment.Status.APPROVED,
            "ip_address": "192.0.2.10",
            "user_agent": "TestBrowser/1.0",
            **fields,
        }
        return Comment.objects.create(**values)

    return make


@pytest.fixture
def moderator(django_user_model):
    user = django_user_model.objects.create_user(
        username="mod",
        email="mod@example.org",
        password="pw",
        first_name="Maud",
        last_name="Moderator",
    )
    user.groups.add(Group.objects.get(name="Comment moderators"))
    return user


@pytest.fixture
def valid_post() -> dict[str, str]:
    return {
        "author_name": "Alex Reader",
        "author_email": "alex@example.org",
        "author_url": "",
        "body": "Thank you, this helped me understand my treatment.",
        "extra_comment": "",
    }
