"""Reads of the inbox: a user sees their own notifications only."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from .models import Notification

if TYPE_CHECKING:
    from zhongcai.accounts.models import User


def notifications_of(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")


def get_notification_for(user: User, notification_id: int) -> Notification:
    """Another user's notification answers 404, as a missing one does."""
    return get_object_or_404(notifications_of(user), pk=notification_id)


def unread_count(user: User) -> int:
    return notifications_of(user).filter(read_at__isnull=True).count()
