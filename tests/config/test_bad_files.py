"""Every bad config file is refused with one line: the file, the key, the problem (vi, en)."""

from __future__ import annotations

import subprocess
import sys
import tomllib

import pytest

from layso.demo_run import write_demo_config
from layso.server.config import BUNDLED_CONFIG, ConfigError, load_config
from layso.server.settings import ConfigFile
from tests.config.cases import CASES, GOOD, config_message, problem_of
from tests.support.live_server import write_test_config


def test_at_least_25_mistakes_each_named_once():
    assert len(CASES) >= 25
    assert len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_a_bad_file_names_the_key_and_the_problem_in_both_languages(tmp_path, case):
    path = case.write(tmp_path)
    message = config_message(path)
    assert "\n" not in message
    problem = problem_of(message, path, case.key)
    vi, _, en = problem.rpartition(" (")
    assert vi and en.endswith(")"), f"not 'Vietnamese (English)': {problem}"
    assert case.says in en, message
    assert vi != en[:-1]  # the Vietnamese half is not the English one again


@pytest.mark.parametrize("case_id", ["max-wait-huge", "daily-cap-huge", "prefix-overlap",
                                     "typo-in-policy", "office-not-table"])
def test_layso_server_with_a_bad_file_stops_with_one_line(tmp_path, case_id):
    case = next(c for c in CASES if c.id == case_id)
    path = case.write(tmp_path)
    r = subprocess.run([sys.executable, "-m", "layso.cli", "server", "--config", str(path),
                        "--data-dir", str(tmp_path / "data"), "--port", "0"],
                       capture_output=True, text=True, timeout=60, check=False)
    assert r.returncode != 0
    assert "Traceback" not in r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert lines[0] == f"layso: {config_message(path)}"
    assert not (tmp_path / "data").exists() or not any((tmp_path / "data").iterdir())


def test_the_bundled_test_and_demo_configs_load(tmp_path):
    bundled = load_config(BUNDLED_CONFIG)
    assert [s.code for s in bundled.services] == ["TP", "CT", "DD", "XD", "LD", "KD", "NN", "VX"]
    assert [c.code for c in bundled.priority_categories] == ["NCT", "NKT", "PNMT", "NCC"]
    assert bundled.office.timezone == "Asia/Ho_Chi_Minh"
    assert any(len(c.services) > 1 for c in bundled.counters)
    assert load_config(write_test_config(tmp_path / "test.toml")).devices
    (tmp_path / "demo").mkdir()
    demo, _secrets = write_demo_config(tmp_path / "demo")
    assert [d.role for d in load_config(demo).devices] == ["kiosk", "display"]


def test_defaults_come_from_the_schema_when_a_table_is_left_out(tmp_path):
    path = tmp_path / "small.toml"
    path.write_text('[office]\nname = "UBND xã A"\n[[services]]\ncode = "TP"\nname = "Tư pháp"\n'
                    '[[counters]]\nnumber = 1\nservices = ["TP"]\n', encoding="utf-8")
    config = load_config(path)
    assert config.policy == ConfigFile.model_fields["policy"].default
    assert (config.services[0].prefix, config.services[0].start, config.services[0].width) == \
        ("", 1, 3)
    assert config.counters[0].name == "Quầy 1"
    assert config.announcement.repeat == 2 and config.office.opening.hour == 7


def test_ranges_that_only_look_alike_are_accepted(tmp_path):
    # "10" width 2 prints 1001–1099; "1" width 3 from 100 prints 1100–1999: no number twice.
    text = GOOD.replace('prefix = "2"\n', 'prefix = "10"\nwidth = 2\n', 1).replace(
        "start = 1\n", "start = 100\n", 1)
    path = tmp_path / "near.toml"
    path.write_text(text, encoding="utf-8")
    assert load_config(path).services[1].prefix == "10"
    # ... but a cap does not save a field whose range starts inside the other's.
    capped = GOOD.replace('prefix = "2"\n', 'prefix = "10"\nwidth = 2\n', 1).replace(
        "start = 1\n", "start = 99\n", 1)
    path.write_text(capped, encoding="utf-8")
    assert "both can print 1099" in config_message(path)


@pytest.mark.parametrize("content, says", [
    ('[office\nname = "x"', "TOML syntax error"),
    ("x = " + "9" * 5000, "TOML syntax error"),
    (b"\xff\xfe[office]", "not UTF-8"),
    ("", "office: bắt buộc, chưa có (required, missing)"),
])
def test_files_that_are_not_config_at_all(tmp_path, content, says):
    path = tmp_path / "odd.toml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as e:
        load_config(path)
    assert str(e.value).startswith(f"{path}: ") and says in str(e.value)
    assert "\n" not in str(e.value)


def test_a_missing_file_and_a_directory(tmp_path):
    with pytest.raises(ConfigError, match="không tìm thấy"):
        load_config(tmp_path / "missing.toml")
    with pytest.raises(ConfigError, match="is a directory"):
        load_config(tmp_path)


def test_every_case_starts_from_a_file_that_loads():
    assert ConfigFile.model_validate(tomllib.loads(GOOD))


def test_the_reports_read_their_keys_from_the_same_file(tmp_path):
    from layso.server.public_settings import load_public_settings

    text = GOOD.replace('kind = "urban"', 'kind = "rural"', 1).replace(
        "[policy]", '[server]\npublic_url = "http://10.0.0.2:8080"\n[ratings]\ntimeout_s = 30\n'
        "\n[policy]", 1)
    path = tmp_path / "reports.toml"
    path.write_text(text, encoding="utf-8")
    public = load_public_settings(load_config(path))
    assert (public.norm, public.server.public_url, public.ratings.timeout_s) == \
        (1200, "http://10.0.0.2:8080", 30)
    assert [level.code for level in public.ratings.levels] == \
        ["very_satisfied", "satisfied", "unsatisfied"]
