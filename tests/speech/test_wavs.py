"""Clips from any recorder come out as mono 16-bit; the quiet around a recording is cut."""

import array
import wave

import pytest

from layso.counter_display.voice import wavs


def write(path, rate, channels, width, frames: bytes):
    with wave.open(str(path), "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(width)
        w.setframerate(rate)
        w.writeframes(frames)
    return path


def test_8_bit_unsigned_mono(tmp_path):
    pcm = wavs.read_wav(write(tmp_path / "a.wav", 8000, 1, 1, bytes([128, 255, 0])))
    assert (pcm.rate, list(pcm.samples)) == (8000, [0, 127 << 8, -128 << 8])


def test_24_bit_stereo_is_averaged_to_mono(tmp_path):
    # left 0x123456 and right 0x010203 (little-endian), then left -1 and right -0x010000
    frames = bytes([0x56, 0x34, 0x12, 0x03, 0x02, 0x01, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0xFF])
    pcm = wavs.read_wav(write(tmp_path / "b.wav", 48000, 2, 3, frames))
    assert list(pcm.samples) == [(0x1234 + 0x0102) // 2, (-1 + -256) // 2]


def test_32_bit_keeps_the_high_half(tmp_path):
    frames = array.array("i", [0x7FFF0000, -0x10000]).tobytes()
    assert list(wavs.read_wav(write(tmp_path / "c.wav", 16000, 1, 4, frames)).samples) == [32767, -1]


def test_not_a_wav_is_refused_with_its_name(tmp_path):
    (tmp_path / "x.wav").write_bytes(b"RIFF....MP3?")
    with pytest.raises(wavs.WavError, match="x.wav"):
        wavs.read_wav(tmp_path / "x.wav")


def test_resampling_keeps_the_duration_and_a_ramp_stays_a_ramp():
    ramp = wavs.Pcm(8000, array.array("h", range(0, 8000, 1)))
    up = wavs.resample(ramp, 16000)
    assert len(up.samples) == 16000
    assert list(up.samples[:5]) == [0, 0, 1, 2, 2]  # halfway points rounded to even


def test_trim_cuts_the_quiet_and_keeps_a_little_around_the_sound():
    quiet, loud = [0] * 1000, [5000] * 300
    pcm = wavs.Pcm(1000, array.array("h", quiet + loud + quiet))
    trimmed = wavs.trim_silence(pcm, keep_s=0.05)
    assert list(trimmed.samples) == [0] * 50 + loud + [0] * 50


def test_silence_trims_to_nothing():
    assert wavs.trim_silence(wavs.Pcm(1000, array.array("h", [10] * 500))).seconds == 0
