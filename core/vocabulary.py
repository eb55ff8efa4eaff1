"""The words of petition work, written once (issue 15): codes in English, labels in Chinese.

Plain Python, no Django: the scoring core (assessment/scoring/types.py) and the rewards rules
import it as it is, and the Django side builds its TextChoices from it (petitions/choices.py).
Labels are the Chinese text; `gettext_noop` marks them for the catalogue, so a page translates
them where it shows them (the choices wrap them in gettext_lazy).
tests/core/test_vocabulary.py checks that choices, scoring and rewards agree.
"""

from __future__ import annotations


def gettext_noop(message: str) -> str:
    """Marks a label for the catalogue (makemessages finds it); the value stays Chinese."""
    return message


# Petition levels (信访层级, 评分表 二: 京、省、市、区、镇), highest first.
LEVEL_BEIJING = "beijing"
LEVEL_PROVINCE = "province"
LEVEL_CITY = "city"
LEVEL_DISTRICT = "district"
LEVEL_TOWNSHIP = "township"
LEVELS = (LEVEL_BEIJING, LEVEL_PROVINCE, LEVEL_CITY, LEVEL_DISTRICT, LEVEL_TOWNSHIP)
LEVEL_LABELS = {
    LEVEL_BEIJING: gettext_noop("京"),
    LEVEL_PROVINCE: gettext_noop("省"),
    LEVEL_CITY: gettext_noop("市"),
    LEVEL_DISTRICT: gettext_noop("区"),
    LEVEL_TOWNSHIP: gettext_noop("镇"),
}

# Petition natures (上访性质); "collective" (集体, five or more people) is a separate flag.
NATURE_NORMAL = "normal"
NATURE_ABNORMAL = "abnormal"
NATURE_REPEAT = "repeat"
NATURES = (NATURE_NORMAL, NATURE_ABNORMAL, NATURE_REPEAT)
NATURE_LABELS = {
    NATURE_NORMAL: gettext_noop("正常"),
    NATURE_ABNORMAL: gettext_noop("非正常"),
    NATURE_REPEAT: gettext_noop("重复"),
}

# Channels a petition came through (信访渠道).
CHANNEL_VISIT = "visit"
CHANNEL_ONLINE = "online"
CHANNEL_LETTER = "letter"
CHANNEL_MAILBOX = "mailbox"
CHANNEL_HOTLINE = "hotline"
CHANNEL_OPINION = "opinion"
CHANNELS = (
    CHANNEL_VISIT,
    CHANNEL_ONLINE,
    CHANNEL_LETTER,
    CHANNEL_MAILBOX,
    CHANNEL_HOTLINE,
    CHANNEL_OPINION,
)
CHANNEL_LABELS = {
    CHANNEL_VISIT: gettext_noop("走访"),
    CHANNEL_ONLINE: gettext_noop("网上/阳光信访"),
    CHANNEL_LETTER: gettext_noop("来信"),
    CHANNEL_MAILBOX: gettext_noop("省市区长信箱"),
    CHANNEL_HOTLINE: gettext_noop("12345热线"),
    CHANNEL_OPINION: gettext_noop("网上舆情"),
}

# What a petition clause of the rubric counts (评分表 二: 每人次 / 每次 / 每批次).
UNIT_PERSON_TIME = "person_time"
UNIT_PETITION = "petition"
UNIT_BATCH = "batch"
UNIT_LABELS = {
    UNIT_PERSON_TIME: gettext_noop("人次"),
    UNIT_PETITION: gettext_noop("次"),
    UNIT_BATCH: gettext_noop("批次"),
}
