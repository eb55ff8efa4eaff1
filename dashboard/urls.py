from django.urls import path

from . import views

app_name = "dashboard"

urlpatterns = [
    path("", views.index, name="index"),
    path("recompute/", views.recompute, name="recompute"),
    path("villages/<int:pk>/", views.village, name="village"),
    path("district/", views.district, name="district"),
    path("district/township/<slug:code>/", views.district_choose, name="district_choose"),
]
