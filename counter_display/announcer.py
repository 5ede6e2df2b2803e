"""The announcement queue: which calls are spoken, and speaking them one after another.

Each call becomes a chime and then the server's sentence, `repeat` times. Calls go into
one queue played by one worker thread, so a burst is heard in call order, nothing
overlaps and nothing is dropped. Sentences are synthesised on a second thread as soon
as they are queued, so the chime starts at once and the voice is usually ready when
the chime ends.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import queue
import tempfile
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from layso.counter_display.audio import Player

log = logging.getLogger(__name__)

# A call replayed after a reconnect is spoken only if it is younger than this.
MAX_REPLAY_AGE_S = 60.0
SYNTHESIS_TIMEOUT_S = 30.0
CACHED_SENTENCES = 200


class Voice(Protocol):
    def synthesize(self, sentence: str, out_wav: Path) -> Path:
        """Write the sentence as a WAV file (no chime) and return its path."""


@dataclass(frozen=True)
class Announcement:
    sentence: str
    repeat: int
    ticket_number: str = ""
    counter_number: int | None = None
    recall: bool = False


def _parse_time(value: object) -> dt.datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        when = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return when if when.tzinfo else None


def announcement_for(data: dict, *, replayed: bool, server_now: dt.datetime, repeat: int,
                     only_counter: int | None = None,
                     max_replay_age_s: float = MAX_REPLAY_AGE_S) -> Announcement | None:
    """What to say for one `ticket.called` event, or None when it should stay silent.

    Live calls are always spoken. A call replayed after a reconnect is spoken only when
    the server's timestamp says it is less than a minute old: `at` (when the event was
    made, which a recall also sets) or else the ticket's `called_at`.
    """
    sentence = str(data.get("announcement") or "").strip()
    ticket = data.get("ticket") or {}
    counter = data.get("counter") or {}
    counter_number = counter.get("number")
    if not sentence:
        return None
    if only_counter is not None and counter_number != only_counter:
        return None
    if replayed:
        when = _parse_time(data.get("at")) or _parse_time(ticket.get("called_at"))
        if when is None or (server_now - when).total_seconds() > max_replay_age_s:
            return None
    return Announcement(sentence=sentence, repeat=max(1, repeat),
                        ticket_number=str(ticket.get("number") or ""),
                        counter_number=counter_number, recall=bool(data.get("recall")))


class Announcer:
    """Speaks announcements strictly in the order submitted, one at a time."""

    def __init__(self, voice: Voice | None, player: Player, chime: Path | None) -> None:
        self._voice = voice
        self._player = player
        self._chime = chime
        self._queue: queue.Queue[tuple[Announcement, Future[Path | None]] | None] = \
            queue.Queue()
        self._synth = ThreadPoolExecutor(max_workers=1, thread_name_prefix="announcer-voice")
        self._workdir = tempfile.TemporaryDirectory(prefix="layso-voice-")
        self._cache: dict[str, Future[Path | None]] = {}
        self._worker = threading.Thread(target=self._run, name="announcer", daemon=True)
        self._worker.start()

    def submit(self, announcement: Announcement) -> None:
        """Queue an announcement; returns at once (safe to call from the GUI thread)."""
        self._queue.put((announcement, self._prepare(announcement.sentence)))

    def wait_idle(self, timeout: float | None = None) -> bool:
        """True once everything submitted so far has been played (for tests and shutdown)."""
        done = threading.Event()

        def joiner() -> None:
            self._queue.join()
            done.set()

        threading.Thread(target=joiner, daemon=True).start()
        return done.wait(timeout)

    def stop(self) -> None:
        self._queue.put(None)
        self._worker.join(timeout=5)
        self._synth.shutdown(wait=False, cancel_futures=True)
        self._workdir.cleanup()

    # -- worker side -------------------------------------------------------------------

    def _prepare(self, sentence: str) -> Future[Path | None]:
        future = self._cache.get(sentence)
        if future is None or future.cancelled():
            if len(self._cache) >= CACHED_SENTENCES:
                self._cache.clear()  # files stay in the temp dir until stop(); names are reused
            future = self._synth.submit(self._synthesize, sentence)
            self._cache[sentence] = future
        return future

    def _synthesize(self, sentence: str) -> Path | None:
        if self._voice is None:
            return None
        name = hashlib.sha1(sentence.encode("utf-8")).hexdigest()[:16] + ".wav"
        try:
            return self._voice.synthesize(sentence, Path(self._workdir.name) / name)
        except Exception:  # any voice engine failure: this call stays silent, the queue moves
            log.exception("could not synthesise %r", sentence)
            return None

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            try:
                if item is None:
                    return
                self._speak(*item)
            except Exception:  # a broken sound must not stop the hall's announcements
                log.exception("announcement failed")
            finally:
                self._queue.task_done()

    def _speak(self, announcement: Announcement, sentence_wav: Future[Path | None]) -> None:
        log.info("announcing %s at counter %s%s", announcement.ticket_number,
                 announcement.counter_number, " (recall)" if announcement.recall else "")
        if self._chime is not None:
            self._player.play(self._chime)
        wav = sentence_wav.result(timeout=SYNTHESIS_TIMEOUT_S)
        if wav is None:
            return
        for _ in range(announcement.repeat):
            self._player.play(wav)
