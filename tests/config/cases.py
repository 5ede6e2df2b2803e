"""Bad config files: one mistake each, the key it must be named by, and words of the problem.

Each case edits the bundled config (`config/layso.toml`) in one place. The admin-page
tests take some of these cases and make the same mistake through the admin use cases;
the problem must read exactly as in the config file's message.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from layso.common.types import ROLES_DEVICE
from layso.server.config import BUNDLED_CONFIG, ConfigError, load_config

GOOD = BUNDLED_CONFIG.read_text(encoding="utf-8")
# "kiosk", "display" or "rating": the device roles as layso.common.types lists them.
ROLES = ", ".join(f'"{r}"' for r in ROLES_DEVICE[:-1]) + f' or "{ROLES_DEVICE[-1]}"'
TOKEN_A = "a" * 24
TOKEN_B = "b" * 24


@dataclass(frozen=True)
class Case:
    id: str
    old: str          # text of the bundled file to replace (must be there)
    new: str
    key: str          # the key the message names
    says: str         # words of the problem (the English half)
    also: tuple[tuple[str, str], ...] = ()   # more replacements, when one mistake needs two

    def text(self) -> str:
        text = GOOD
        for old, new in ((self.old, self.new), *self.also):
            assert old in text, f"{self.id}: {old!r} is not in the bundled config"
            text = text.replace(old, new, 1)
        return text

    def write(self, folder: Path) -> Path:
        path = folder / f"{self.id}.toml"
        path.write_text(self.text(), encoding="utf-8")
        return path


def device(name: str, role: str = "kiosk", token: str = TOKEN_A) -> str:
    return f'\n[[devices]]\nname = "{name}"\nrole = "{role}"\ntoken = "{token}"\n'


END = "# token = \"a long random string, at least 16 characters\""
POLICY = "priority_run = 2 "
CASES = [
    # unknown keys and typos
    Case("unknown-table", "[policy]", "[extra]\nx = 1\n\n[policy]", "extra",
         "unknown key; expected one of"),
    Case("typo-in-policy", POLICY, "priorty_run = 0 ", "policy.priorty_run",
         "did you mean priority_run?"),
    Case("typo-in-office", 'unit = "Trung', 'nuit = "Trung', "office.nuit", "did you mean unit?"),
    Case("typo-in-service", 'daily_cap = 80', 'daily_limit = 80', "services[5].daily_limit",
         "did you mean daily_cap?"),
    Case("typo-table", "[display]", "[dispaly]", "dispaly", "did you mean display?"),
    # wrong types
    Case("prefix-number", 'prefix = "1" ', 'prefix = 1 ', "services[0].prefix",
         "must be text in quotes, not 1"),
    Case("priority-run-text", POLICY, 'priority_run = "two" ', "policy.priority_run",
         'must be a whole number, not "two"'),
    Case("priority-run-float", POLICY, "priority_run = 2.0 ", "policy.priority_run",
         "must be a whole number, not 2.0"),
    Case("open-not-bool", 'prefix = "2"\n', 'prefix = "2"\nopen = "yes"\n', "services[1].open",
         'must be true or false, not "yes"'),
    Case("office-not-table", "[office]\n", "office = 3\n[officex]\n", "office",
         "must be a table [office], not 3"),
    # numbers beyond bounds (issue 10 §5)
    Case("max-wait-huge", "max_wait_minutes = 0 ", "max_wait_minutes = 9223372036854775807 ",
         "policy.max_wait_minutes", "must be from 0 to 600, not 9223372036854775807"),
    Case("daily-cap-huge", "daily_cap = 80", "daily_cap = 99999999999999999999",
         "services[5].daily_cap", "must be from 1 to 999999, not 99999999999999999999"),
    Case("daily-cap-zero", "daily_cap = 80", "daily_cap = 0", "services[5].daily_cap",
         "must be from 1 to 999999, not 0"),
    Case("width-too-wide", "width = 3", "width = 7", "services[0].width",
         "must be from 1 to 6, not 7"),
    Case("width-zero", "width = 3", "width = 0", "services[0].width", "must be from 1 to 6, not 0"),
    Case("start-negative", "start = 1\n", "start = -1\n", "services[0].start",
         "must be from 0 to 999999, not -1"),
    Case("start-beyond-width", "start = 1\n", "start = 1000\n", "services[0].start",
         "start 1000 does not fit in 3 digits: at most 999"),
    Case("priority-run-big", POLICY, "priority_run = 21 ", "policy.priority_run",
         "must be from 0 to 20, not 21"),
    Case("service-minutes-zero", "service_minutes = 8 ", "service_minutes = 0 ",
         "policy.service_minutes", "must be from 1 to 240, not 0"),
    Case("repeat-big", "repeat = 2 ", "repeat = 6 ", "announcement.repeat",
         "must be from 1 to 5, not 6"),
    Case("counter-number-big", "number = 1\n", "number = 1000\n", "counters[0].number",
         "must be from 1 to 999, not 1000"),
    Case("timeout-small", "[policy]", "[ratings]\ntimeout_s = 1\n\n[policy]", "ratings.timeout_s",
         "must be from 5 to 600, not 1"),
    # shapes and choices
    Case("prefix-long", 'prefix = "3"', 'prefix = "ABCD"', "services[2].prefix",
         'at most 3 letters or digits, not "ABCD"'),
    Case("opening-shape", 'opening = "07:30"', 'opening = "7h30"', "office.opening",
         'must be a time of day like "07:30", not "7h30"'),
    Case("cutoff-shape", 'cutoff = "16:30"', 'cutoff = "25:00"', "services[3].cutoff",
         'must be a time of day like "07:30", not "25:00"'),
    Case("closing-before-opening", 'closing = "17:00"', 'closing = "06:00"', "office.closing",
         "must be after the opening time 07:30"),
    Case("timezone", 'timezone = "Asia/Ho_Chi_Minh"', 'timezone = "Asia/Saigon_X"',
         "office.timezone", 'unknown time zone "Asia/Saigon_X"'),
    Case("office-code", 'code = "sai-gon"', 'code = "Bến Nghé"', "office.code",
         'lower-case letters, digits, - or _, not "Bến Nghé"'),
    Case("office-kind", 'kind = "urban"', 'kind = "city"', "office.kind",
         'must be "urban", "rural" or "remote", not "city"'),
    Case("four", 'four = "tư"', 'four = "bon"', "announcement.four",
         'must be "tư" or "bốn", not "bon"'),
    Case("template-no-counter", "đến quầy số {counter}", "đến quầy", "announcement.template",
         "must contain {number} and {counter}"),
    Case("template-unknown", "số thứ tự {number}", "số thứ tự {numbr}", "announcement.template",
         "only {number} and {counter} may be used, not {numbr}"),
    Case("status-url-removed", "[display]", 'status_url = "http://x/t/{id}"\n\n[display]',
         "ticket.status_url", "removed: the QR carries the ticket's own status page"),
    Case("public-url", "[policy]", '[server]\npublic_url = "ftp://x"\n\n[policy]',
         "server.public_url", 'must be an address like "http://192.168.1.10:8080"'),
    Case("category-code", 'code = "NKT"', 'code = "N K T"', "priority_categories[1].code",
         'letters, digits, - or _, not "N K T"'),
    Case("counter-name-empty", 'name = "Quầy 2"', 'name = " "', "counters[1].name",
         "must not be empty"),
    Case("missing-office-name", 'name = "UBND phường Sài Gòn"\n', "", "office.name",
         "required, missing"),
    # the file as a whole
    Case("service-code-twice", 'code = "CT"', 'code = "TP"', "services[1].code",
         '"TP" is already used by services[0]'),
    Case("counter-number-twice", "number = 2\n", "number = 1\n", "counters[1].number",
         "1 is already used by counters[0]"),
    Case("counter-unknown-service", 'services = ["TP", "CT"]', 'services = ["TP", "XX"]',
         "counters[1].services", 'no service with code "XX"'),
    Case("counter-no-service", 'services = ["TP", "CT"]', "services = []",
         "counters[1].services", "pick at least one service"),
    Case("device-role", END, END + device("kiosk-1", role="printer"), "devices[0].role",
         f"must be {ROLES}, not \"printer\""),
    Case("device-token-short", END, END + device("kiosk-1", token="short"), "devices[0].token",
         "must be at least 16 characters"),
    Case("device-token-twice", END, END + device("kiosk-1") + device("tv-1", "display"),
         "devices[1].token", "same token as devices[0]"),
    # two fields must never print the same number (issue 10 §3)
    Case("prefix-twice", 'prefix = "2"\n', 'prefix = "1"\n', "services[1].prefix",
         "numbers would repeat with services[0] TP – Tư pháp – Hộ tịch: both can print 1001"),
    Case("prefix-overlap", 'prefix = "2"\n', 'prefix = "10"\nwidth = 2\n', "services[1].prefix",
         "numbers would repeat with services[0] TP – Tư pháp – Hộ tịch: both can print 1001"),
    Case("prefix-case", 'prefix = "7"', 'prefix = "A"', "services[7].prefix",
         "numbers would repeat with services[6] NN – Nông nghiệp và Môi trường: "
         "both can print A001", also=(('prefix = "8"', 'prefix = "a"'),)),
    Case("prefixes-empty", 'prefix = "1" ', 'prefix = "" ', "services[1].prefix",
         "numbers would repeat with services[0] TP – Tư pháp – Hộ tịch: both can print 001",
         also=(('prefix = "2"\n', 'prefix = ""\n'),)),
]


def config_message(path: Path) -> str:
    """What loading the file says (it must refuse it)."""
    try:
        load_config(path)
    except ConfigError as e:
        return str(e)
    raise AssertionError(f"{path} was accepted")


def problem_of(message: str, path: Path, key: str) -> str:
    """The problem part of a config message: after "<file>: <key>: "."""
    head = f"{path}: {key}: "
    assert message.startswith(head), message
    return message[len(head):]
