"""The person's side over each real Telegram framework: a reminder keeps the buttons that
still make sense after an answer, "How do I get there" gives the journey planner and map
links and a venue, first lines stay discreet (or not, by choice), and what is a person's
alone is sent with protect_content."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import select

from bot.composition import Waymark
from bot.domain.actor import Actor
from bot.models import Appointment, Person
from bot.services import appointments
from bot.services.appointments import NewAppointment
from bot.storage import committed
from tests.support import world
from tests.support.botapi import StandInBotAPI
from tests.support.chat import Chat

CLI = Actor.cli()  # the services audit every change; these are set up as the command line

# Wednesday 25 November 2026, 10:00 in London (GMT, so 10:00 UTC).
STARTS = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
EVENING_BEFORE = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)
PLACE = "Camberwell Probation Office, 45 Camberwell Road"
QUERY = "Camberwell+Probation+Office%2C+45+Camberwell+Road"
MEDIA_LABELS = ["🔊 Read it to me", "🖼 Show me"]


async def _reminder(app: Waymark, sam: Chat, **how: str | float) -> int:
    new = NewAppointment(STARTS, PLACE, "Jo", "probation", **how)  # type: ignore[arg-type]
    with committed(app.uow) as uow:
        appointment = appointments.add(uow, app.clock, "IOM-0001", new, actor=CLI)
    assert appointment.id is not None
    app.clock.set(EVENING_BEFORE)  # type: ignore[attr-defined]
    before = len(sam.sent())
    assert (await app.dispatcher.tick()).counts == {"sent": 1}
    await sam.wait_for_messages(before + 1)
    return appointment.id


async def test_after_running_late_the_reminder_still_offers_coming_and_the_way(
    onboarded: Waymark, sam: Chat
) -> None:
    appointment_id = await _reminder(onboarded, sam)

    assert await sam.press(f"ap:{appointment_id}:1:late") == [
        "Thank you for telling us. I have told your coach that you are running late."
    ]
    assert sam.last_labels() == [
        "✅ I am coming",
        "🗺 How do I get there",
        "📅 Add to calendar",
        *MEDIA_LABELS,
    ]
    assert await sam.press(f"ap:{appointment_id}:1:coming") == ["Thank you. See you there."]
    assert sam.last_labels() == [
        "⏰ Running late",
        "🗺 How do I get there",
        "📅 Add to calendar",
        *MEDIA_LABELS,
    ]
    with committed(onboarded.uow) as uow:
        appointment = uow.session.get(Appointment, appointment_id)
    assert appointment is not None
    assert appointment.confirmation == "coming"


async def test_how_do_i_get_there_gives_links_the_travel_note_and_a_venue(
    onboarded: Waymark, sam: Chat, botapi: StandInBotAPI
) -> None:
    note = "Bus 36 to Camberwell Green, then 2 minutes on foot."
    appointment_id = await _reminder(
        onboarded, sam, travel_note=note, latitude=51.4741, longitude=-0.0931
    )

    venue_words, words = await sam.press(f"ap:{appointment_id}:1:directions", expect=2)

    venue, directions = sam.sent()[-2:]
    assert venue.method == "sendVenue"
    where = (float(venue.params["latitude"]), float(venue.params["longitude"]))  # form values
    assert where == (51.4741, -0.0931)
    assert (venue.params["title"], venue.params["address"]) == ("Camberwell", PLACE)
    assert venue_words == ""  # a venue has a title and an address, no words
    stored = botapi.messages(sam.chat_id)[-2]
    assert stored["venue"]["location"] == {"latitude": 51.4741, "longitude": -0.0931}
    assert directions.method == "sendMessage"
    assert words.split("\n") == [
        "How to get to Camberwell:",
        PLACE,
        note,
        f"Plan your journey: https://tfl.gov.uk/plan-a-journey/?to={QUERY}",
        "Map: https://www.openstreetmap.org/?mlat=51.47410&mlon=-0.09310#map=17/51.47410/-0.09310",
    ]
    assert sam.last_labels() == [
        "✅ I am coming",
        "⏰ Running late",
        "❌ I can't come",
        "📅 Add to calendar",
        *MEDIA_LABELS,
    ]


async def test_without_coordinates_there_is_no_venue_only_the_links(
    onboarded: Waymark, sam: Chat, botapi: StandInBotAPI
) -> None:
    appointment_id = await _reminder(onboarded, sam)

    (words,) = await sam.press(f"ap:{appointment_id}:1:directions")

    assert botapi.calls_to("sendVenue") == []
    assert words == (
        f"How to get to Camberwell:\n{PLACE}\n"
        f"Plan your journey: https://tfl.gov.uk/plan-a-journey/?to={QUERY}\n"
        f"Map: https://www.openstreetmap.org/search?query={QUERY}\n"
        "Your coach will help you too."  # Sam reads the easy-read words
    )


async def test_the_first_line_of_a_reminder_says_only_the_time_and_the_place(
    onboarded: Waymark, sam: Chat
) -> None:
    await _reminder(onboarded, sam)

    first, details = sam.texts()[-1].split("\n")
    assert first == "Tomorrow 10:00, Camberwell"
    assert details == (f"Sam, tomorrow: Wednesday 25 November, 10:00, {PLACE}. You will see Jo.")


async def test_without_discreet_previews_the_details_come_first(
    onboarded: Waymark, sam: Chat
) -> None:
    with committed(onboarded.uow) as uow:
        person = uow.session.exec(select(Person)).one()
        person.discreet_previews = False
        uow.session.add(person)
        uow.commit()

    await _reminder(onboarded, sam)

    assert sam.texts()[-1] == (
        f"Sam, tomorrow: Wednesday 25 November, 10:00, {PLACE}. You will see Jo."
    )


async def test_mood_crisis_and_coach_messages_cannot_be_forwarded(
    onboarded: Waymark, sam: Chat, botapi: StandInBotAPI
) -> None:
    coach = Chat(botapi, 4001)
    await coach.say(f"/start {world.coach_invite(onboarded)}")
    await sam.say("/mood")
    assert not sam.sent()[-1].params.get("protect_content")  # the question is anyone's

    await sam.press("md:green")
    assert sam.sent()[-1].params["protect_content"] is True  # their answer is theirs

    await sam.say("I want to end it all", expect=2)
    crisis_reply, signposting = sam.sent()[-2:]
    assert crisis_reply.params["protect_content"] is True
    assert not signposting.params.get("protect_content")  # help numbers may be passed on

    await sam.say("/coach")
    await sam.say("I will be there at 10")
    assert sam.sent()[-1].params["protect_content"] is True  # "sent to your coach"
    await onboarded.dispatcher.tick()
    await coach.wait_for_messages(3)
    alert = coach.sent()[-1]
    assert "I will be there at 10" in alert.params["text"]
    assert alert.params["protect_content"] is True  # the coach cannot forward their words

    await sam.say("/next")
    assert not sam.sent()[-1].params.get("protect_content")
