"""The sentence the hall speaks, and the [announcement] options it is read with."""

import tomllib
import unicodedata
from pathlib import Path

import pytest

from layso.common.speech import SpeechOptions, announcement, counter_words, vocabulary

BUNDLED_CONFIG = Path(__file__).resolve().parents[2] / "config" / "layso.toml"


def test_the_default_call_for_ticket_1005_at_counter_3():
    assert announcement("1005", 3) == (
        "Xin mời công dân có số thứ tự một nghìn không trăm linh năm đến quầy số ba"
    )


def test_counter_twelve_is_a_number_even_when_tickets_are_read_digit_by_digit():
    options = SpeechOptions(digit_by_digit=True)
    assert announcement("0105", "12", options) == (
        "Xin mời công dân có số thứ tự không một không năm đến quầy số mười hai"
    )


def test_counter_24_follows_the_office_choice_of_four():
    assert counter_words(24) == "hai mươi tư"
    assert counter_words(24, SpeechOptions(four="bốn")) == "hai mươi bốn"


def test_an_office_template_with_the_counter_first():
    options = SpeechOptions(
        template="Mời quầy {counter} phục vụ số {number}.", thousand="ngàn", zero_tens="lẻ",
    )
    assert announcement("A1005", 7, options) == (
        "Mời quầy bảy phục vụ số a một ngàn không trăm lẻ năm."
    )


def test_the_sentence_is_nfc_even_when_the_template_was_typed_decomposed():
    decomposed = unicodedata.normalize("NFD", "Xin mời số {number} đến quầy {counter}")
    sentence = announcement("21", 1, SpeechOptions(template=decomposed))
    assert sentence == "Xin mời số hai mươi mốt đến quầy một"
    assert unicodedata.is_normalized("NFC", sentence)


def test_the_bundled_config_table_gives_the_default_options():
    table = tomllib.loads(BUNDLED_CONFIG.read_text(encoding="utf-8"))["announcement"]
    assert SpeechOptions.from_config(table) == SpeechOptions()


def test_from_config_takes_every_option_and_ignores_repeat():
    options = SpeechOptions.from_config({
        "template": "Số {number} mời đến quầy {counter}", "repeat": 3, "four": "bốn",
        "zero_tens": "lẻ", "thousand": "ngàn", "digit_by_digit": True,
    })
    assert options == SpeechOptions(
        template="Số {number} mời đến quầy {counter}", four="bốn", zero_tens="lẻ",
        thousand="ngàn", digit_by_digit=True,
    )


@pytest.mark.parametrize(("table", "named"), [
    ({"voice": "tts"}, "voice"),
    ({"four": "four"}, "four"),
    ({"zero_tens": "le"}, "zero_tens"),
    ({"thousand": "ngan"}, "thousand"),
    ({"digit_by_digit": "yes"}, "digit_by_digit"),
    ({"template": "Xin mời quầy số {counter}"}, "template"),
    ({"template": "Số {number} quầy {quay}"}, "template"),
    ({"template": "Số {number"}, "template"),
    ({"template": 5}, "template"),
])
def test_a_bad_key_or_value_is_named(table, named):
    with pytest.raises(ValueError) as error:
        SpeechOptions.from_config(table)
    assert str(error.value).startswith(f"{named}:")


def test_the_words_a_voice_pack_needs_follow_the_options_and_the_template():
    words = vocabulary(SpeechOptions(four="bốn", zero_tens="lẻ", thousand="ngàn"), letters="AL")
    assert words[:2] == ["xin mời công dân có số thứ tự", "đến quầy số"]
    assert {"không", "chín", "mười", "mươi", "mốt", "lăm", "trăm", "lẻ", "ngàn", "a", "e lờ"} <= set(words)
    assert not {"tư", "linh", "nghìn", "bê"} & set(words)
    assert len(words) == len(set(words))
