"""core.params.int_param: what a page does with a number it is given in its address."""

import pytest

from core.params import int_param


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026", 2026),
        ("2000", 2000),  # the bounds are included
        ("2100", 2100),
        ("1999", 7),  # out of range: the default
        ("abc", 7),  # not a number: the default
        ("", 7),
        (None, 7),  # absent
    ],
)
def test_int_param(value, expected):
    assert int_param(value, 7, 2000, 2100) == expected
