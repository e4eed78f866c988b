"""The HTML comment form's target: post, then redirect back to the page (post-redirect-get).

Pages are cached for every reader alike (immunotherapy/page_cache.py), so the form there holds
no CSRF token, and an anonymous reader's post needs none (docs/headless.md, "Security"). A
signed-in reader's form carries a token; a post of theirs without a valid one gets the form
back with their text and a fresh token.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.views import csrf
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from wagtail.models import Page

from site_config.client_ip import get_client_ip

from .forms import HONEYPOT_FIELD, CommentForm
from .models import Comment
from .selectors import comment_page_get, comment_page_number
from .services import CommentRefused, comment_submit

PENDING_MESSAGE = (
    "Thank you: your comment is awaiting moderation. It will appear on this page once a "
    "moderator has approved it."
)
PUBLISHED_MESSAGE = "Thank you: your comment is published."
EXPIRED_MESSAGE = (
    "Your comment was not posted yet: the form had expired. It is all still here: "
    "check it and post it again."
)


def csrf_protect_signed_in(
    view: Callable[..., HttpResponse],
) -> Callable[..., HttpResponse]:
    """Django's CSRF check (the middleware's, failures going to `csrf_failure`) for signed-in
    users only. CSRF forges a request that rides on the victim's session; an anonymous post has
    no session or sign-in to ride on, so a forged one could do nothing its sender could not."""
    protected = csrf_protect(view)

    @csrf_exempt
    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if request.user.is_authenticated:
            return protected(request, *args, **kwargs)
        return view(request, *args, **kwargs)

    return wrapped


def add_refusal(form: CommentForm, refusal: CommentRefused) -> None:
    """Show a refusal on the form, under the fields it names (the hidden parent field's error
    and any other not shown as a field go on top of the form)."""
    if not refusal.errors:
        form.add_error(None, str(refusal))
    for field, field_messages in refusal.errors.items():
        shown = field in form.fields and not form.fields[field].widget.is_hidden
        form.add_error(field if shown else None, field_messages)


def render_page_with_form(
    request: HttpRequest, page: Page, form: CommentForm, status: int
) -> TemplateResponse:
    context = page.get_context(request)
    context["comment_form"] = form
    return TemplateResponse(request, page.get_template(request), context, status=status)


@csrf_protect_signed_in
@require_POST
def comment_post(request: HttpRequest, page_id: int) -> HttpResponse:
    page = comment_page_get(page_id=page_id)
    if page is None:
        raise Http404("No such page.")
    form = CommentForm(request.POST)
    if not form.is_valid():
        return render_page_with_form(request, page, form, status=400)

    data = form.cleaned_data
    try:
        comment = comment_submit(
            page=page,
            parent_id=data["parent"],
            author_name=data["author_name"],
            author_email=data["author_email"],
            author_url=data["author_url"],
            body=data["body"],
            ip_address=get_client_ip(request),
            user_agent=request.headers.get("user-agent", ""),
            user=request.user,
            honeypot=data[HONEYPOT_FIELD],
        )
    except CommentRefused as refusal:
        add_refusal(form, refusal)
        return render_page_with_form(request, page, form, status=refusal.status_code)

    if comment.status == Comment.Status.APPROVED:
        messages.success(request, PUBLISHED_MESSAGE)
        return HttpResponseRedirect(comment_url(request, page, comment))
    # Spam gets the same answer as a held comment, so a bot learns nothing.
    messages.info(request, PENDING_MESSAGE)
    return HttpResponseRedirect(page.get_url(request) + "#respond")


def comment_url(request: HttpRequest, page: Page, comment: Comment) -> str:
    """The page's URL at the page of threads showing `comment`, anchored to it."""
    number = comment_page_number(comment)
    return f"{page.get_url(request)}{f'?cpage={number}' if number > 1 else ''}#comment-{comment.pk}"


def comment_permalink(request: HttpRequest, comment_id: int) -> HttpResponse:
    """A lasting link to an approved comment: redirects to wherever its thread is shown now."""
    comment = Comment.objects.filter(pk=comment_id, status=Comment.Status.APPROVED).first()
    page = comment_page_get(page_id=comment.page_id) if comment else None
    if comment is None or page is None:
        raise Http404("No such comment.")
    return HttpResponseRedirect(comment_url(request, page, comment))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: a signed-in reader's comment post shows the page again with their
    text kept (and, with it, a fresh token)."""
    match = request.resolver_match
    page = None
    if match is not None and match.view_name == "comments:post":
        page = comment_page_get(page_id=match.kwargs["page_id"])
    if page is None:
        return csrf.csrf_failure(request, reason)
    form = CommentForm(request.POST)
    form.is_valid()
    form.add_error(None, EXPIRED_MESSAGE)
    return render_page_with_form(request, page, form, status=403)
