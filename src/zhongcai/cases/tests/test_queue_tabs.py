"""The queue's tabs after acceptance: my cases, being handled, closed, archived."""

import pytest
from django.urls import reverse

from zhongcai.cases import closing
from zhongcai.cases.tests import factories


@pytest.mark.parametrize("count", [1, 6])
@pytest.mark.parametrize("tab", ["mine", "accepted", "closed", "archived"])
def test_each_tab_answers_in_a_bounded_number_of_queries(
    tab, count, institutions, login, lixia_intake, lixia_head, django_assert_max_num_queries
):
    for _ in range(count):
        case = factories.tribunal_formed(factories.accepted(lixia_intake, lixia_head), lixia_head)
        if tab in ("closed", "archived"):
            closing.case_withdraw(by=lixia_head, case=case, reasons="和解")
    client = login(lixia_head)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("cases:queue"), {"tab": tab})
    assert response.status_code == 200


def test_an_arbitrator_starts_from_the_cases_where_he_sits(
    institutions, login, lixia_intake, lixia_head, lixia_arbitrator
):
    mine = factories.tribunal_formed(factories.accepted(lixia_intake, lixia_head), lixia_head)
    other = factories.accepted(lixia_intake, lixia_head)
    page = login(lixia_arbitrator).get(reverse("cases:queue")).content.decode()
    assert reverse("cases:case-detail", args=[mine.pk]) in page
    assert reverse("cases:case-detail", args=[other.pk]) not in page
