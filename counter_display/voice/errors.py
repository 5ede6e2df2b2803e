"""The one error a voice raises; its message is meant for the office's technician."""


class VoiceError(Exception):
    """A voice cannot speak: no Vietnamese voice installed, clips missing, bad folder."""
