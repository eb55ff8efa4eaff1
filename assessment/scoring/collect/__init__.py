"""One collector per record kind; each returns {village_id: {VillageFacts field: value}}."""

from . import cases
from . import governance
from . import petitions

COLLECTORS: list = [*petitions.COLLECTORS, *cases.COLLECTORS, *governance.COLLECTORS]
