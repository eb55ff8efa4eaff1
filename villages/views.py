from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from accounts.access import visible_villages

from .selectors import responsibilities_on


@login_required
def village_list(request):
    villages = visible_villages(request.user).select_related("area").order_by("area__name", "name")
    return render(request, "villages/village_list.html", {"villages": villages})


@login_required
def village_detail(request, pk: int):
    village = (
        visible_villages(request.user).select_related("area", "township").filter(pk=pk).first()
    )
    if village is None:
        raise Http404
    today: date = timezone.localdate()
    people = responsibilities_on(village, today)
    return render(
        request,
        "villages/village_detail.html",
        {"village": village, "responsibilities": people, "today": today},
    )
