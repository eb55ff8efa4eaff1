"""One collector per record kind; each returns {village_id: {VillageFacts field: value}}."""

COLLECTORS: list = []
