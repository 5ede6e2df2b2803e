"""What every part shares, below all of them: the spoken Vietnamese numbers, the HTTP and
event-stream client, and the API's value types (ticket states, roles, device statuses).

Nothing here imports Flask, SQLAlchemy, Qt or another LaySo part: a device machine needs
only the standard library, `requests` and `urllib3` to follow the office. The one
exception is `qt_device`, the Qt helpers the kiosk's and the display's windows share;
only those two packages import it.
"""
