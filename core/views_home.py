from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.shortcuts import render

from accounts.access import visible_villages


@login_required
def home(request):
    """Each role lands where its work is: a secretary on the village portal, leaders, admins
    and staff on the dashboard, anyone else here."""
    user = request.user
    if user.is_secretary:
        return redirect("petitions:portal")
    if user.has_perm("kaohe.view_dashboard"):
        return redirect("dashboard:index")
    villages = visible_villages(user).select_related("area").order_by("area__name", "name")
    return render(request, "core/home.html", {"villages": villages})
