"""Day list and day pages, logging for past nights, editing and deleting cramps."""

from datetime import date, timedelta
from decimal import Decimal
from uuid import uuid4

import pytest
from django.urls import reverse

from journal.models import CrampEpisode, DayFactors, DoseTaken, Medication, Night
from tests.conftest import london

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 10)


@pytest.fixture
def logged_in(client, alice, freeze_now):
    freeze_now(london(TODAY, 9, 0))  # the current night is the 9th
    client.force_login(alice)
    return client


def add_night(user, day: date, cramps: int = 0) -> Night:
    night = Night.objects.create(user=user, date=day)
    for n in range(cramps):
        CrampEpisode.objects.create(night=night, started_at=london(day, 23, n))
    return night


def test_the_day_list_tells_not_logged_from_no_cramps(logged_in, alice):
    add_night(alice, date(2026, 3, 8), cramps=2)
    add_night(alice, date(2026, 3, 7))
    rows = {row.date: row for row in logged_in.get(reverse("day_list")).context["rows"]}
    assert rows[date(2026, 3, 8)].night.cramps == 2
    assert rows[date(2026, 3, 7)].night.cramps == 0 and rows[date(2026, 3, 7)].logged
    assert not rows[date(2026, 3, 6)].logged
    html = logged_in.get(reverse("day_list")).content.decode()
    assert "2 cramps" in html and "No cramps" in html and "Not logged" in html


def test_the_day_list_pages_back_to_the_first_logged_night(logged_in, alice):
    add_night(alice, TODAY - timedelta(days=20))
    first = logged_in.get(reverse("day_list")).context
    assert first["older_page"] == 2 and first["newer_page"] is None
    second = logged_in.get(reverse("day_list"), {"page": 2}).context
    assert second["older_page"] is None and second["newer_page"] == 1
    assert logged_in.get(reverse("day_list"), {"page": "x"}).status_code == 200


def test_the_day_page_shows_the_night_the_day_and_that_nights_doses(logged_in, alice):
    night = add_night(alice, date(2026, 3, 8), cramps=1)
    episode = night.episodes.get()
    episode.duration_seconds, episode.pain, episode.muscle = 660, 7, "calf"
    episode.save()
    DayFactors.objects.create(user=alice, date=date(2026, 3, 8), fluids_ml=1500, hours_on_feet=9)
    paracetamol = Medication.objects.create(
        user=alice, name="Paracetamol", kind="as_needed", started_on=date(2026, 1, 1)
    )
    DoseTaken.objects.create(medication=paracetamol, taken_at=london(date(2026, 3, 9), 3, 5))
    DoseTaken.objects.create(medication=paracetamol, taken_at=london(date(2026, 3, 9), 13, 0))
    response = logged_in.get(reverse("day_detail", args=[date(2026, 3, 8)]))
    html = response.content.decode()
    assert "Night of Sunday 8 March 2026" in html
    assert "lasted 11 min ·" in html and "pain 7/10" in html and "Calf" in html
    assert "Worth mentioning to a doctor" in html  # over 10 minutes
    assert "1,500 ml" in html and "9 hours" in html
    assert [d.taken_at for d in response.context["doses"]] == [london(date(2026, 3, 9), 3, 5)]


def test_a_date_with_nothing_logged_says_so(logged_in):
    html = logged_in.get(reverse("day_detail", args=[date(2026, 3, 1)])).content.decode()
    assert "Nothing is logged for this date yet" in html


def test_future_nights_and_impossible_dates_are_not_found(logged_in):
    assert logged_in.get(reverse("day_detail", args=[TODAY])).status_code == 404
    assert logged_in.get("/days/2026-02-30/").status_code == 404


def test_adding_a_cramp_to_a_past_night_puts_small_hours_on_the_next_morning(logged_in, alice):
    url = reverse("episode_add", args=[date(2026, 3, 2)])
    response = logged_in.post(
        url, {"token": uuid4(), "started": "03:10", "side": "both", "pain": "4", "woke_me": "on"}
    )
    assert response["Location"] == reverse("day_detail", args=[date(2026, 3, 2)])
    episode = CrampEpisode.objects.get()
    assert episode.started_at == london(date(2026, 3, 3), 3, 10)
    assert episode.night.date == date(2026, 3, 2)
    assert (episode.side, episode.pain) == ("both", 4)


def test_adding_the_same_past_cramp_twice_keeps_one(logged_in):
    url = reverse("episode_add", args=[date(2026, 3, 2)])
    data = {"token": uuid4(), "started": "23:10"}
    logged_in.post(url, data)
    logged_in.post(url, data)
    assert CrampEpisode.objects.count() == 1


def test_a_refused_past_cramp_leaves_no_empty_night_behind(logged_in):
    url = reverse("episode_add", args=[date(2026, 3, 2)])
    response = logged_in.post(url, {"token": uuid4(), "started": "", "duration_exact": "abc"})
    assert response.status_code == 200
    assert response.context["form"].errors["started"]
    assert "minutes:seconds" in response.context["form"].errors["duration_exact"][0]
    assert not Night.objects.exists()


def test_an_eleventh_past_cramp_needs_the_box_ticked(logged_in, alice):
    add_night(alice, date(2026, 3, 2), cramps=10)
    url = reverse("episode_add", args=[date(2026, 3, 2)])
    response = logged_in.post(url, {"token": uuid4(), "started": "04:00"})
    assert "already has 10 cramps" in response.context["form"].errors["confirm_many"][0]
    logged_in.post(url, {"token": uuid4(), "started": "04:00", "confirm_many": "on"})
    assert CrampEpisode.objects.count() == 11


def test_editing_a_cramp_keeps_it_in_its_night(logged_in, alice):
    night = add_night(alice, date(2026, 3, 2), cramps=1)
    episode = night.episodes.get()
    response = logged_in.post(
        reverse("episode_edit", args=[episode.pk]),
        {"started": "02:40", "muscle": "foot", "duration_exact": "1:45", "soreness_next_day": "3"},
    )
    assert response["Location"] == reverse("day_detail", args=[date(2026, 3, 2)])
    episode.refresh_from_db()
    assert episode.started_at == london(date(2026, 3, 3), 2, 40)
    assert (episode.muscle, episode.duration_seconds, episode.soreness_next_day) == ("foot", 105, 3)
    page = logged_in.get(reverse("episode_edit", args=[episode.pk])).content.decode()
    assert 'value="1:45"' in page  # an exact length comes back as typed


def test_deleting_a_cramp_asks_first(logged_in, alice):
    episode = add_night(alice, date(2026, 3, 2), cramps=1).episodes.get()
    url = reverse("episode_delete", args=[episode.pk])
    page = logged_in.get(url)
    assert "Delete this cramp?" in page.content.decode()
    assert CrampEpisode.objects.exists()
    response = logged_in.post(url)
    assert response["Location"] == reverse("day_detail", args=[date(2026, 3, 2)])
    assert not CrampEpisode.objects.exists()
    assert not Night.objects.exists()  # nothing else was logged: no longer a logged night


def test_day_pages_query_counts_do_not_grow_with_history(
    logged_in, alice, django_assert_num_queries
):
    def fill(first: date, nights: int):
        for offset in range(nights):
            day = first - timedelta(days=offset)
            add_night(alice, day, cramps=2)
            DayFactors.objects.create(
                user=alice, date=day, fluids_ml=2000, hours_on_feet=Decimal(5)
            )

    fill(date(2026, 3, 8), 5)
    detail = reverse("day_detail", args=[date(2026, 3, 8)])
    # session, user, night, day, exercise, custom values with their factors, episodes, doses;
    # then the session save (savepoint, update, release)
    with django_assert_num_queries(11):
        logged_in.get(detail)
    with django_assert_num_queries(8):  # session, user, first night, nights, days; session save
        logged_in.get(reverse("day_list"))
    fill(date(2026, 3, 3), 80)
    with django_assert_num_queries(11):
        logged_in.get(detail)
    with django_assert_num_queries(8):
        logged_in.get(reverse("day_list"))


class TestOtherUsersData:
    """bob must never see or change alice's records, whatever URL he tries."""

    @pytest.fixture
    def alices_episode(self, alice):
        return add_night(alice, date(2026, 3, 2), cramps=1).episodes.get()

    @pytest.mark.parametrize("name", ["episode_edit", "episode_delete"])
    @pytest.mark.parametrize("method", ["get", "post"])
    def test_bobs_requests_for_alices_cramp_are_not_found(
        self, client, bob, alices_episode, name, method
    ):
        client.force_login(bob)
        response = getattr(client, method)(reverse(name, args=[alices_episode.pk]), {"pain": "1"})
        assert response.status_code == 404
        alices_episode.refresh_from_db()
        assert alices_episode.pain is None

    def test_bobs_day_page_and_check_in_show_only_his_own_data(
        self, client, bob, alices_episode, freeze_now
    ):
        freeze_now(london(TODAY, 9))
        client.force_login(bob)
        day = reverse("day_detail", args=[date(2026, 3, 2)])
        assert client.get(day).context["night"] is None
        checkin = client.get(reverse("checkin_for", args=[date(2026, 3, 2)])).context
        assert list(checkin["episodes"]) == []
        rows = client.get(reverse("day_list")).context["rows"]
        assert not any(row.logged for row in rows)

    def test_bob_cannot_use_alices_token_to_reach_her_cramp(
        self, client, bob, alices_episode, freeze_now
    ):
        alices_episode.client_token = uuid4()
        alices_episode.save()
        freeze_now(london(TODAY, 3))
        client.force_login(bob)
        url = reverse("episode_add", args=[date(2026, 3, 2)])
        response = client.post(url, {"token": alices_episode.client_token, "started": "03:00"})
        assert response.status_code == 200  # refused as a duplicate token, not redirected
        assert CrampEpisode.objects.count() == 1


def test_cramp_pages_opened_from_the_check_in_return_to_it(logged_in, alice):
    episode = add_night(alice, date(2026, 3, 2), cramps=1).episodes.get()
    checkin = reverse("checkin_for", args=[date(2026, 3, 2)])
    response = logged_in.post(
        f"{reverse('episode_edit', args=[episode.pk])}?next={checkin}", {"started": "23:05"}
    )
    assert response["Location"] == checkin
    response = logged_in.post(
        f"{reverse('episode_delete', args=[episode.pk])}?next=https://evil.example/"
    )
    assert response["Location"] == reverse("day_detail", args=[date(2026, 3, 2)])


def test_the_day_page_writes_numbers_in_words(logged_in, alice):
    night = add_night(alice, date(2026, 3, 8), cramps=1)
    night.episodes.update(duration_seconds=384, minutes_back_to_sleep=75)
    day = DayFactors.objects.create(
        user=alice,
        date=date(2026, 3, 8),
        fluids_ml=2250,
        alcohol_units=Decimal("1.0"),
        hours_on_feet=Decimal("1.5"),
        hours_sitting=Decimal("1.0"),
    )
    day.exercise.create(kind="walking", minutes=300, intensity="light")
    html = logged_in.get(reverse("day_detail", args=[date(2026, 3, 8)])).content.decode()
    assert "lasted 6 min 24 s" in html and "1 h 15 min to fall back asleep" in html
    assert "<dd>2,250 ml</dd>" in html and "<dd>1 unit</dd>" in html
    assert "<dd>1.5 hours</dd>" in html and "<dd>1 hour</dd>" in html
    assert "Walking, 5 h (light)" in html
