"""A bad config file stops start-up with one message naming the file, the key and why.

The table of bad files is tests/config/; these are the checks of the old loader kept
against the schema, and the real command.
"""

import subprocess
import sys

import pytest

from layso.server.config import BUNDLED_CONFIG, ConfigError, load_config

GOOD = BUNDLED_CONFIG.read_text(encoding="utf-8")


def test_the_bundled_config_is_a_commune_centre():
    config = load_config(BUNDLED_CONFIG)
    assert len(config.services) == 8
    assert len(config.counters) == 6
    assert any(len(c.services) > 1 for c in config.counters)
    assert config.office.timezone == "Asia/Ho_Chi_Minh"
    assert [c.code for c in config.priority_categories] == ["NCT", "NKT", "PNMT", "NCC"]
    assert config.path == BUNDLED_CONFIG


@pytest.mark.parametrize("change, key, problem", [
    (('prefix = "1" ', 'prefix = 1 '), "services[0].prefix", "must be text"),
    (('opening = "07:30"', 'opening = "7h30"'), "office.opening", "time of day"),
    (('services = ["TP", "CT"]', 'services = ["TP", "XX"]'), "counters[1].services",
     'no service with code "XX"'),
    (('priority_run = 2 ', 'priority_run = "two" '), "policy.priority_run", "whole number"),
    (('code = "CT"', 'code = "TP"'), "services[1].code", '"TP" is already used by services[0]'),
    (('four = "tư"', 'four = "bon"'), "announcement.four", '"tư" or "bốn"'),
    (('[policy]', '[policy]\nbogus = 1\n'), "policy.bogus", "unknown key"),
])
def test_a_bad_value_is_named_with_its_key(tmp_path, change, key, problem):
    old, new = change
    assert old in GOOD
    path = tmp_path / "layso.toml"
    path.write_text(GOOD.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ConfigError) as e:
        load_config(path)
    text = str(e.value)
    assert text.startswith(f"{path}: {key}:")
    assert problem in text


def test_layso_server_with_a_bad_config_stops_with_one_line(tmp_path):
    path = tmp_path / "layso.toml"
    path.write_text(GOOD.replace('opening = "07:30"', 'opening = "25:00"'), encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "layso.cli", "server", "--config", str(path),
                        "--data-dir", str(tmp_path / "d"), "--port", "0"],
                       capture_output=True, text=True, timeout=60, check=False)
    assert r.returncode == 2
    expected = (f'layso: {path}: office.opening: phải là giờ dạng "07:30", không phải "25:00" '
                f'(must be a time of day like "07:30", not "25:00")')
    assert r.stderr.strip().splitlines() == [expected]
