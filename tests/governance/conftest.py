import pytest

from assessment.models import Period


@pytest.fixture
def close_month(township):
    """Close an assessment month of the cast's township."""

    def close(year, month):
        return Period.objects.create(township=township, year=year, month=month, state="closed")

    return close
