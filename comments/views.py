"""The HTML comment form's target: post, then redirect back to the page (post-redirect-get)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from wagtail.models import Page

from site_config.client_ip import get_client_ip

from .forms import HONEYPOT_FIELD, CommentForm
from .models import Comment
from .selectors import comment_page_get
from .services import CommentFlood, CommentRefused, CommentsClosed, comment_create

PENDING_MESSAGE = "Your comment is awaiting moderation."
PUBLISHED_MESSAGE = "Thank you: your comment is published."
REFUSAL_STATUS = {CommentsClosed: 403, CommentFlood: 429}


def add_validation_error(form: CommentForm, error: ValidationError) -> None:
    """Show a model ValidationError on the form, under the field it names when there is one."""
    for field, field_messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, field_messages)


def render_page_with_form(
    request: HttpRequest, page: Page, form: CommentForm, status: int
) -> TemplateResponse:
    context = page.get_context(request)
    context["comment_form"] = form
    return TemplateResponse(request, page.get_template(request), context, status=status)


@require_POST
def comment_post(request: HttpRequest, page_id: int) -> HttpResponse:
    page = comment_page_get(page_id=page_id)
    if page is None:
        raise Http404("No such page.")
    form = CommentForm(request.POST)
    if not form.is_valid():
        return render_page_with_form(request, page, form, status=400)

    data = form.cleaned_data
    parent = None
    if data["parent"]:
        parent = Comment.objects.filter(pk=data["parent"], page_id=page.pk).first()
        if parent is None:
            form.add_error(None, "The comment you are replying to is not available.")
            return render_page_with_form(request, page, form, status=400)
    try:
        comment = comment_create(
            page=page,
            parent=parent,
            author_name=data["author_name"],
            author_email=data["author_email"],
            author_url=data["author_url"],
            body=data["body"],
            ip_address=get_client_ip(request),
            user_agent=request.headers.get("user-agent", ""),
            user=request.user,
            honeypot=data[HONEYPOT_FIELD],
        )
    except ValidationError as error:
        add_validation_error(form, error)
        return render_page_with_form(request, page, form, status=400)
    except CommentRefused as refusal:
        form.add_error(None, str(refusal))
        status = REFUSAL_STATUS.get(type(refusal), 400)
        return render_page_with_form(request, page, form, status=status)

    if comment.status == Comment.Status.APPROVED:
        messages.success(request, PUBLISHED_MESSAGE)
        anchor = f"#comment-{comment.pk}"
    else:
        # Spam gets the same answer as a held comment, so a bot learns nothing.
        messages.info(request, PENDING_MESSAGE)
        anchor = "#respond"
    return HttpResponseRedirect(page.get_url(request) + anchor)
