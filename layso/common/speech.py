"""Queue numbers and announcements in spoken Vietnamese.

The one place the product turns "1005" into "một nghìn không trăm linh năm": the server
puts `announcement()` in every `ticket.called` event and `layso say` prints the same
sentence. Pure Python, so the rules can be read and tested without a server.

How numbers are read (GLOSSARY.md):
- a run of digits is read as the number it writes; leading zeros are not spoken
  ("0105" is "một trăm linh năm", "0000" is "không") unless `digit_by_digit` is on,
  which reads every digit including the zeros ("0105" is "không một không năm");
- letters (the service prefix, as in "A005") are spelled by their Vietnamese names,
  each letter on its own, then the digits follow ("A005" is "a năm");
- anything else in the printed number (a dash, a dot, a space) is not spoken.
Numbers up to 999 999 999 999 are read as numbers (triệu, tỷ); longer runs of digits,
which no ticket has, are read digit by digit.
"""

from __future__ import annotations

import string
import unicodedata
from dataclasses import dataclass, fields

DEFAULT_TEMPLATE = "Xin mời công dân có số thứ tự {number} đến quầy số {counter}"

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")

# How an office reads its prefix letters aloud (the school alphabet names).
LETTER_NAMES = {
    "A": "a", "Ă": "á", "Â": "ớ", "B": "bê", "C": "xê", "D": "dê", "Đ": "đê",
    "E": "e", "Ê": "ê", "F": "ép", "G": "giê", "H": "hát", "I": "i", "J": "gi",
    "K": "ca", "L": "e lờ", "M": "em mờ", "N": "en nờ", "O": "o", "Ô": "ô", "Ơ": "ơ",
    "P": "pê", "Q": "quy", "R": "e rờ", "S": "ét xì", "T": "tê", "U": "u", "Ư": "ư",
    "V": "vê", "W": "vê kép", "X": "ích xì", "Y": "i dài", "Z": "dét",
}

# The words of a group above the thousands: 1 000 000 is "một triệu".
MILLION = "triệu"
BILLION = "tỷ"

_CHOICES = {
    "four": ("tư", "bốn"),
    "zero_tens": ("linh", "lẻ"),
    "thousand": ("nghìn", "ngàn"),
}
_TEMPLATE_FIELDS = {"number", "counter"}
# What each option may be and what the template may name (the settings schema reads them).
CHOICES = _CHOICES
TEMPLATE_FIELDS = _TEMPLATE_FIELDS
_IGNORED_KEYS = {"repeat"}  # read by the hall display, not by the words


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def spoken_words(text: str) -> list[str]:
    """The words of a sentence as they are spoken: NFC, lower case, punctuation dropped."""
    cleaned = "".join(c if c.isalnum() else " " for c in nfc(text).lower())
    return cleaned.split()


@dataclass(frozen=True)
class SpeechOptions:
    """How an office wants its numbers read: the [announcement] table of the config."""

    template: str = DEFAULT_TEMPLATE
    four: str = "tư"  # or "bốn" (after mươi: 24 → hai mươi tư)
    zero_tens: str = "linh"  # or "lẻ" (105 → một trăm linh năm)
    thousand: str = "nghìn"  # or "ngàn"
    digit_by_digit: bool = False

    def __post_init__(self) -> None:
        for name, allowed in _CHOICES.items():
            value = getattr(self, name)
            if not isinstance(value, str) or nfc(value) not in allowed:
                raise ValueError(
                    f"{name}: must be {' or '.join(repr(a) for a in allowed)}, not {value!r}"
                )
            object.__setattr__(self, name, nfc(value))
        # A wrong type in the config file is a bad value like any other: ValueError.
        if not isinstance(self.digit_by_digit, bool):
            raise ValueError(  # noqa: TRY004
                f"digit_by_digit: must be true or false, not {self.digit_by_digit!r}"
            )
        object.__setattr__(self, "template", _checked_template(self.template))

    @classmethod
    def from_config(cls, table: dict) -> SpeechOptions:
        """Options from the config's [announcement] table; a wrong key or value is named."""
        known = {f.name for f in fields(cls)}
        for key in table:
            if key not in known and key not in _IGNORED_KEYS:
                raise ValueError(
                    f"{key}: unknown key in [announcement] "
                    f"(known: {', '.join(sorted(known | _IGNORED_KEYS))})"
                )
        return cls(**{k: v for k, v in table.items() if k in known})

    def template_phrases(self) -> list[str]:
        """The template's fixed words as spoken, e.g. ["xin mời … số thứ tự", "đến quầy số"]."""
        phrases = (spoken_words(text) for text, _, _, _ in string.Formatter().parse(self.template))
        return [" ".join(words) for words in phrases if words]


def _checked_template(template: object) -> str:
    if not isinstance(template, str):
        raise ValueError(f"template: must be a string, not {template!r}")  # noqa: TRY004
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
    except ValueError as error:
        raise ValueError(f"template: {error} in {template!r}") from None
    unknown = names - _TEMPLATE_FIELDS
    if unknown:
        raise ValueError(
            f"template: unknown placeholder {{{min(unknown)}}}; "
            "use {number} and {counter}"
        )
    if "number" not in names:
        raise ValueError(f"template: must contain {{number}}: {template!r}")
    return nfc(template)


def _tens_and_units(tens: int, units: int, after_hundreds: bool,
                    options: SpeechOptions) -> list[str]:
    """Words for the last two digits of a group (after "… trăm" when after_hundreds)."""
    if tens == 0:
        if units == 0:
            return []
        return [options.zero_tens, DIGITS[units]] if after_hundreds else [DIGITS[units]]
    if tens == 1:
        words = ["mười"]
        if units == 5:
            words.append("lăm")
        elif units:
            words.append(DIGITS[units])
        return words
    words = [DIGITS[tens], "mươi"]
    if units == 1:
        words.append("mốt")
    elif units == 4:
        words.append(options.four)
    elif units == 5:
        words.append("lăm")
    elif units:
        words.append(DIGITS[units])
    return words


def _group_words(group: int, inner: bool, options: SpeechOptions) -> list[str]:
    """Words for 0..999; an inner group (one below a higher group) says "không trăm"."""
    hundreds, rest = divmod(group, 100)
    tens, units = divmod(rest, 10)
    words: list[str] = []
    if hundreds or (inner and rest):
        words += [DIGITS[hundreds], "trăm"]
    words += _tens_and_units(tens, units, after_hundreds=bool(words), options=options)
    return words


def _integer_words(value: int, options: SpeechOptions) -> list[str]:
    if value == 0:
        return [DIGITS[0]]
    scales = ["", options.thousand, MILLION, BILLION]
    groups: list[int] = []
    while value:
        value, group = divmod(value, 1000)
        groups.append(group)
    words: list[str] = []
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            continue
        words += _group_words(group, inner=bool(words), options=options)
        if scales[index]:
            words.append(scales[index])
    return words


def _digit_run_words(digits: str, options: SpeechOptions) -> list[str]:
    if options.digit_by_digit or len(digits) > 12:
        return [DIGITS[int(d)] for d in digits]
    return _integer_words(int(digits), options)


def number_words(number: str | int, options: SpeechOptions = SpeechOptions()) -> str:
    """A printed queue number in spoken Vietnamese: "1005" → "một nghìn không trăm linh năm"."""
    if isinstance(number, bool) or not isinstance(number, (str, int)):
        raise TypeError(f"a queue number is a str or an int, not {type(number).__name__}")
    if isinstance(number, int):
        if number < 0:
            raise ValueError(f"a queue number is not negative: {number}")
        number = str(number)
    text = nfc(number).upper()
    words: list[str] = []
    digits = ""
    for char in text + " ":
        if char in string.digits:
            digits += char
            continue
        if digits:
            words += _digit_run_words(digits, options)
            digits = ""
        if char in LETTER_NAMES:
            words.append(LETTER_NAMES[char])
        elif char.isalnum():
            raise ValueError(f"cannot read {char!r} in the queue number {number!r}")
    if not words:
        raise ValueError(f"nothing to read in the queue number {number!r}")
    return " ".join(words)


def counter_words(counter: int | str, options: SpeechOptions = SpeechOptions()) -> str:
    """A counter number in words; always read as a number ("12" is "mười hai")."""
    return number_words(counter, SpeechOptions(
        four=options.four, zero_tens=options.zero_tens, thousand=options.thousand,
    ))


def announcement(number: str, counter: int | str, options: SpeechOptions = SpeechOptions()) -> str:
    """The sentence the hall speaks for a call, numbers in words, NFC."""
    return nfc(options.template.format(
        number=number_words(number, options),
        counter=counter_words(counter, options),
    ))


def vocabulary(options: SpeechOptions = SpeechOptions(), letters: str = "") -> list[str]:
    """Every word or phrase `announcement()` may say with these options and prefix letters.

    In saying order of a typical call: the template's phrases first, then the number words.
    """
    words = [*options.template_phrases(), *DIGITS, "mười", "mươi", "mốt", "lăm"]
    words += [options.four, "trăm", options.zero_tens, options.thousand, MILLION, BILLION]
    words += [LETTER_NAMES[letter] for letter in nfc(letters).upper()]
    return list(dict.fromkeys(nfc(w) for w in words))
