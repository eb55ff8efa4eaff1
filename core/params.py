"""Query parameters as the pages read them: leniently, since a link or a hand-typed address may
carry anything; what cannot be read falls back to the page's default instead of an error."""


def int_param(value, default, low: int, high: int):
    """`value` as a whole number from `low` to `high`, else `default` (missing, not a number,
    or out of range)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return number if low <= number <= high else default
