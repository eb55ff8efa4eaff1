from django.urls import path

from . import views

app_name = "villages"

urlpatterns = [
    path("", views.village_list, name="village_list"),
    path("<int:pk>/", views.village_detail, name="village_detail"),
]
