"""`layso say` and `layso voice record|check`: hear a call, build and check a voice pack.

Imports stay light here (this module is loaded to build the `layso` parser): Qt and
pyttsx3 load inside the commands.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import tomllib
from pathlib import Path

from layso.common.speech import SpeechOptions, announcement

BUNDLED_CONFIG = Path(__file__).resolve().parents[1] / "config" / "layso.toml"


def register(sub: argparse._SubParsersAction) -> None:
    """Add this package's subcommands to `layso`."""
    say = sub.add_parser(
        "say", help="câu mời gọi số, in ra và đọc (print and speak the announcement)",
        description="Print the sentence the hall speaks for NUMBER at counter N (the same "
                    "words as the server's ticket.called event); write it as a WAV with "
                    "--wav, else play it on the default sound output.",
    )
    say.add_argument("number", metavar="NUMBER", help='the printed number, e.g. "1005" or "A005"')
    say.add_argument("--counter", required=True, metavar="N", help="the counter's number")
    say.add_argument("--wav", type=Path, metavar="FILE", help="write the spoken sentence here")
    say.add_argument("--voice", default="tts", metavar="tts|tts:VOICE|PACK_DIR",
                     help='"tts" (default), "tts:vi-vn-x-south" or a voice-pack folder')
    _add_config(say)
    say.set_defaults(func=_say)

    voice = sub.add_parser("voice",
                           help="thu âm, kiểm tra bộ giọng đọc (record or check a voice pack)")
    voice_sub = voice.add_subparsers(dest="voice_command", required=True, metavar="ACTION")
    check = voice_sub.add_parser(
        "check", help="list the clips a voice pack lacks (exit 1 if any)",
        description="List every word or phrase the announcements need that PACK_DIR has no "
                    "clip for, with its file name; exit 1 if any is missing.",
    )
    record = voice_sub.add_parser(
        "record", help="record the clips of a voice pack with the microphone",
        description="Show each word or phrase, record it (Enter to start and stop), play it "
                    "back, redo or go on. Clips are saved in PACK_DIR.",
    )
    record.add_argument("--missing", action="store_true", help="only the clips not yet recorded")
    for parser, func in ((check, _check), (record, _record)):
        parser.add_argument("pack_dir", type=Path, metavar="PACK_DIR")
        parser.add_argument("--letters", metavar="LETTERS",
                            help="prefix letters to include, e.g. AB (default: the letters of "
                                 "the services' prefixes in the config)")
        _add_config(parser)
        parser.set_defaults(func=func)


def _add_config(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", type=Path, metavar="FILE",
                        help="config file (default: $LAYSO_CONFIG, else the bundled one); "
                             "its [announcement] table sets the template and the options")


class _ConfigError(Exception):
    pass


def _read_config(path: Path | None) -> tuple[SpeechOptions, str]:
    """The [announcement] options and the letters of the services' prefixes."""
    path = path or Path(os.environ.get("LAYSO_CONFIG") or BUNDLED_CONFIG)
    try:
        config = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise _ConfigError(f"{path}: {error}") from None
    try:
        options = SpeechOptions.from_config(config.get("announcement", {}))
    except ValueError as error:
        raise _ConfigError(f"{path}: [announcement] {error}") from None
    prefixes = "".join(str(s.get("prefix", "")) for s in config.get("services", []))
    return options, "".join(dict.fromkeys(c for c in prefixes.upper() if c.isalpha()))


def _fail(command: str, message: str, code: int = 1) -> int:
    print(f"layso {command}: {message}", file=sys.stderr)
    return code


def _say(args: argparse.Namespace) -> int:
    from layso.counter_display.voice import VoiceError, make_voice

    try:
        options, _ = _read_config(args.config)
        sentence = announcement(args.number, args.counter, options)
    except (_ConfigError, ValueError) as error:
        return _fail("say", str(error), 2)
    print(sentence, flush=True)
    try:
        voice = make_voice(args.voice)
        if args.wav:
            voice.synthesize(sentence, args.wav)
            print(f"layso say: wrote {args.wav}", file=sys.stderr)
            return 0
        return _play(voice, sentence)
    except VoiceError as error:
        return _fail("say", str(error))


def _play(voice: object, sentence: str) -> int:
    from layso.counter_display.voice.playback import play, sound_output_name

    output = sound_output_name()
    if output is None:
        return _fail("say", "no sound output on this machine, nothing played; "
                            "write the audio with --wav FILE instead")
    with tempfile.TemporaryDirectory(prefix="layso-say-") as folder:
        wav = voice.synthesize(sentence, Path(folder) / "say.wav")
        print(f"layso say: playing on {output}", file=sys.stderr)
        play(wav)
    return 0


def _check(args: argparse.Namespace) -> int:
    from layso.counter_display.voice import VoiceError, clip_filename, missing_clips

    try:
        options, prefix_letters = _read_config(args.config)
        missing = missing_clips(args.pack_dir, options, _letters(args, prefix_letters))
    except (_ConfigError, VoiceError) as error:
        return _fail("voice check", str(error), 2)
    if not missing:
        print(f"{args.pack_dir}: every clip is there")
        return 0
    print(f"{args.pack_dir}: {len(missing)} clip(s) missing:")
    for phrase in missing:
        print(f"  {clip_filename(phrase):48} {phrase}")
    return 1


def _letters(args: argparse.Namespace, prefix_letters: str) -> str:
    letters = prefix_letters if args.letters is None else args.letters
    return "".join(dict.fromkeys(c for c in letters.upper() if c.isalpha()))


def _record(args: argparse.Namespace) -> int:
    from layso.common.speech import vocabulary
    from layso.counter_display.voice import VoiceError, missing_clips
    from layso.counter_display.voice.playback import play, sound_output_name
    from layso.counter_display.voice.record import QtMicrophone, RecordingSession

    try:
        options, prefix_letters = _read_config(args.config)
        letters = _letters(args, prefix_letters)
        phrases = (missing_clips(args.pack_dir, options, letters) if args.missing
                   else vocabulary(options, letters))
        microphone = QtMicrophone()
    except _ConfigError as error:
        return _fail("voice record", str(error), 2)
    except VoiceError as error:
        return _fail("voice record", str(error))
    speaker = play if sound_output_name() is not None else None
    print(f"{len(phrases)} clip(s) to record into {args.pack_dir}. Speak clearly, at the "
          "pace of a call; each clip is cut to the sound.")
    try:
        RecordingSession(args.pack_dir, microphone, speaker).run(phrases)
    except EOFError:
        return _fail("voice record", "input ended (run it in a terminal)")
    return 0
