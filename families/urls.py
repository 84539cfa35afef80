from django.urls import path

from families import views

app_name = "families"

urlpatterns = [
    path("letters/<int:pk>/", views.letter_detail, name="letter"),
    path("letters/<int:pk>/pdf/", views.letter_pdf, name="letter_pdf"),
    path("letters/<int:pk>/chart.svg", views.letter_chart, name="letter_chart"),
    path("letters/<int:pk>/send/", views.letter_send, name="letter_send"),
    path(
        "students/<int:student_pk>/progress-report/",
        views.progress_report_new,
        name="progress_report",
    ),
    path("referrals/<int:pk>/", views.referral_detail, name="referral"),
    path("referrals/<int:pk>/pdf/", views.referral_pdf, name="referral_pdf"),
]
