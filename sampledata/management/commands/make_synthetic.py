from django.core.management.base import BaseCommand

from sampledata.synthetic import make_county


class Command(BaseCommand):
    help = "Build a synthetic county: N villages with a year of records (reproducible by seed)."

    def add_arguments(self, parser):
        parser.add_argument("--villages", type=int, default=1000)
        parser.add_argument("--year", type=int, default=2026)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--code", default="synthetic")

    def handle(self, *args, **opts):
        township = make_county(
            villages=opts["villages"], year=opts["year"], seed=opts["seed"], code=opts["code"]
        )
        self.stdout.write(f"{township.name} ({township.code}): {township.villages.count()} 村")
