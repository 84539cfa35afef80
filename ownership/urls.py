"""The student's own pages (mounted at /me/) and the teacher's side (at /ownership/)."""

from django.urls import path

from ownership import views_student, views_teacher

app_name = "ownership"

urlpatterns = [
    path("me/sign-in/", views_student.sign_in, name="sign_in"),
    path("me/", views_student.me, name="me"),
    path("me/plans/<int:plan_id>/goal/", views_student.goal, name="goal"),
    path("me/plans/<int:plan_id>/rating/", views_student.rating, name="rating"),
    path("me/plans/<int:plan_id>/chart.svg", views_student.chart, name="chart"),
    path("me/questions/<int:check_id>/", views_student.reflection, name="reflection"),
    path("me/language/", views_student.language, name="language"),
    path("me/sign-out/", views_student.sign_out, name="sign_out"),
    path("ownership/classes/<int:section_id>/codes/", views_teacher.print_codes, name="codes"),
    path(
        "ownership/classes/<int:section_id>/codes/end/", views_teacher.end_codes, name="end_codes"
    ),
    path("ownership/classes/<int:section_id>/question/", views_teacher.start_check, name="check"),
]
