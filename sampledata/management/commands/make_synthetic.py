from django.core.management.base import BaseCommand
from django.core.management.base import CommandError

from sampledata.synthetic import make_county
from sampledata.synthetic import make_district
from villages.models import Village


class Command(BaseCommand):
    help = (
        "Build a synthetic county: N villages with a year of records (reproducible by seed); "
        "with --townships, a district of that many such townships."
    )

    def add_arguments(self, parser):
        parser.add_argument("--villages", type=int, default=1000)
        parser.add_argument("--year", type=int, default=2026)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--code", default="synthetic")
        parser.add_argument("--townships", type=int, help="build a district of this many")
        parser.add_argument("--villages-per-township", type=int, default=20)
        parser.add_argument("--name", help="the district's name (default 合成区<seed>)")

    def handle(self, *args, **opts):
        if opts["townships"] is None:
            township = make_county(
                villages=opts["villages"], year=opts["year"], seed=opts["seed"], code=opts["code"]
            )
            self.stdout.write(f"{township.name} ({township.code}): {township.villages.count()} 村")
            return
        if opts["townships"] < 1 or opts["villages_per_township"] < 1:
            raise CommandError("--townships and --villages-per-township must be at least 1")
        district = make_district(
            townships=opts["townships"],
            villages_per_township=opts["villages_per_township"],
            year=opts["year"],
            seed=opts["seed"],
            code=opts["code"],
            name=opts["name"],
        )
        townships = district.townships.count()
        villages = Village.objects.filter(township__district=district).count()
        self.stdout.write(f"{district.name} ({district.code}): {townships} 镇, {villages} 村")
