"""The township's structure, read only: villages, people, responsibilities."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework import viewsets
from rest_framework.permissions import IsAuthenticated

from accounts.access import visible_villages
from villages.models import Person
from villages.models import Responsibility
from villages.models import Village

from .base import AUTHENTICATION
from .base import Described
from .filters import IdFilter
from .filters import SearchFilter
from .filters import labelled
from .pagination import Pagination


class ReadViewSet(viewsets.ReadOnlyModelViewSet):
    authentication_classes = AUTHENTICATION
    permission_classes = [IsAuthenticated]
    pagination_class = Pagination


class VillageSerializer(Described, serializers.ModelSerializer):
    area_name = serializers.CharField(source="area.name", read_only=True, label=_("片名称"))

    class Meta:
        model = Village
        fields = (
            "id",
            "name",
            "kind",
            "township",
            "area",
            "area_name",
            "population",
            "households",
            "along_railway",
            "has_cctv_room",
            "is_active",
            "active_from",
            "active_until",
            "merged_into",
        )


@labelled
class VillageFilter(django_filters.FilterSet):
    q = SearchFilter(("name",))

    class Meta:
        model = Village
        fields = ("area", "kind", "is_active", "along_railway")


class VillageViewSet(ReadViewSet):
    """村(居): the villages the user may see (a secretary: its own)."""

    serializer_class = VillageSerializer
    filterset_class = VillageFilter

    def get_queryset(self):
        return (
            visible_villages(self.request.user)
            .select_related("area")
            .order_by("area__name", "name", "pk")
        )


def people_in_reach(user):
    """A secretary sees the people who answer for its village (or its area); others their
    township's people."""
    if not user.is_authenticated:
        return Person.objects.none()
    if user.is_superuser:
        return Person.objects.all()
    if user.is_secretary:
        village = user.village
        ids = Responsibility.objects.filter(
            Q(village_id=village.pk) | Q(area_id=village.area_id)
        ).values("person_id")
        return Person.objects.filter(pk__in=ids)
    return Person.objects.filter(township_id=user.township_id)


class PersonSerializer(Described, serializers.ModelSerializer):
    class Meta:
        model = Person
        fields = ("id", "township", "name", "phone", "title")


@labelled
class PersonFilter(django_filters.FilterSet):
    q = SearchFilter(("name", "title"))

    class Meta:
        model = Person
        fields = ()


class PersonViewSet(ReadViewSet):
    """责任人."""

    serializer_class = PersonSerializer
    filterset_class = PersonFilter

    def get_queryset(self):
        return people_in_reach(self.request.user).order_by("name", "pk")


class ResponsibilitySerializer(Described, serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True, label=_("姓名"))

    class Meta:
        model = Responsibility
        fields = ("id", "person", "person_name", "role", "area", "village", "start", "end")


def _active_on(queryset, name, value):
    return queryset.active_on(value) if value else queryset


def _for_village(queryset, name: str, value: int):
    if value is None:
        return queryset
    return queryset.filter(Q(village_id=value) | Q(area__villages__id=value)).distinct()


@labelled
class ResponsibilityFilter(django_filters.FilterSet):
    village = IdFilter(method=_for_village, label=_("村(居)编号(含其所在片的片长)"))
    on = django_filters.DateFilter(method=_active_on, label=_("在该日期在任"))

    class Meta:
        model = Responsibility
        fields = ("role", "person", "area")


class ResponsibilityViewSet(ReadViewSet):
    """责任分工: who held which role for a village (or, a 片长, an area) and when."""

    serializer_class = ResponsibilitySerializer
    filterset_class = ResponsibilityFilter

    def get_queryset(self):
        user = self.request.user
        queryset = Responsibility.objects.select_related("person")
        if not user.is_authenticated:
            return queryset.none()
        if user.is_secretary:
            village = user.village
            queryset = queryset.filter(Q(village_id=village.pk) | Q(area_id=village.area_id))
        elif not user.is_superuser:
            queryset = queryset.filter(
                Q(village__township_id=user.township_id) | Q(area__township_id=user.township_id)
            )
        return queryset.order_by("role", "start", "pk")
