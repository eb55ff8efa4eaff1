from django.urls import path

from . import views

app_name = "jobs"

urlpatterns = [
    path("", views.job_list, name="job_list"),
    path("<int:pk>/", views.job_status, name="job_status"),
    path("<int:pk>/download/", views.job_download, name="job_download"),
    path("<int:pk>/rerun/", views.rerun, name="job_rerun"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
]
