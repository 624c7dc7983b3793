from django.db.models import QuerySet

from zhongcai.core.scope import scope

from .models import User


def staff_visible_to(user: User) -> QuerySet[User]:
    return scope(User.objects.select_related("organisation"), user).order_by(
        "organisation", "username"
    )
