"""Token authentication whose tokens expire, like sessions do (settings.API_TOKEN_TTL)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token


def is_expired(token: Token) -> bool:
    return timezone.now() - token.created > settings.API_TOKEN_TTL


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key: str) -> tuple[Any, Token]:
        user, token = super().authenticate_credentials(key)
        if is_expired(token):
            token.delete()
            raise exceptions.AuthenticationFailed(
                _("The token has expired: obtain a new one at /api/v1/auth/token/.")
            )
        return user, token
