"""One collector per record kind; each returns {village_id: {VillageFacts field: value}}."""

from . import cases, governance, petitions

COLLECTORS: list = [*petitions.COLLECTORS, *cases.COLLECTORS, *governance.COLLECTORS]
