from django.urls import path

from . import views

app_name = "workdays"

urlpatterns = [
    path("", views.calendar, name="calendar"),
    path("override/", views.override_add, name="override_add"),
    path("override/delete/", views.override_delete, name="override_delete"),
    path("year/", views.year_enter, name="year_enter"),
    path("recompute/", views.recompute, name="recompute"),
]
