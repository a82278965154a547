from django.contrib.auth import authenticate, user_logged_in
from django.contrib.auth.decorators import login_required
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.renderers import (
    OpenApiJsonRenderer,
    OpenApiJsonRenderer2,
    OpenApiYamlRenderer,
    OpenApiYamlRenderer2,
)
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import exceptions, serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from cadre_mgmt.accounts.second_factor import services as second_factor
from cadre_mgmt.accounts.services import login_record

from . import services
from .errors import LockedOut
from .permissions import IsSignedIn
from .throttling import ScopedRateThrottle


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(label=gettext_lazy("username"), max_length=150)
    password = serializers.CharField(
        label=gettext_lazy("password"), max_length=128, trim_whitespace=False, write_only=True, style={"input_type": "password"}
    )
    code = serializers.CharField(
        label=gettext_lazy("second-factor code"),
        help_text=gettext_lazy("Required for county roles: the 6-digit code of the authenticator app, or a recovery code."),
        max_length=20,
        required=False,
        allow_blank=True,
        write_only=True,
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text=gettext_lazy("Send it as “Authorization: Token <token>”."))


@extend_schema(
    tags=["auth"],
    description=gettext_lazy(
        "Exchange a username and password for the user's API token. Failed attempts count toward the sign-in lockout."
    ),
)
class TokenView(APIView):
    """Exchange a username and password for the user's API token (machine clients)."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenSerializer}, auth=[])
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        username = serializer.validated_data["username"]
        # Through authenticate() with the request, so django-axes counts a failure here exactly like a
        # failure on the sign-in page, and refuses a locked username or address even with the right password.
        user = authenticate(request=request, username=username, password=serializer.validated_data["password"])
        if user is None:
            login_record(user=None, success=False, username=username)
            if getattr(request, "axes_locked_out", False):
                raise LockedOut(_("Too many failed sign-ins: this account or address is locked for a while. Try again later."))
            raise exceptions.ValidationError(_("The username or password is not correct."))
        if user.must_change_password:
            raise exceptions.PermissionDenied(_("Change your password in the browser before using the API."))
        self._second_factor(request, user, serializer.validated_data.get("code", ""))
        token = services.api_token_issue(user=user)
        # As for a page sign-in: last_login is updated and django-axes clears the failures of this user.
        user_logged_in.send(sender=user.__class__, request=request, user=user)
        return Response({"token": token.key})

    @staticmethod
    def _second_factor(request, user, code):
        """County roles send their code too; a wrong or missing one counts toward the lockout."""
        refusal = second_factor.api_refusal(request=request, user=user, code=code)
        if refusal is None:
            return
        if getattr(request, "axes_locked_out", False):
            raise LockedOut(_("Too many failed sign-ins: this account or address is locked for a while. Try again later."))
        raise exceptions.AuthenticationFailed(refusal)


class SchemaView(SpectacularAPIView):
    """The OpenAPI 3 schema, JSON by default (``?format=yaml`` for YAML); signed-in users only."""

    renderer_classes = [OpenApiJsonRenderer, OpenApiJsonRenderer2, OpenApiYamlRenderer, OpenApiYamlRenderer2]
    permission_classes = [IsSignedIn]


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI from the sidecar's static files; its start script is a separate URL (``?script``), as the CSP
    allows no inline script, and the template has no inline style either."""

    template_name = "api/swagger_ui.html"
    url_name = "api:schema"
    title = gettext_lazy("API documentation")


docs_view = login_required(DocsView.as_view())
