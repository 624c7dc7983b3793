from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from zhongcai.appointments import services
from zhongcai.appointments.models import Booking, Slot

pytestmark = [
    pytest.mark.usefixtures("frozen"),
]


def _book(user, slot):
    return services.booking_make(by=user, slot=slot, name="王小明", mobile="13800000000")


def test_the_public_chooses_a_commission_and_sees_open_times(client, make_slot, lixia):
    open_slot = make_slot()
    make_slot(starts_at=timezone.now() + timedelta(days=2), is_cancelled=True)
    response = client.get(reverse("appointments:index"))
    assert response.status_code == 200
    assert list(response.context["commissions"]) == [lixia]
    response = client.get(reverse("appointments:index"), {"commission": lixia.pk})
    slots = [s for _day, group in response.context["days"] for s in group]
    assert slots == [open_slot]
    assert reverse("appointments:book", args=[open_slot.pk]) in response.content.decode()


def test_an_unknown_commission_is_404(client, province):
    assert client.get(reverse("appointments:index"), {"commission": "x"}).status_code == 404


def test_booking_needs_login(client, make_slot):
    url = reverse("appointments:book", args=[make_slot().pk])
    response = client.get(url)
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_worker_books_and_sees_the_confirmation(
    institutions, login, worker_demo, make_slot, lixia
):
    slot = make_slot()
    client = login(worker_demo)
    url = reverse("appointments:book", args=[slot.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"name": "王小明", "mobile": "13800000000", "note": ""})
    booking = Booking.objects.get(user=worker_demo)
    assert response.status_code == 302
    assert response["Location"] == reverse("appointments:booking-detail", args=[booking.pk])
    page = client.get(response["Location"]).content.decode()
    assert booking.reference in page
    assert "济南市历下区龙奥西路 1 号" in page
    assert timezone.localtime(slot.starts_at).strftime("%Y-%m-%d %H:%M") in page
    assert booking.reference in client.get(reverse("appointments:my-bookings")).content.decode()


def test_a_bad_mobile_is_shown_on_the_field(login, worker_demo, make_slot):
    client = login(worker_demo)
    url = reverse("appointments:book", args=[make_slot().pk])
    response = client.post(url, {"name": "王小明", "mobile": "123", "note": ""})
    assert response.status_code == 200
    assert "mobile" in response.context["form"].errors
    assert 'id="id_mobile-error"' in response.content.decode()
    assert not Booking.objects.exists()


def test_a_full_slot_cannot_be_opened_for_booking(login, worker_demo, other_worker, make_slot):
    slot = make_slot(capacity=1)
    _book(other_worker, slot)
    client = login(worker_demo)
    assert client.get(reverse("appointments:book", args=[slot.pk])).status_code == 404


def test_staff_get_403_on_public_booking_pages(login, lixia_intake, make_slot):
    client = login(lixia_intake)
    assert client.get(reverse("appointments:book", args=[make_slot().pk])).status_code == 403


def test_the_owner_changes_and_cancels(login, worker_demo, make_slot):
    old, new = make_slot(), make_slot(starts_at=timezone.now() + timedelta(days=2))
    booking = _book(worker_demo, old)
    client = login(worker_demo)
    change = reverse("appointments:booking-change", args=[booking.pk])
    assert client.get(change).status_code == 200
    assert client.post(change, {"slot": new.pk}).status_code == 302
    booking.refresh_from_db()
    assert booking.slot_id == new.pk
    response = client.post(reverse("appointments:booking-cancel", args=[booking.pk]))
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.state == Booking.State.CANCELLED
    assert Slot.objects.get(pk=new.pk).booked == 0


@pytest.mark.parametrize("name", ["booking-detail", "booking-change", "booking-cancel"])
def test_another_users_booking_is_404(login, worker_demo, other_worker, make_slot, name):
    booking = _book(worker_demo, make_slot())
    client = login(other_worker)
    url = reverse(f"appointments:{name}", args=[booking.pk])
    response = client.post(url) if name == "booking-cancel" else client.get(url)
    assert response.status_code == 404
    booking.refresh_from_db()
    assert booking.state == Booking.State.BOOKED


def test_staff_publish_for_their_own_commission(login, lixia_clerk, lixia):
    client = login(lixia_clerk)
    assert client.get(reverse("appointments-staff:publish")).status_code == 200
    response = client.post(
        reverse("appointments-staff:publish"),
        {
            "start_date": "2025-09-26",
            "days": "3",
            "times": "09:00-10:00, 14:00-15:00",
            "capacity": "4",
            "purpose": "consult",
        },
    )
    assert response.status_code == 302
    assert Slot.objects.filter(commission=lixia).count() == 4  # Fri and the make-up Sunday
    day = client.get(reverse("appointments-staff:day"), {"day": "2025-09-26"})
    assert day.status_code == 200
    assert len(day.context["slots"]) == 2


def test_staff_publish_form_shows_errors_on_fields(login, lixia_clerk):
    client = login(lixia_clerk)
    response = client.post(
        reverse("appointments-staff:publish"),
        {
            "start_date": "2025-09-01",
            "days": "3",
            "times": "9-10",
            "capacity": "4",
            "purpose": "consult",
        },
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"times"}
    response = client.post(
        reverse("appointments-staff:publish"),
        {
            "start_date": "2025-09-01",
            "days": "3",
            "times": "09:00-10:00",
            "capacity": "4",
            "purpose": "consult",
        },
    )
    assert set(response.context["form"].errors) == {"start_date"}
    assert not Slot.objects.exists()


def test_staff_day_lists_only_own_commissions_bookings(
    login, licheng_intake, worker_demo, make_slot
):
    _book(worker_demo, make_slot())
    client = login(licheng_intake)
    day = timezone.localdate() + timedelta(days=1)
    response = client.get(reverse("appointments-staff:day"), {"day": day.isoformat()})
    assert response.status_code == 200
    assert list(response.context["bookings"]) == []


@pytest.mark.parametrize("username", ["lixia_arbitrator", "worker_demo"])
def test_others_cannot_open_staff_pages(login, django_user_model, username, province):
    client = login(django_user_model.objects.get(username=username))
    assert client.get(reverse("appointments-staff:publish")).status_code == 403


def test_staff_pages_need_login(client, province):
    response = client.get(reverse("appointments-staff:day"))
    assert response.status_code == 302


def test_a_commission_without_open_times_says_so(client, worker_demo, make_slot, lixia):
    _book(worker_demo, make_slot(capacity=1))
    response = client.get(reverse("appointments:index"), {"commission": lixia.pk})
    assert response.status_code == 200
    assert response.context["days"] == []
