"""`{% comments_section page %}`: the threaded comments and the "Leave a Reply" form."""

from typing import Any

from django import template
from django.conf import settings
from django.core.paginator import Paginator
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from wagtail.models import Page

from comments.forms import HONEYPOT_FIELD, CommentForm
from comments.list_cache import CommentList, cached_list
from comments.models import Comment
from comments.moderation import held_for_moderation_notice
from comments.sanitizer import formatting_help, render_comment_html
from comments.selectors import comment_threads_page
from comments.services import comments_are_open
from site_config.params import optional_int

register = template.Library()


def _reply_target(page: Page, raw: object) -> Comment | None:
    """The approved comment of `page` with id `raw`, if readers may reply to it."""
    target = optional_int(raw)
    if target is None:
        return None
    comment = Comment.objects.filter(
        pk=target, page_id=page.pk, status=Comment.Status.APPROVED
    ).first()
    return comment if comment and comment.depth() < settings.COMMENTS_MAX_DEPTH else None


def _comment_list(page: Page, raw_number: int | str | None, replies_open: bool) -> CommentList:
    """The requested page of threads (the nearest one, as Django's `get_page`), rendered."""

    def build(number: int | str | None) -> CommentList:
        threads = comment_threads_page(page=page, number=number)
        top_level = [comment for comment in threads.comments if comment.thread_depth == 1]
        number = threads.threads.number
        html = comment_thread(top_level, replies_open, settings.COMMENTS_MAX_DEPTH, number)
        return {
            "version": None,
            "number": number,
            "top_level": threads.threads.paginator.count,
            "total": threads.total,
            "html": html,
        }

    number = 1 if raw_number in (None, "") else optional_int(raw_number)
    if number is None:  # not a page number: Django's `get_page` decides which page it means
        return build(raw_number)

    def build_kept() -> CommentList | None:
        # An out-of-range number shows the nearest page, kept under its own number only.
        built = build(number)
        return built if built["number"] == number else None

    return cached_list(page.pk, number, replies_open, build_kept) or build(number)


@register.inclusion_tag("comments/comments_section.html", takes_context=True)
def comments_section(context: template.Context, page: Page) -> dict[str, Any]:
    """One page of threads (`?cpage=`), its page links, and the form."""
    request = context.get("request")
    page = page.specific  # the mixin lives on the specific class; no query when already specific
    is_open = comments_are_open(page)
    listed = _comment_list(page, request.GET.get("cpage") if request else 1, is_open)
    # The page links need only the number of threads, not the threads.
    paginator = Paginator(range(listed["top_level"]), settings.COMMENTS_PER_PAGE)
    form = context.get("comment_form")
    if form is None:
        reply_to = _reply_target(page, request.GET.get("replytocom", "") if request else "")
        form = CommentForm(initial={"parent": reply_to.pk if reply_to else None})
    else:
        reply_to = _reply_target(page, form.data.get("parent", "")) if form.is_bound else None
    return {
        "request": request,
        "page": page,
        "comment_list": mark_safe(listed["html"]),  # noqa: S308 (built by comment_thread)
        "comments_page": paginator.get_page(listed["number"]),
        "comment_count": listed["total"],
        "comments_open": is_open,
        "form": form,
        "honeypot": form[HONEYPOT_FIELD],
        "reply_to": reply_to,
        "max_depth": settings.COMMENTS_MAX_DEPTH,
        "formatting_help": formatting_help(),
        "moderation_notice": held_for_moderation_notice(),
        "safety_notice": settings.COMMENTS_SAFETY_NOTICE,
        "messages": context.get("messages"),
    }


class _ThreadFormat:
    """What every comment of one thread is shown with, looked up once per page."""

    def __init__(self, replies_open: bool, max_depth: int, cpage: int = 1) -> None:
        # Links stay on this page of threads (?cpage=N), as WordPress's do.
        self.cpage = f"cpage={cpage}&amp;" if cpage > 1 else ""
        self.permalink = f"?cpage={cpage}" if cpage > 1 else ""
        self.replies_open = replies_open
        self.max_depth = max_depth
        self.timezone = timezone.get_current_timezone()
        self.months = {number: str(name) for number, name in MONTHS.items()}


def _comment_item(comment: Comment, fmt: _ThreadFormat) -> str:
    name = escape(comment.author_name)
    author = (
        format_html('<a href="{}" rel="nofollow ugc">{}</a>', comment.author_url, name)
        if comment.author_url
        else name
    )
    posted = comment.created_at.astimezone(fmt.timezone)
    when = f"{posted.day} {fmt.months[posted.month]} {posted.year} at {posted:%H:%M}"
    reply = ""
    if fmt.replies_open and comment.thread_depth < fmt.max_depth:
        reply = (
            f'<p class="comment__reply"><a href="?{fmt.cpage}replytocom={comment.pk}#respond"'
            f' aria-label="Reply to {name}">Reply</a></p>'
        )
    # Shown in words, not colour alone, so every reader can tell who speaks for the site.
    badge = '<span class="comment__badge">Official reply</span>' if comment.official else ""
    children = ""
    if comment.thread_replies:
        items = "".join(_comment_item(child, fmt) for child in comment.thread_replies)
        children = f'<ol class="children">{items}</ol>'
    return (
        f'<li id="comment-{comment.pk}" class="comment depth-{comment.thread_depth}'
        f'{" comment--official" if comment.official else ""}">'
        '<article class="comment__card"><footer class="comment__meta">'
        f'<span class="comment__author">{author}</span>{badge}'
        f'<a class="comment__permalink" href="{fmt.permalink}#comment-{comment.pk}">'
        f'<time datetime="{posted.isoformat()}">{escape(when)}</time></a></footer>'
        f'<div class="comment__content">{render_comment_html(comment.body)}</div>'
        f"{reply}</article>{children}</li>"
    )


@register.simple_tag
def comment_thread(
    top_level: list[Comment], replies_open: bool, max_depth: int, cpage: int = 1
) -> SafeString:
    """The threaded comment list items: built here rather than by a template included once per
    comment, which costs about 0.5 ms a comment, a tenth of a second on a page with 200."""
    # Safe: every value from a reader is escaped above, and bodies are sanitised HTML.
    fmt = _ThreadFormat(replies_open, max_depth, cpage)
    return mark_safe("".join(_comment_item(comment, fmt) for comment in top_level))  # noqa: S308


@register.filter
def comment_html(body: str) -> SafeString:
    """A stored comment body as HTML: whitelisted markup, paragraphs and line breaks."""
    return render_comment_html(body)
