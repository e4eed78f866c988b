"""`{% comments_section page %}`: the threaded comments and the "Leave a Reply" form."""

from typing import Any

from django import template
from django.conf import settings
from django.utils.safestring import SafeString

from wagtail.models import Page

from comments.forms import HONEYPOT_FIELD, CommentForm
from comments.models import Comment
from comments.sanitizer import allowed_tags_notice, render_comment_html
from comments.selectors import comment_list_approved
from comments.services import comments_are_open

register = template.Library()


def _reply_target(request: Any, comments: list[Comment]) -> Comment | None:
    """The comment named by ?replytocom=<id>, if readers may reply to it."""
    raw = request.GET.get("replytocom", "") if request is not None else ""
    if not raw.isdigit():
        return None
    for comment in comments:
        if comment.pk == int(raw) and comment.thread_depth < settings.COMMENTS_MAX_DEPTH:
            return comment
    return None


@register.inclusion_tag("comments/comments_section.html", takes_context=True)
def comments_section(context: template.Context, page: Page) -> dict[str, Any]:
    request = context.get("request")
    page = page.specific  # the mixin lives on the specific class; no query when already specific
    comments = comment_list_approved(page=page)
    is_open = comments_are_open(page)
    form = context.get("comment_form")
    reply_to = None
    if form is None:
        reply_to = _reply_target(request, comments)
        form = CommentForm(initial={"parent": reply_to.pk if reply_to else None})
    elif form.is_bound and str(form.data.get("parent", "")).isdigit():
        parent_id = int(form.data["parent"])
        reply_to = next((c for c in comments if c.pk == parent_id), None)
    return {
        "request": request,
        "page": page,
        "comments": comments,
        "top_level": [comment for comment in comments if comment.thread_depth == 1],
        "comment_count": len(comments),
        "comments_open": is_open,
        "form": form,
        "honeypot": form[HONEYPOT_FIELD],
        "reply_to": reply_to,
        "max_depth": settings.COMMENTS_MAX_DEPTH,
        "allowed_tags_notice": allowed_tags_notice(),
        "safety_notice": settings.COMMENTS_SAFETY_NOTICE,
        "messages": context.get("messages"),
    }


@register.filter
def comment_html(body: str) -> SafeString:
    """A stored comment body as HTML: whitelisted markup, paragraphs and line breaks."""
    return render_comment_html(body)
