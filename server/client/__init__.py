"""What the kiosk and the displays use to talk to the server: HTTP and the event stream.

Nothing here imports Flask, SQLAlchemy or the rest of `server`: a device machine needs
only the standard library, `requests` and `urllib3` to follow the office.
"""
