"""`layso say` and `layso voice check|record` as a technician runs them."""

import array
import math
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from layso.cli import main
from tests.speech.conftest import wav_frames

ROOT = Path(__file__).resolve().parents[2]


def write_config(path: Path, announcement: str, prefixes: tuple[str, ...] = ("1",)) -> Path:
    services = "".join(
        f'\n[[services]]\ncode = "S{i}"\nname = "Lĩnh vực {i}"\nprefix = "{p}"\n'
        for i, p in enumerate(prefixes)
    )
    path.write_text(f"[announcement]\n{announcement}\n{services}", encoding="utf-8")
    return path


def test_say_prints_the_call_and_writes_it_spoken(tmp_path, capsys):
    wav = tmp_path / "call.wav"
    assert main(["say", "1005", "--counter", "3", "--wav", str(wav)]) == 0
    assert capsys.readouterr().out == (
        "Xin mời công dân có số thứ tự một nghìn không trăm linh năm đến quầy số ba\n"
    )
    rate, _, frames = wav_frames(wav)
    samples = array.array("h", frames)
    assert 2.0 < len(samples) / rate < 12.0
    assert math.sqrt(sum(s * s for s in samples) / len(samples)) / 32768 > 0.03


def test_say_uses_the_config_options(tmp_path, capsys):
    config = write_config(tmp_path / "layso.toml",
                          'four = "bốn"\nthousand = "ngàn"\nzero_tens = "lẻ"\nrepeat = 3')
    wav = tmp_path / "call.wav"
    assert main(["say", "1024", "--counter", "14", "--config", str(config), "--wav", str(wav)]) == 0
    assert capsys.readouterr().out == (
        "Xin mời công dân có số thứ tự một ngàn không trăm hai mươi bốn đến quầy số mười bốn\n"
    )


def test_a_bad_config_key_is_named_with_the_file(tmp_path, capsys):
    config = write_config(tmp_path / "layso.toml", 'thousand = "ngan"')
    assert main(["say", "1", "--counter", "1", "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert str(config) in err and "[announcement] thousand:" in err


def test_say_through_a_pack_gives_the_clips(tts_pack, tmp_path, capsys):
    wav = tmp_path / "call.wav"
    assert main(["say", "A021", "--counter", "2", "--voice", str(tts_pack), "--wav", str(wav)]) == 0
    assert capsys.readouterr().out.startswith("Xin mời công dân có số thứ tự a hai mươi mốt đến")
    rate, _, frames = wav_frames(wav)
    names = ["xin-mowif-coong-daan-cos-soos-thuws-tuwj.wav", "a.wav", "hai.wav", "muwowi.wav",
             "moots.wav", "ddeens-quaayf-soos.wav", "hai.wav"]
    gap = bytes(2 * round(rate * 0.08))
    assert frames == gap.join(wav_frames(tts_pack / n)[2] for n in names)


def test_say_with_an_incomplete_pack_names_the_missing_clip(tts_pack, tmp_path, capsys):
    (tts_pack / "tuw.wav").unlink()
    wav = tmp_path / "call.wav"
    assert main(["say", "24", "--counter", "1", "--voice", str(tts_pack), "--wav", str(wav)]) == 1
    assert '"tư" (tuw.wav)' in capsys.readouterr().err
    assert not wav.exists()


def layso(*args: str) -> subprocess.CompletedProcess:
    """`layso` in its own process: the sound devices are asked through Qt there, so this
    suite's process never holds a Qt application."""
    return subprocess.run([sys.executable, "-m", "layso.cli", *args], check=False, cwd=ROOT,
                          capture_output=True, text=True, timeout=60)


def test_say_plays_the_call_or_explains_there_is_no_sound_output():
    run = layso("say", "7", "--counter", "1")
    assert run.stdout == "Xin mời công dân có số thứ tự bảy đến quầy số một\n"
    if "playing on" in run.stderr:
        assert run.returncode == 0
    else:
        assert run.returncode == 1
        assert "layso say: no sound output on this machine, nothing played; " \
               "write the audio with --wav FILE instead" in run.stderr


def test_check_lists_missing_clips_with_their_file_names(tts_pack, tmp_path, capsys):
    config = write_config(tmp_path / "layso.toml", "", prefixes=("A", "B"))
    assert main(["voice", "check", str(tts_pack), "--config", str(config)]) == 1
    out = capsys.readouterr().out
    assert out.splitlines()[1:] == [f"  {'bee.wav':48} bê"]
    assert main(["voice", "check", str(tts_pack), "--config", str(config), "--letters", "A"]) == 0
    assert "every clip is there" in capsys.readouterr().out


def test_check_of_an_empty_folder_lists_every_clip(tmp_path, capsys):
    assert main(["voice", "check", str(tmp_path), "--letters", ""]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].endswith("22 clip(s) missing:")
    assert out[1].split() == ["xin-mowif-coong-daan-cos-soos-thuws-tuwj.wav", "xin", "mời",
                              "công", "dân", "có", "số", "thứ", "tự"]


def test_record_without_a_microphone_says_so(tmp_path):
    run = layso("voice", "record", str(tmp_path / "pack"))
    if "input ended" in run.stderr:
        pytest.skip("this machine has a microphone")
    assert run.returncode == 1
    assert "layso voice record: Không tìm thấy micrô — no microphone found." in run.stderr
    assert not (tmp_path / "pack").exists()


def test_building_the_layso_parser_loads_neither_qt_nor_pyttsx3():
    code = ("import sys; from layso.cli import build_parser; build_parser(); "
            "print([m for m in ('PySide6', 'pyttsx3') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout
    assert out.strip() == "[]"


def test_say_is_listed_in_layso_help():
    layso = shutil.which("layso", path=str(Path(sys.executable).parent))
    out = subprocess.run([layso, "--help"], capture_output=True, text=True, check=True).stdout
    assert "say" in out and "voice" in out
