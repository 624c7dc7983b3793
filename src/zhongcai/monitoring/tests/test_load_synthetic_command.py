"""``load_synthetic_province``: a demo database gets a province of cases for its dashboards;
production and bad arguments are refused with a clear message, and nothing is written."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from zhongcai.cases.models import Case
from zhongcai.monitoring import dashboard
from zhongcai.monitoring.figure_models import CaseFigure

pytestmark = pytest.mark.django_db


def test_it_fills_the_demo_province_dashboards(province, province_admin):
    out = StringIO()
    call_command("load_synthetic_province", "--cases", "200", "--years", "1", stdout=out)
    assert Case.objects.filter(accepted_on__isnull=False).count() >= 200
    assert CaseFigure.objects.count() >= 200
    view = dashboard.overview(
        user=province_admin, start=Case.objects.order_by("accepted_on").first().accepted_on,
        end=Case.objects.order_by("-accepted_on").first().accepted_on,
    )  # fmt: skip
    assert view.totals.accepted >= 200
    assert sum(1 for part in view.counties if part.figures.accepted) > 10


@pytest.mark.parametrize("args", [["--cases", "0"], ["--cases", "999999"], ["--years", "0"]])
def test_bad_arguments_are_refused(province, args):
    before = Case.objects.count()
    with pytest.raises(CommandError):
        call_command("load_synthetic_province", *args)
    assert Case.objects.count() == before


def test_production_refuses_it(province, settings):
    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError):
        call_command("load_synthetic_province", "--cases", "10")
    assert not CaseFigure.objects.exists()
