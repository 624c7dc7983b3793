from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from zhongcai.core.ratelimit import allow

from .forms import LoginForm, RegistrationForm
from .services import public_user_register


def locked_out(
    request: HttpRequest, response: HttpResponse | None = None, credentials: object = None
) -> HttpResponse:
    """What django-axes answers once a user name has failed too often (429, nothing checked)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "accounts/locked_out.html", {"cooloff_minutes": minutes}, status=429)


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


@login_required
def after_login(request: HttpRequest) -> HttpResponse:
    """Staff go to their workspace, the public to the portal."""
    if request.user.is_public:  # type: ignore[union-attr]
        return redirect("portal:home")
    return redirect("workspace:dashboard")


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:after-login")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and not allow(
        "register",
        request.META.get("REMOTE_ADDR", ""),
        limit=settings.REGISTRATION_ATTEMPTS_PER_HOUR,
        seconds=3600,
    ):
        # Registration says whether a number is taken: slow down whoever tries many.
        return render(request, "accounts/register_throttled.html", status=429)
    if request.method == "POST" and form.is_valid():
        try:
            user = public_user_register(
                mobile=form.cleaned_data["mobile"],
                id_number=form.cleaned_data["id_number"],
                real_name=form.cleaned_data["real_name"],
                password=form.cleaned_data["password1"],
                role=form.cleaned_data["role"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Your account is ready."))
            return redirect("portal:home")
    return render(request, "accounts/register.html", {"form": form})
