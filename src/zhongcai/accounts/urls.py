from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("register/", views.register, name="register"),
    path("after-login/", views.after_login, name="after-login"),
    path("employer/", views.employer, name="employer"),
    path("employer/<int:pk>/members/", views.employer_member_add_view, name="employer-member-add"),
    path(
        "employer/members/<int:pk>/remove/",
        views.employer_member_remove_view,
        name="employer-member-remove",
    ),
    path("agent/", views.agent_profile, name="agent-profile"),
]
