"""Small view helpers every app's pages share: paging, the form → service → redirect step, Excel replies."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.functional import lazy

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(content, filename):
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


def paginate(request, queryset, per_page=50):
    """The requested page and the query string without ``page``, for the pagination links."""
    page = Paginator(queryset, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


def submit_form(request, form, call, success, *, template, context, redirect_to):
    """POST: validate, call the one service, redirect; a refused write shows its message on the form."""
    if request.method == "POST" and form.is_valid():
        try:
            result = call(form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, success)
            return redirect(redirect_to(result) if callable(redirect_to) else redirect_to)
    return render(request, template, {"form": form, **context})


def with_result_message(call, message):
    """(call, success) for ``submit_form`` when the success message names what the service returned:
    ``message(result)`` is read when the message is shown, after the call."""
    outcome = {}

    def run(data):
        outcome["result"] = call(data)
        return outcome["result"]

    return run, lazy(lambda: message(outcome["result"]), str)()


def submit_partial(request, form, call, *, template, context):
    """An htmx form partial: validate, call the one service, answer with the partial (never a redirect).

    ``context(result)`` builds the partial's context: ``result`` is the service's return value, or None
    when the form is invalid or the write was refused (the refusal is then shown on the form).
    """
    result = None
    if form.is_valid():
        try:
            result = call(form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(request, template, context(result))


def refusal_text(exc: ValidationError) -> str:
    """A refused write's messages as one line for ``messages.error``."""
    return "；".join(str(message) for message in exc.messages)


def post_action(request, call, *, success, redirect_to):
    """A POST-only action button: call the one service, flash its success or its refusal, redirect.

    ``success`` may be a callable taking the service's result; so may ``redirect_to``.
    Anything but POST is refused with 405 (a link or a prefetch never acts).
    """
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        result = call()
    except ValidationError as exc:
        messages.error(request, refusal_text(exc))
        result = None
    else:
        text = success(result) if callable(success) else success
        if text:
            messages.success(request, text)
    return redirect(redirect_to(result) if callable(redirect_to) else redirect_to)


def list_page(request, template, rows, context=None, *, per_page=50):
    """A list page: ``rows`` (already scoped by a selector) paged, rendered with the page and the query."""
    page, query = paginate(request, rows, per_page=per_page)
    return render(request, template, {"page": page, "query": query, **(context or {})})
