"""``POST /api/v1/auth/token/``: a token for other systems, under the same lock-out as the pages.

django-axes guards every ``authenticate()`` that is given a request. DRF's serializer passes its
own ``Request`` wrapper, so axes counts the failure and flags the lock-out on that wrapper, not on
the ``HttpRequest`` its middleware inspects: the middleware (which would answer with the HTML page)
stays out of the way and this view answers in JSON instead, 429 like the pages.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from .authentication import is_expired
from .schema import BAD_INPUT, ErrorSerializer


class LockedOut(exceptions.APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "locked_out"

    def __init__(self) -> None:
        minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
        # The same words as the login page (accounts/locked_out.html).
        super().__init__(
            "{title}: {body}".format(
                title=_("Too many failed log-in attempts"),
                body=ngettext(
                    "For your safety this account is locked. Try again in %(minutes)s minute.",
                    "For your safety this account is locked. Try again in %(minutes)s minutes.",
                    minutes,
                )
                % {"minutes": minutes},
            )
        )


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()


class TokenObtainView(APIView):
    # Credentials travel in the body; a stale token or session must not stand in the way.
    authentication_classes: list[type] = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"

    @extend_schema(
        summary="Obtain the API token for a username and password",
        description="Send it as `Authorization: Token <key>`. Repeated failures lock the "
        "username out for a while (429), even with the right password.",
        request=AuthTokenSerializer,
        responses={
            200: TokenResponseSerializer,
            400: BAD_INPUT,
            429: OpenApiResponse(ErrorSerializer, description="Locked out, or throttled."),
        },
        auth=[],
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        credentials = AuthTokenSerializer(data=request.data, context={"request": request})
        if not credentials.is_valid():
            if getattr(request, "axes_locked_out", False):
                raise LockedOut
            raise exceptions.ValidationError(credentials.errors)
        user = credentials.validated_data["user"]
        token, _created = Token.objects.get_or_create(user=user)
        if is_expired(token):
            token.delete()
            token = Token.objects.create(user=user)
        # A token is a log-in: axes clears the username's failures (AXES_RESET_ON_SUCCESS) and
        # last_login is kept, as for the pages.
        user_logged_in.send(sender=type(user), request=request, user=user)
        return Response({"token": token.key})
