from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from zhongcai.core.ratelimit import allow, client_address

from .forms import (
    AgentProfileForm,
    EmployerMemberAddForm,
    EmployerRegistrationForm,
    LoginForm,
    RegistrationForm,
)
from .mobile_codes import mobile_code_send
from .models import AgentProfile, Employer, EmployerMember, Role, User
from .services import (
    agent_profile_save,
    employer_member_add,
    employer_member_remove,
    employer_register,
    masked_mobile,
    public_user_register,
)

# Where a new public account goes first: an employer registers its employer, an agent says
# what kind of agent it is.
NEXT_STEP_BY_ROLE = {Role.EMPLOYER: "accounts:employer", Role.AGENT: "accounts:agent-profile"}


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
        client_address(request),
        limit=settings.REGISTRATION_ATTEMPTS_PER_HOUR,
        seconds=3600,
    ):
        # Registration says whether a number is taken: slow down whoever tries many.
        return render(request, "accounts/register_throttled.html", status=429)
    if request.method == "POST" and request.POST.get("action") == "send_code":
        # The rest of the form stays as typed; only the number is judged now.
        form = RegistrationForm(initial=request.POST.dict())
        try:
            mobile_code_send(mobile=request.POST.get("mobile", ""), client=client_address(request))
        except ValidationError as exc:
            form = RegistrationForm(request.POST)
            form.is_valid()
            form.errors.clear()
            for error in exc.message_dict.get("mobile", exc.messages):
                form.add_error("mobile", error)
        else:
            messages.success(request, _("A code is on its way to your mobile by SMS."))
        return render(request, "accounts/register.html", {"form": form})
    if request.method == "POST" and form.is_valid():
        try:
            user = public_user_register(
                mobile=form.cleaned_data["mobile"],
                id_number=form.cleaned_data["id_number"],
                real_name=form.cleaned_data["real_name"],
                password=form.cleaned_data["password1"],
                mobile_code=form.cleaned_data["mobile_code"],
                role=form.cleaned_data["role"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Your account is ready."))
            return redirect(NEXT_STEP_BY_ROLE.get(user.role, "portal:home"))
    return render(request, "accounts/register.html", {"form": form})


# --- Employers -------------------------------------------------------------------------------


def _employer_account(request: HttpRequest) -> User:
    user = request.user
    if user.role != Role.EMPLOYER:  # type: ignore[union-attr]
        raise PermissionDenied(_("This page is for employer accounts."))
    return user  # type: ignore[return-value]


def _employer_page(
    request: HttpRequest,
    user: User,
    *,
    register_form: EmployerRegistrationForm | None = None,
    add_forms: dict[int, EmployerMemberAddForm] | None = None,
) -> HttpResponse:
    memberships = list(
        EmployerMember.objects.filter(user=user, removed_at__isnull=True)
        .select_related("employer")
        .order_by("employer__name")
    )
    employers = []
    for membership in memberships:
        employer = membership.employer
        staff = [
            {"member": member, "mobile": masked_mobile(member.user.mobile)}
            for member in employer.members.filter(removed_at__isnull=True).select_related("user")
        ]
        add_form = (add_forms or {}).get(employer.pk) or EmployerMemberAddForm(
            auto_id=f"id_{employer.pk}_%s"
        )
        employers.append(
            {"employer": employer, "me": membership, "staff": staff, "add_form": add_form}
        )
    if not memberships and register_form is None:
        register_form = EmployerRegistrationForm()
    return render(
        request,
        "accounts/employer.html",
        {"employers": employers, "register_form": register_form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def employer(request: HttpRequest) -> HttpResponse:
    """The employer the account acts for, with its staff; or the form to register it."""
    user = _employer_account(request)
    if request.method == "GET":
        return _employer_page(request, user)
    form = EmployerRegistrationForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            registered = employer_register(
                by=user,
                credit_code=form.cleaned_data["credit_code"],
                name=form.cleaned_data["name"],
                proof=form.cleaned_data.get("proof"),
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(
                request,
                _(
                    "%(name)s is registered. You are its administrator. The commission checks "
                    "the registration before you see its cases."
                )
                % {"name": registered},
            )
            return redirect("accounts:employer")
    return _employer_page(request, user, register_form=form)


@login_required
@require_http_methods(["POST"])
def employer_member_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = _employer_account(request)
    # Not staff of it: the same answer as a missing employer.
    target = get_object_or_404(
        Employer, pk=pk, members__user=user, members__removed_at__isnull=True
    )
    form = EmployerMemberAddForm(request.POST, auto_id=f"id_{target.pk}_%s")
    if form.is_valid():
        try:
            member = employer_member_add(
                by=user,
                employer=target,
                mobile=form.cleaned_data["mobile"],
                is_admin=form.cleaned_data["is_admin"],
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(
                request, _("%(name)s can now act for the employer.") % {"name": member.user}
            )
            return redirect("accounts:employer")
    return _employer_page(request, user, add_forms={target.pk: form})


@login_required
@require_http_methods(["POST"])
def employer_member_remove_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = _employer_account(request)
    member = get_object_or_404(
        EmployerMember.objects.select_related("user"),
        pk=pk,
        employer__members__user=user,
        employer__members__removed_at__isnull=True,
    )
    try:
        employer_member_remove(by=user, member=member)
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
    else:
        messages.success(
            request, _("%(name)s no longer acts for the employer.") % {"name": member.user}
        )
    return redirect("accounts:employer")


# --- Agents ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def agent_profile(request: HttpRequest) -> HttpResponse:
    """What kind of agent the account is: a party can authorise it only once this is filled."""
    user = request.user
    if user.role != Role.AGENT:  # type: ignore[union-attr]
        raise PermissionDenied(_("This page is for agent accounts."))
    profile = AgentProfile.objects.filter(user=user).first()
    initial = (
        {"kind": profile.kind, "licence_number": profile.licence_number, "firm": profile.firm}
        if profile
        else {}
    )
    form = AgentProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            agent_profile_save(
                by=user,  # type: ignore[arg-type]
                kind=form.cleaned_data["kind"],
                licence_number=form.cleaned_data["licence_number"],
                firm=form.cleaned_data["firm"],
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(
                request,
                _("Saved. A party can now authorise you by your mobile number."),
            )
            return redirect("accounts:agent-profile")
    return render(request, "accounts/agent_profile.html", {"form": form, "profile": profile})
