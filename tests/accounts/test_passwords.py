"""Password policy (等保 2.0): at least ten characters from three of the four classes."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from accounts.passwords import CharacterClassValidator
from accounts.passwords import character_classes
from sampledata.township import DEMO_PASSWORD

CLASSES_MESSAGE = "密码必须包含大写字母、小写字母、数字、符号中的至少 3 类。"


def codes(password):
    with pytest.raises(ValidationError) as error:
        validate_password(password)
    return {e.code for e in error.value.error_list}


def test_character_classes():
    assert character_classes("aB3-") == {"upper", "lower", "digit", "symbol"}
    assert character_classes("kaohe2026") == {"lower", "digit"}
    assert character_classes("清河镇abc") == {"lower", "symbol"}
    assert character_classes("") == set()


def test_kaohe2026_is_refused_for_its_length_and_its_classes():
    assert codes("kaohe2026") == {"password_too_short", "password_too_few_classes"}


def test_ten_lower_case_letters_are_refused_with_the_classes_message():
    with pytest.raises(ValidationError) as error:
        CharacterClassValidator(min_classes=3).validate("qinghezhen")
    assert error.value.messages == [CLASSES_MESSAGE]


def test_nine_characters_of_three_classes_are_refused_for_the_length():
    assert codes("Qinghe202") == {"password_too_short"}


@pytest.mark.parametrize("password", ["Qinghe2026", "qinghe-2026", DEMO_PASSWORD])
def test_ten_characters_of_three_classes_are_accepted(password):
    assert validate_password(password) is None


def test_help_text_names_the_policy():
    from django.contrib.auth.password_validation import password_validators_help_texts

    texts = password_validators_help_texts()
    assert CLASSES_MESSAGE in texts
    assert any("10" in text for text in texts)


@pytest.mark.django_db
def test_the_change_page_refuses_kaohe2026_at_its_field(client_for, staff_user):
    client = client_for(staff_user)
    response = client.post(
        "/account/password/",
        {"old_password": "pw", "new_password1": "kaohe2026", "new_password2": "kaohe2026"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["new_password2"]
    assert CLASSES_MESSAGE in errors
    staff_user.refresh_from_db()
    assert staff_user.check_password("pw")
