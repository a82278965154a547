"""One error format for the whole API: ``{"detail": "<中文>", "errors": {"field": ["…"]}}``.

Every error an endpoint can produce goes through ``exception_handler`` (set as DRF's
EXCEPTION_HANDLER): DRF's own exceptions (validation, 401, 403, 404, 405, 406, 415, throttled),
Django's ``Http404`` and ``PermissionDenied`` from the access helpers, and Django's
``ValidationError`` raised by services, which becomes a 400 with the service's message — so an
endpoint calls the service and lets its refusal through, exactly like a page shows it on the form.
Nested field errors are flattened to dotted keys (``"posts.0"``) so ``errors`` is always a flat map.
"""

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler


class LockedOut(exceptions.APIException):
    """Too many failed sign-ins: django-axes has locked the username or the address."""

    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "locked_out"


def _django_validation_detail(exc):
    if hasattr(exc, "error_dict"):
        return {
            (api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field): messages
            for field, messages in exc.message_dict.items()
        }
    return {api_settings.NON_FIELD_ERRORS_KEY: exc.messages}


def _flatten(detail, prefix=""):
    """{field: [msg]} with nested serializer and list errors as dotted keys."""
    if isinstance(detail, dict):
        flat = {}
        for key, value in detail.items():
            flat.update(_flatten(value, f"{prefix}.{key}" if prefix else str(key)))
        return flat
    if isinstance(detail, list | tuple):
        messages, flat = [], {}
        for index, item in enumerate(detail):
            if isinstance(item, dict | list | tuple):
                flat.update(_flatten(item, f"{prefix}.{index}" if prefix else str(index)))
            else:
                messages.append(force_str(item))
        if messages:
            flat[prefix or api_settings.NON_FIELD_ERRORS_KEY] = messages
        return flat
    return {prefix or api_settings.NON_FIELD_ERRORS_KEY: [force_str(detail)]}


def error_body(detail, errors=None):
    return {"detail": force_str(detail), "errors": errors or {}}


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(_django_validation_detail(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a genuine bug: let it reach the 500 handler and the logs
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        non_field = errors.get(api_settings.NON_FIELD_ERRORS_KEY)
        # A refusal that concerns no single field (a service's "this quarter is closed") is the message itself.
        detail = non_field[0] if non_field and len(errors) == 1 else _("The submitted data is not valid.")
        response.data = error_body(detail, errors)
    elif isinstance(exc, exceptions.ParseError):
        # The parser's own reason is English and technical: keep it beside a Chinese message.
        response.data = error_body(
            _("The request body could not be read: it is not valid JSON or form data."), {"body": [str(exc.detail)]}
        )
    else:
        response.data = error_body(exc.detail if not isinstance(exc.detail, dict | list) else _("The request failed."))
    return response


def not_found(request, *args, **kwargs):
    """Any address under /api/ that matches no endpoint: a JSON 404, never the HTML page."""
    return JsonResponse(error_body(_("No such address in the API.")), status=404, json_dumps_params={"ensure_ascii": False})
