"""Field validators with the township's wording; the rules themselves live in rules.py."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import rules

ID_NUMBER_MESSAGES = {
    "length": _("身份证号应为18位(或旧式15位)。"),
    "format": _("身份证号格式不正确:18位号码前17位为数字,末位为数字或X;15位号码全为数字。"),
    "birth": _("身份证号中的出生日期不正确。"),
    "checksum": _("身份证号校验位不正确,请核对号码。"),
}


def validate_id_number(value: str) -> None:
    if not value:
        return
    problem = rules.id_number_error(value)
    if problem:
        raise ValidationError(ID_NUMBER_MESSAGES[problem], code=f"id_{problem}")
