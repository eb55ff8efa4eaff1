from django.urls import path

from .views import PasswordChangeView

urlpatterns = [
    path("password/", PasswordChangeView.as_view(), name="password_change"),
]
