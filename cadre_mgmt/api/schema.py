"""OpenAPI generation: every operation documents the error responses it can give, in the one error format."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular import openapi
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text=_("What went wrong, in Chinese."))
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text=_("Messages per field (nested fields as dotted names); empty when no field is at fault."),
    )


ERRORS = {
    "400": _("Invalid input (query parameters or body)."),
    "401": _("Not signed in: send “Authorization: Token <token>” or sign in."),
    "403": _("Signed in, but this role or township may not do this."),
    "404": _("Not found, or belongs to another township."),
    "405": _("Method not allowed."),
    "406": _("Only JSON is offered."),
}
BODY_ERRORS = {"415": _("The body must be JSON or a form.")}
THROTTLE_ERRORS = {"429": _("Too many requests, or the account or address is locked after failed sign-ins.")}


class AutoSchema(openapi.AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        errors = dict(ERRORS)
        if self.method in {"POST", "PUT", "PATCH"}:
            errors.update(BODY_ERRORS)
        if getattr(self.view, "throttle_classes", None):
            errors.update(THROTTLE_ERRORS)
        for code, description in errors.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(ErrorSerializer, description=description), code, direction=direction
                )
        return responses
