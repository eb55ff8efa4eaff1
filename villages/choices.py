"""The vocabulary of the township's structure, in one place (values in English, labels Chinese)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class VillageKind(models.TextChoices):
    VILLAGE = "village", _("村")
    COMMUNITY = "community", _("居")


class ResponsibilityRole(models.TextChoices):
    """docs/rubric.md "Who is assessed": the people who answer for a village (同奖同罚)."""

    AREA_LEADER = "area_leader", _("片长(镇班子成员)")
    POINT_LEADER = "point_leader", _("驻村点长")
    CENTRE_STAFF = "centre_staff", _("综治中心包村人员")
    SECRETARY = "secretary", _("村(居)书记")
    DIRECTOR = "director", _("村(居)主任")
    SECURITY_DIRECTOR = "security_director", _("治保主任")


# A 片长 answers for an area (and so for each of its villages); every other role for one village.
AREA_ROLES = frozenset({ResponsibilityRole.AREA_LEADER})
