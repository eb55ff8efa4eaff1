"""Password policy (等保 2.0 identity rules): at least ten characters drawn from at least three of
the four character classes. The length is Django's MinimumLengthValidator (min_length=10 in
settings); this module adds the character classes."""

import string

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# The four classes of the policy; anything that is not a letter or a digit counts as a symbol
# (a space, a Chinese character or punctuation all make a password harder to guess).
CLASSES = {
    "upper": lambda c: c in string.ascii_uppercase,
    "lower": lambda c: c in string.ascii_lowercase,
    "digit": lambda c: c in string.digits,
    "symbol": lambda c: not (c in string.ascii_letters or c in string.digits),
}


def character_classes(password: str) -> set[str]:
    """The classes (upper, lower, digit, symbol) the password draws from."""
    return {name for name, test in CLASSES.items() if any(test(c) for c in password)}


class CharacterClassValidator:
    """Refuses a password that draws on fewer than `min_classes` of upper-case letters,
    lower-case letters, digits and symbols."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        if len(character_classes(password)) < self.min_classes:
            raise ValidationError(
                _("密码必须包含大写字母、小写字母、数字、符号中的至少 %(min)d 类。"),
                code="password_too_few_classes",
                params={"min": self.min_classes},
            )

    def get_help_text(self):
        return _("密码必须包含大写字母、小写字母、数字、符号中的至少 %(min)d 类。") % {
            "min": self.min_classes
        }
