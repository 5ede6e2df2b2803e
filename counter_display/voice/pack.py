"""A recorded voice pack: a folder of WAV clips, one per word or phrase, joined into a call.

Clip files are named by an ASCII spelling of what they say, in Telex (the way every
Vietnamese keyboard types): tone letter at the end of each word, words joined by "-",
e.g. "mười" → muwowif.wav, "mươi" → muwowi.wav, "mốt" → moots.wav, "đến quầy số" →
ddeens-quaayf-soos.wav. Plain ASCII survives every USB stick, zip tool and file system,
and unlike dropping the accents it keeps mười and mươi apart.

`manifest.json` ({"clips": {"phrase": "file.wav"}}), written by `layso voice record`,
adds phrases of an office's own template and may point a phrase at any file name.
Without it the standard words are still found by their Telex names.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

from layso.common.speech import LETTER_NAMES, SpeechOptions, nfc, spoken_words, vocabulary
from layso.counter_display.voice import wavs
from layso.counter_display.voice.errors import VoiceError

MANIFEST = "manifest.json"
# Silence between two clips: enough to hear the words apart, short enough to flow.
GAP_S = 0.08
DEFAULT_OPTIONS = SpeechOptions()

_TONES = {"\u0301": "s", "\u0300": "f", "\u0309": "r", "\u0303": "x", "\u0323": "j"}
_CIRCUMFLEX, _BREVE, _HORN = "\u0302", "\u0306", "\u031b"


def _telex_word(word: str) -> str:
    out, tone = "", ""
    for char in word:
        if char == "đ":
            out += "dd"
            continue
        base, *marks = unicodedata.normalize("NFD", char)
        out += base
        for mark in marks:
            if mark in _TONES:
                tone = _TONES[mark]
            elif mark == _CIRCUMFLEX:
                out += base
            elif mark in (_BREVE, _HORN):
                out += "w"
    return "".join(c for c in out + tone if c.isascii() and c.isalnum())


def clip_filename(phrase: str) -> str:
    """The file a phrase's clip is stored in: "đến quầy số" → "ddeens-quaayf-soos.wav"."""
    words = [_telex_word(w) for w in spoken_words(phrase)]
    return "-".join(w for w in words if w) + ".wav"


def standard_phrases() -> list[str]:
    """Every word a call can need under any option, every letter name, the default phrases."""
    everything = SpeechOptions(four="bốn", zero_tens="lẻ", thousand="ngàn")
    return list(dict.fromkeys(
        vocabulary(SpeechOptions()) + vocabulary(everything, letters="".join(LETTER_NAMES))
    ))


def read_manifest(pack_dir: Path) -> dict[str, str]:
    path = Path(pack_dir) / MANIFEST
    if not path.is_file():
        return {}
    try:
        clips = json.loads(path.read_text(encoding="utf-8"))["clips"]
        return {" ".join(spoken_words(phrase)): str(name) for phrase, name in clips.items()}
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise VoiceError(f"{path}: not a voice-pack manifest ({error})") from None


def write_manifest(pack_dir: Path, clips: dict[str, str]) -> Path:
    """Add `clips` (phrase → file name) to the pack's manifest, keeping what it had."""
    path = Path(pack_dir) / MANIFEST
    merged = {**read_manifest(pack_dir), **{nfc(k): v for k, v in clips.items()}}
    path.write_text(
        json.dumps({"clips": dict(sorted(merged.items()))}, ensure_ascii=False, indent=2) + "\n",
        encoding="utf-8",
    )
    return path


def clip_path(pack_dir: Path, phrase: str, manifest: dict[str, str] | None = None) -> Path:
    manifest = read_manifest(pack_dir) if manifest is None else manifest
    phrase = " ".join(spoken_words(phrase))
    return Path(pack_dir) / (manifest.get(phrase) or clip_filename(phrase))


def available_clips(pack_dir: Path) -> dict[str, Path]:
    """Phrase → clip file, for every clip the pack holds."""
    manifest = read_manifest(pack_dir)
    found = {}
    for phrase in dict.fromkeys([*standard_phrases(), *manifest]):
        path = clip_path(pack_dir, phrase, manifest)
        if path.is_file():
            found[phrase] = path
    return found


def missing_clips(
    pack_dir: Path, options: SpeechOptions = DEFAULT_OPTIONS, letters: str = "",
) -> list[str]:
    """The words and phrases a call may need (with these options and prefix letters) that
    the pack has no clip for, in recording order."""
    available = available_clips(Path(pack_dir))
    return [phrase for phrase in vocabulary(options, letters) if phrase not in available]


def _longest_match(words: list[str], start: int, phrases: set[str], longest: int) -> int:
    """How many words from `start` make the longest phrase in `phrases`; 0 if none."""
    for length in range(min(longest, len(words) - start), 0, -1):
        if " ".join(words[start:start + length]) in phrases:
            return length
    return 0


class VoicePack:
    """A folder of clips that speaks any sentence made of the words it holds."""

    def __init__(self, pack_dir: Path, gap_s: float = GAP_S) -> None:
        self.pack_dir = Path(pack_dir)
        if not self.pack_dir.is_dir():
            raise VoiceError(f"no voice pack at {self.pack_dir}: not a folder")
        self.gap_s = gap_s

    def clips_for(self, sentence: str) -> list[Path]:
        """The clips that say the sentence, in order (longest phrase first at each word)."""
        available = available_clips(self.pack_dir)
        known = set(available) | set(standard_phrases())
        longest = max(len(p.split()) for p in known)
        words = spoken_words(sentence)
        clips, missing = [], []
        start = 0
        while start < len(words):
            length = _longest_match(words, start, set(available), longest)
            if length:
                clips.append(available[" ".join(words[start:start + length])])
            else:  # name the whole known phrase that is missing, not just its first word
                length = _longest_match(words, start, known, longest) or 1
                missing.append(" ".join(words[start:start + length]))
            start += length
        if missing:
            listed = ", ".join(f'"{p}" ({clip_filename(p)})' for p in dict.fromkeys(missing))
            raise VoiceError(
                f"the voice pack {self.pack_dir} has no clip for {listed}; "
                f"record them with: layso voice record {self.pack_dir}"
            )
        return clips

    def synthesize(self, sentence: str, out_wav: Path) -> Path:
        parts = []
        for clip in self.clips_for(sentence):
            try:
                parts.append(wavs.read_wav(clip))
            except wavs.WavError as error:
                raise VoiceError(f"voice pack clip unusable: {error}") from None
        if not parts:
            raise VoiceError(f"nothing to say in {sentence!r}")
        return wavs.write_wav(Path(out_wav), wavs.join(parts, self.gap_s))
