from django.contrib.auth import views as auth_views
from django.urls import path

from students import family_views, settings_views, views
from students.forms import SignInForm
from students.passwords import urlpatterns as password_urlpatterns

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            authentication_form=SignInForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    # Django's LogoutView accepts POST only (the navigation bar has a form for it).
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    *password_urlpatterns,
    path("settings/", settings_views.settings_home, name="settings_home"),
    path("students/", views.student_list, name="student_list"),
    path("students/<int:pk>/", views.student_detail, name="student_detail"),
    path("students/<int:pk>/access-log/", views.student_access_log, name="student_access_log"),
    path("students/<int:pk>/family/", family_views.family_contacts, name="family_contacts"),
    path(
        "students/<int:pk>/family/<int:link_pk>/",
        family_views.family_contact_save,
        name="family_contact_save",
    ),
    path(
        "students/<int:pk>/family/<int:link_pk>/remove/",
        family_views.family_contact_remove,
        name="family_contact_remove",
    ),
]
