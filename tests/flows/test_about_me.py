"""Transcripts: About me (the communication passport) built in the chat, shown with
/aboutme, changed, and shared or not."""

from __future__ import annotations

from bot.flows import about_me
from bot.flows.router import route
from bot.flows.types import IDLE, AboutMeSaved, ConsentRecorded, Incoming, Kind, State
from tests.flows.transcript import Chat, button_data, keys, person, press, typed


def test_a_first_about_me_is_built_with_taps_words_and_a_voice_note_then_shared() -> None:
    chat = Chat(person())

    first = chat.send(typed("/aboutme"))
    assert keys(first) == ["aboutme_intro", "aboutme_spoken"]
    assert button_data(first.say[1]) == [
        ["am:spoken:simple", "am:spoken:calm"],
        ["am:spoken:direct"],
        ["am:spoken:skip"],
    ]

    understand = chat.send(press("am:spoken:calm"))
    assert keys(understand) == ["aboutme_understand"]
    assert (understand.close, understand.chosen) == (True, "am_spoken_calm")

    added = chat.send(press("am:understand:written"))
    assert (added.say, added.toast) == ((), "aboutme_added")
    chat.send(press("am:understand:extra_time"))
    chat.send(press("am:understand:pictures"))
    removed = chat.send(press("am:understand:pictures"))
    assert removed.toast == "aboutme_removed"
    assert keys(chat.send(press("am:understand:done"))) == ["aboutme_hard"]

    chat.send(press("am:hard:noise"))
    chat.send(press("am:hard:phone_calls"))
    assert keys(chat.send(press("am:hard:done"))) == ["aboutme_time"]
    assert keys(chat.send(press("am:time:morning"))) == ["aboutme_overwhelmed"]
    in_words = chat.send(typed("Let me walk outside for five minutes"))
    assert keys(in_words) == ["aboutme_format"]
    assert keys(chat.send(press("am:format:voice"))) == ["aboutme_words"]
    voice = chat.send(Incoming(Kind.MEDIA, media_id="voice-77"))
    assert keys(voice) == ["aboutme_share"]
    assert button_data(voice.say[0]) == [["am:share:yes"], ["am:share:no"]]

    shared = chat.send(press("am:share:yes"))
    assert keys(shared) == ["aboutme_saved_shared"]
    assert shared.state == IDLE
    assert shared.events == (
        AboutMeSaved(
            {
                "spoken": ["calm"],
                "understand": ["written", "extra_time"],
                "hard": ["noise", "phone_calls"],
                "time": ["morning"],
                "overwhelmed_words": "Let me walk outside for five minutes",
                "format": ["voice"],
            },
            "",
            "voice-77",
        ),
        ConsentRecorded("passport", "given"),
    )
    assert chat.person.shares_about_me


def test_aboutme_shows_what_they_said_and_offers_change_who_sees_it_and_all_good() -> None:
    about = {"spoken": ["calm"], "hard": ["noise", "crowds"], "time_words": "after lunch"}
    who = person()
    chat = Chat(who.__class__(**(who.__dict__ | {"about_me": about | {"words": "I stammer"}})))

    shown = chat.send(typed("/aboutme"))

    assert keys(shown) == [
        "aboutme_show_spoken",
        "aboutme_show_hard",
        "aboutme_show_time",
        "aboutme_show_words",
        "aboutme_menu_private",
    ]
    assert [say.variables for say in shown.say[:4]] == [
        {"choice": "@am_spoken_calm|"},
        {"choice": "@am_hard_noise @am_hard_crowds|"},
        {"choice": "after lunch"},
        {"text": "I stammer"},
    ]
    assert button_data(shown.say[-1]) == [["am:menu:change"], ["am:menu:share"], ["am:menu:ok"]]
    assert shown.state == IDLE
    assert keys(chat.send(press("am:menu:ok"))) == ["aboutme_ok"]


def test_changing_it_keeps_what_they_skip_and_adds_a_new_version() -> None:
    who = person()
    about = {"spoken": ["calm"], "hard": ["noise"], "words": "I stammer"}
    chat = Chat(who.__class__(**(who.__dict__ | {"about_me": about})))
    chat.send(typed("/aboutme"))

    assert keys(chat.send(press("am:menu:change"))) == ["aboutme_spoken"]
    chat.send(press("am:spoken:skip"))
    chat.send(press("am:understand:done"))
    chat.send(press("am:hard:crowds"))
    chat.send(press("am:hard:done"))
    for step in ("time", "overwhelmed", "format"):
        chat.send(press(f"am:{step}:skip"))
    chat.send(press("am:words:done"))
    private = chat.send(press("am:share:no"))

    assert keys(private) == ["aboutme_saved_private"]
    assert private.events == (
        AboutMeSaved({"spoken": ["calm"], "hard": ["crowds"]}, "I stammer", ""),
        ConsentRecorded("passport", "declined"),
    )


def test_saying_no_later_withdraws_sharing_without_a_new_version() -> None:
    who = person()
    fields = who.__dict__ | {"about_me": {"time": ["evening"]}, "shares_about_me": True}
    chat = Chat(who.__class__(**fields))

    shown = chat.send(typed("/aboutme"))
    assert keys(shown)[-1] == "aboutme_menu_shared"
    assert keys(chat.send(press("am:menu:share"))) == ["aboutme_share"]
    withdrawn = chat.send(press("am:share:no"))

    assert withdrawn.events == (ConsentRecorded("passport", "withdrawn"),)
    assert not chat.person.shares_about_me


def test_an_old_about_me_button_or_a_question_s_button_out_of_turn_changes_nothing() -> None:
    out_of_turn = route(State(about_me.FLOW, "time"), press("am:spoken:calm"), person())
    no_flow = route(IDLE, press("am:time:morning"), person())
    nonsense = route(State(about_me.FLOW, "time"), press("am:time:noon"), person())

    assert (out_of_turn.toast, out_of_turn.events) == ("old_button", ())
    assert (no_flow.toast, no_flow.events) == ("old_button", ())
    assert (nonsense.toast, nonsense.events) == ("not_understood", ())


def test_words_at_the_share_question_ask_it_again_and_crisis_words_go_to_safety_first() -> None:
    at_share = route(State(about_me.FLOW, "share", {"answers": {}}), typed("maybe"), person())
    crisis = route(
        State(about_me.FLOW, "time"), Incoming(Kind.TEXT, text="x", crisis=True), person()
    )

    assert keys(at_share) == ["aboutme_share"]
    assert at_share.events == ()
    assert crisis.say[0].key != "aboutme_overwhelmed"


def test_long_words_are_cut_and_empty_words_ask_again() -> None:
    state = State(about_me.FLOW, "spoken", {"answers": {}})
    long = route(state, typed("word " * 100), person())
    empty = route(state, Incoming(Kind.TEXT, text="   "), person())

    assert len(long.state.data["answers"]["spoken_words"]) <= about_me.WORDS_MAX
    assert keys(empty) == ["aboutme_spoken"]


def test_aboutme_before_they_agreed_to_waymark_is_not_offered() -> None:
    assert keys(route(IDLE, typed("/aboutme"), person("pending"))) == ["not_understood"]
    assert route(IDLE, press("am:menu:change"), person("pending")).toast == "old_button"
