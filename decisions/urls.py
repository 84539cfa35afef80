from django.urls import path

from decisions import views

app_name = "decisions"
urlpatterns = [
    path("", views.flag_list, name="flag_list"),
    path("<int:pk>/", views.flag_detail, name="flag_detail"),
    path("<int:pk>/dismiss/", views.flag_dismiss, name="flag_dismiss"),
]
