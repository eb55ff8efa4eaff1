"""factory-boy factories shared by every test package."""

from datetime import date

import factory

from accounts.models import Role
from accounts.models import User
from villages.models import Area
from villages.models import District
from villages.models import Person
from villages.models import Responsibility
from villages.models import Township
from villages.models import Village


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"测试{n}区")
    code = factory.Sequence(lambda n: f"d{n}")


class TownshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Township
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"测试{n}镇")
    code = factory.Sequence(lambda n: f"t{n}")


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    township = factory.SubFactory(TownshipFactory)
    name = factory.Sequence(lambda n: f"{n}片")


class VillageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Village

    area = factory.SubFactory(AreaFactory)
    township = factory.SelfAttribute("area.township")
    name = factory.Sequence(lambda n: f"测试{n}村")
    population = 2000
    households = 600


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    township = factory.SubFactory(TownshipFactory)
    name = factory.Sequence(lambda n: f"人员{n}")


class ResponsibilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Responsibility

    person = factory.SubFactory(PersonFactory)
    role = "secretary"
    village = factory.SubFactory(VillageFactory)
    start = date(2026, 1, 1)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.STAFF
    password = factory.PostGenerationMethodCall("set_password", "pw")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()
