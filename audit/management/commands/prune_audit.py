from django.core.management.base import BaseCommand
from django.core.management.base import CommandError

from audit.models import RETENTION_DAYS
from audit.services import RetentionError
from audit.services import prune


class Command(BaseCommand):
    help = f"Delete audit rows older than N days (N >= {RETENTION_DAYS}: kept six months at least)."

    def add_arguments(self, parser):
        parser.add_argument("--older-than-days", type=int, required=True, dest="days")

    def handle(self, *args, days: int, **options):
        try:
            deleted = prune(older_than_days=days)
        except RetentionError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"deleted {deleted} audit rows older than {days} days")
