"""Queue numbers read the way the hall hears them (GLOSSARY.md, "Numbers spoken").

Every expected reading below is written by hand, one column per option of the
[announcement] table: the default (tư, linh, nghìn), four = "bốn", zero_tens = "lẻ",
thousand = "ngàn", and digit_by_digit = true.
"""

import pytest

from layso.common.speech import SpeechOptions, number_words

OPTIONS = {
    "default": SpeechOptions(),
    "bốn": SpeechOptions(four="bốn"),
    "lẻ": SpeechOptions(zero_tens="lẻ"),
    "ngàn": SpeechOptions(thousand="ngàn"),
    "digits": SpeechOptions(digit_by_digit=True),
}

# number | default | four="bốn" | zero_tens="lẻ" | thousand="ngàn" | digit by digit
TABLE = """
1 | một | một | một | một | một
2 | hai | hai | hai | hai | hai
3 | ba | ba | ba | ba | ba
4 | bốn | bốn | bốn | bốn | bốn
5 | năm | năm | năm | năm | năm
6 | sáu | sáu | sáu | sáu | sáu
7 | bảy | bảy | bảy | bảy | bảy
8 | tám | tám | tám | tám | tám
9 | chín | chín | chín | chín | chín
10 | mười | mười | mười | mười | một không
11 | mười một | mười một | mười một | mười một | một một
12 | mười hai | mười hai | mười hai | mười hai | một hai
13 | mười ba | mười ba | mười ba | mười ba | một ba
14 | mười bốn | mười bốn | mười bốn | mười bốn | một bốn
15 | mười lăm | mười lăm | mười lăm | mười lăm | một năm
16 | mười sáu | mười sáu | mười sáu | mười sáu | một sáu
17 | mười bảy | mười bảy | mười bảy | mười bảy | một bảy
18 | mười tám | mười tám | mười tám | mười tám | một tám
19 | mười chín | mười chín | mười chín | mười chín | một chín
20 | hai mươi | hai mươi | hai mươi | hai mươi | hai không
21 | hai mươi mốt | hai mươi mốt | hai mươi mốt | hai mươi mốt | hai một
22 | hai mươi hai | hai mươi hai | hai mươi hai | hai mươi hai | hai hai
23 | hai mươi ba | hai mươi ba | hai mươi ba | hai mươi ba | hai ba
24 | hai mươi tư | hai mươi bốn | hai mươi tư | hai mươi tư | hai bốn
25 | hai mươi lăm | hai mươi lăm | hai mươi lăm | hai mươi lăm | hai năm
30 | ba mươi | ba mươi | ba mươi | ba mươi | ba không
44 | bốn mươi tư | bốn mươi bốn | bốn mươi tư | bốn mươi tư | bốn bốn
45 | bốn mươi lăm | bốn mươi lăm | bốn mươi lăm | bốn mươi lăm | bốn năm
51 | năm mươi mốt | năm mươi mốt | năm mươi mốt | năm mươi mốt | năm một
100 | một trăm | một trăm | một trăm | một trăm | một không không
101 | một trăm linh một | một trăm linh một | một trăm lẻ một | một trăm linh một | một không một
104 | một trăm linh bốn | một trăm linh bốn | một trăm lẻ bốn | một trăm linh bốn | một không bốn
105 | một trăm linh năm | một trăm linh năm | một trăm lẻ năm | một trăm linh năm | một không năm
110 | một trăm mười | một trăm mười | một trăm mười | một trăm mười | một một không
111 | một trăm mười một | một trăm mười một | một trăm mười một | một trăm mười một | một một một
114 | một trăm mười bốn | một trăm mười bốn | một trăm mười bốn | một trăm mười bốn | một một bốn
115 | một trăm mười lăm | một trăm mười lăm | một trăm mười lăm | một trăm mười lăm | một một năm
121 | một trăm hai mươi mốt | một trăm hai mươi mốt | một trăm hai mươi mốt | một trăm hai mươi mốt | một hai một
124 | một trăm hai mươi tư | một trăm hai mươi bốn | một trăm hai mươi tư | một trăm hai mươi tư | một hai bốn
999 | chín trăm chín mươi chín | chín trăm chín mươi chín | chín trăm chín mươi chín | chín trăm chín mươi chín | chín chín chín
1000 | một nghìn | một nghìn | một nghìn | một ngàn | một không không không
1001 | một nghìn không trăm linh một | một nghìn không trăm linh một | một nghìn không trăm lẻ một | một ngàn không trăm linh một | một không không một
1005 | một nghìn không trăm linh năm | một nghìn không trăm linh năm | một nghìn không trăm lẻ năm | một ngàn không trăm linh năm | một không không năm
1010 | một nghìn không trăm mười | một nghìn không trăm mười | một nghìn không trăm mười | một ngàn không trăm mười | một không một không
1015 | một nghìn không trăm mười lăm | một nghìn không trăm mười lăm | một nghìn không trăm mười lăm | một ngàn không trăm mười lăm | một không một năm
1021 | một nghìn không trăm hai mươi mốt | một nghìn không trăm hai mươi mốt | một nghìn không trăm hai mươi mốt | một ngàn không trăm hai mươi mốt | một không hai một
1024 | một nghìn không trăm hai mươi tư | một nghìn không trăm hai mươi bốn | một nghìn không trăm hai mươi tư | một ngàn không trăm hai mươi tư | một không hai bốn
1025 | một nghìn không trăm hai mươi lăm | một nghìn không trăm hai mươi lăm | một nghìn không trăm hai mươi lăm | một ngàn không trăm hai mươi lăm | một không hai năm
1100 | một nghìn một trăm | một nghìn một trăm | một nghìn một trăm | một ngàn một trăm | một một không không
2000 | hai nghìn | hai nghìn | hai nghìn | hai ngàn | hai không không không
3011 | ba nghìn không trăm mười một | ba nghìn không trăm mười một | ba nghìn không trăm mười một | ba ngàn không trăm mười một | ba không một một
9999 | chín nghìn chín trăm chín mươi chín | chín nghìn chín trăm chín mươi chín | chín nghìn chín trăm chín mươi chín | chín ngàn chín trăm chín mươi chín | chín chín chín chín
10005 | mười nghìn không trăm linh năm | mười nghìn không trăm linh năm | mười nghìn không trăm lẻ năm | mười ngàn không trăm linh năm | một không không không năm
21000 | hai mươi mốt nghìn | hai mươi mốt nghìn | hai mươi mốt nghìn | hai mươi mốt ngàn | hai một không không không
24104 | hai mươi tư nghìn một trăm linh bốn | hai mươi bốn nghìn một trăm linh bốn | hai mươi tư nghìn một trăm lẻ bốn | hai mươi tư ngàn một trăm linh bốn | hai bốn một không bốn
105015 | một trăm linh năm nghìn không trăm mười lăm | một trăm linh năm nghìn không trăm mười lăm | một trăm lẻ năm nghìn không trăm mười lăm | một trăm linh năm ngàn không trăm mười lăm | một không năm không một năm
999999 | chín trăm chín mươi chín nghìn chín trăm chín mươi chín | chín trăm chín mươi chín nghìn chín trăm chín mươi chín | chín trăm chín mươi chín nghìn chín trăm chín mươi chín | chín trăm chín mươi chín ngàn chín trăm chín mươi chín | chín chín chín chín chín chín
0105 | một trăm linh năm | một trăm linh năm | một trăm lẻ năm | một trăm linh năm | không một không năm
0024 | hai mươi tư | hai mươi bốn | hai mươi tư | hai mươi tư | không không hai bốn
0000 | không | không | không | không | không không không không
A005 | a năm | a năm | a năm | a năm | a không không năm
B124 | bê một trăm hai mươi tư | bê một trăm hai mươi bốn | bê một trăm hai mươi tư | bê một trăm hai mươi tư | bê một hai bốn
L-1005 | e lờ một nghìn không trăm linh năm | e lờ một nghìn không trăm linh năm | e lờ một nghìn không trăm lẻ năm | e lờ một ngàn không trăm linh năm | e lờ một không không năm
"""


def _cases() -> list:
    cases = []
    for line in TABLE.strip().splitlines():
        number, *readings = (cell.strip() for cell in line.split("|"))
        assert len(readings) == len(OPTIONS), line
        for option, expected in zip(OPTIONS, readings):
            cases.append(pytest.param(number, option, expected, id=f"{number}-{option}"))
    return cases


@pytest.mark.parametrize(("number", "option", "expected"), _cases())
def test_the_hall_hears_the_number_in_words(number, option, expected):
    assert number_words(number, OPTIONS[option]) == expected


def test_the_table_covers_what_the_issue_asks():
    numbers = {line.split("|")[0].strip() for line in TABLE.strip().splitlines()}
    required = {str(n) for n in range(1, 26)} | {
        "101", "105", "110", "111", "115", "121", "1000", "1005", "1010", "1015", "1021",
        "1024", "1025", "2000", "3011", "9999", "0105",
    }
    assert required <= numbers
    assert len(numbers) >= 30


@pytest.mark.parametrize(("number", "expected"), [
    (1005, "một nghìn không trăm linh năm"),
    (0, "không"),
    (1_000_000, "một triệu"),
    (1_005_000, "một triệu không trăm linh năm nghìn"),
    (2_000_021, "hai triệu không trăm hai mươi mốt"),
    (3_000_000_000, "ba tỷ"),
    ("a1", "a một"),
    ("Đ12", "đê mười hai"),
    ("A-005", "a năm"),
    ("1.5", "một năm"),
])
def test_ints_lower_case_letters_and_large_numbers(number, expected):
    assert number_words(number) == expected


def test_more_digits_than_any_number_are_read_one_by_one():
    assert number_words("1000000000000") == "một không không không không không không không không không không không không"


def test_a_decomposed_prefix_letter_is_read_like_the_precomposed_one():
    assert number_words("A\u0306" + "7") == "á bảy"  # A + combining breve is Ă


@pytest.mark.parametrize("number", ["", "-", "?!", "Ж5", "5½", -3])
def test_what_cannot_be_read_is_refused(number):
    with pytest.raises(ValueError):
        number_words(number)


def test_a_float_is_not_a_queue_number():
    with pytest.raises(TypeError):
        number_words(1.5)
