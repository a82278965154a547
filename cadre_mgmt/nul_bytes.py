"""Middleware refusing a NUL character (``\\0``) in any request parameter with a 400.

PostgreSQL cannot store or compare a text value containing NUL: a ``?q=%00`` that reached a query was a
500 (``ValueError: A string literal cannot contain NUL (0x00) characters``). No form, filter or API field
of the product has a use for the character, so it is refused at the door for every page and endpoint:
query-string keys and values, form keys, uploaded file names, and under /api/ the keys and values of a
form-encoded body and the strings (keys and values, at any depth) of a JSON body, named by their top-level
key. Pages answer with the Chinese 400 page, the API with its JSON error.

A page's form values are left to its form: every text field of a Django form refuses NUL itself, with a
message beside the field ("不允许空字符") and the rest of what was typed kept — better than a bare 400 page
(tests/security/test_bad_input.py holds the forms to that). The hostile-parameter sweep
(tests/security/test_hostile_parameters.py) posts NUL in every field of every page and finds no 500.
"""

import json

from django.http import HttpResponseBadRequest, JsonResponse, QueryDict
from django.template import loader
from django.utils.translation import gettext as _

NUL = "\x00"
# A JSON body larger than this is not inspected here (the API's own size limits apply to it).
JSON_INSPECT_MAX_BYTES = 2 * 1024 * 1024


def _strings(value):
    """Every string in a parsed JSON document, dictionary keys included."""
    if isinstance(value, str):
        yield "", value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key, key
            for _path, text in _strings(item):
                yield key, text
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _first_nul(params, *, with_values=True):
    for key, values in params.lists():
        if NUL in key or (with_values and any(NUL in value for value in values)):
            return key
    return None


def nul_parameter(request):
    """The name of the first parameter carrying a NUL, or None."""
    found = _first_nul(request.GET)
    if found is not None:
        return found
    if not request.path.startswith("/api/"):
        found = _first_nul(request.POST, with_values=False)
        if found is None:
            for key, files in request.FILES.lists():
                if NUL in key or any(NUL in (upload.name or "") for upload in files):
                    return key
        return found
    # The API's body is read from the raw bytes: request.POST must stay unread, or DRF could no longer
    # answer a form body sent to a JSON-only endpoint with its 415.
    if request.content_type == "application/x-www-form-urlencoded":
        return _first_nul(QueryDict(request.body, encoding=request.encoding))
    if request.content_type == "application/json":
        body = request.body
        if body and len(body) <= JSON_INSPECT_MAX_BYTES:
            try:
                document = json.loads(body)
            except (ValueError, UnicodeDecodeError):
                return None  # not JSON: the API's parser answers its own 400
            for key, text in _strings(document):
                if NUL in text:
                    return key or "body"
    return None


class RefuseNulBytesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        name = nul_parameter(request)
        if name is None:
            return self.get_response(request)
        shown = name.replace(NUL, "\\0")
        message = _("“%(name)s” contains a NUL (zero) character, which is not allowed.") % {"name": shown}
        if request.path.startswith("/api/"):
            # The API's error format, as its exception handler gives a field's refusal.
            body = {"detail": _("The submitted data is not valid."), "errors": {shown: [message]}}
            return JsonResponse(body, status=400, json_dumps_params={"ensure_ascii": False})
        return HttpResponseBadRequest(loader.render_to_string("400.html", {"reason": message}, request))
