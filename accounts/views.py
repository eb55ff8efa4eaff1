"""The user's own password change: the one page a user with an initial password may open."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy
from django.utils.translation import gettext as _


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        # The form saves the user; clearing the flag in the same save means a changed password is
        # never left marked as an initial one. User.save revokes the API tokens, and the parent
        # keeps this session only (update_session_auth_hash): every other session is logged out.
        form.user.must_change_password = False
        response = super().form_valid(form)
        messages.success(self.request, _("密码已修改。其他设备上的登录和接口令牌已失效。"))
        return response
