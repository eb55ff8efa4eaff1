"""The rewards core, split as assessment/scoring is: types (plain data), rules (pure functions
from a scheme and facts to ledger lines), ledger (how stored lines follow a recompute)."""
