"""The cases' rules that need no database, so the scoring and rewards cores can use them on plain
rows (cases.selectors, rewards.rules) and the pages on records."""


def relapsed_after_resolution(relapse) -> bool:
    """化解后反弹: a relapse on or after the day its backlog case was resolved; it fines each of
    the case's resolvers (奖惩). `relapse` has a `date` and its case's `resolved_date`."""
    return relapse.resolved_date is not None and relapse.date >= relapse.resolved_date
