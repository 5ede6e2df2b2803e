"""The JSON Schemas of what `/api/v1` answers: tickets, counters, services, the office,
the display, and each event type of GET /events. openapi.py puts them in the document;
the request bodies come from bodies.py (the server reads bodies by the same definitions).
"""

from __future__ import annotations

from typing import Any

from layso.common.types import DEVICE_STATUSES, ROLES_DEVICE, ROLES_USER, TicketStatus
from layso.server import bodies

Schema = dict[str, Any]


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: Schema) -> Schema:
    return {"anyOf": [schema, {"type": "null"}]}


def obj(properties: dict[str, Schema], optional: tuple[str, ...] = (),
        description: str = "") -> Schema:
    """A closed object: every property present unless optional, no others allowed."""
    schema: Schema = {
        "type": "object",
        "properties": properties,
        "required": [name for name in properties if name not in optional],
        "additionalProperties": False,
    }
    if description:
        schema["description"] = description
    return schema


ID: Schema = bodies.ID.schema
COUNT: Schema = {"type": "integer", "minimum": 0}
TEXT: Schema = {"type": "string"}
BOOL: Schema = {"type": "boolean"}
TIME: Schema = {"type": "string", "format": "date-time",
                "pattern": r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?[+-]\d\d:\d\d$",
                "description": "ISO 8601 with the office's UTC offset"}
DAY: Schema = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d\d-\d\d$"}
AT: Schema = {**TIME, "description": "when the event happened (office time)"}
CLOCK: Schema = {"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$"}
# stream.py reads a Last-Event-ID of at most 15 digits.
EVENT_ID: Schema = {"type": "integer", "minimum": 0, "maximum": 10 ** 15 - 1}
WAITING: Schema = {"type": "object", "propertyNames": {"pattern": "^[0-9]+$"},
                   "additionalProperties": COUNT,
                   "description": "waiting tickets per service id (as a string key)"}

TICKET_STATUS = [status.value for status in TicketStatus]
DEVICE = obj({"id": ID, "name": TEXT, "role": {"enum": list(ROLES_DEVICE)}})
DEVICE_STATUS: Schema = {"enum": list(DEVICE_STATUSES)}
UNAVAILABLE = ["closed", "capped", "cutoff", "no_counter", "outside_hours"]

SCHEMAS: dict[str, Schema] = {
    "Error": obj({"error": obj({
        "code": {"type": "string", "pattern": "^[a-z][a-z0-9]*(_[a-z0-9]+)*$"},
        "message": {"type": "string", "minLength": 1,
                    "description": "for people; Vietnamese unless Accept-Language: en"},
    })}),
    "Health": obj({"status": {"const": "ok"}}),
    "LoginRequest": obj({"username": {"type": "string", "minLength": 1, "maxLength": 200},
                         "password": {"type": "string", "minLength": 1, "maxLength": 200}}),
    "Login": obj({
        "token": {"type": "string", "minLength": 1},
        "user": obj({"id": ID, "username": TEXT, "role": {"enum": list(ROLES_USER)}}),
    }),
    "Ticket": obj({
        "id": ID,
        "number": {"type": "string", "minLength": 1, "description": "as printed, e.g. 1005"},
        "service_id": ID,
        "service_code": TEXT,
        "service_name": TEXT,
        "priority": nullable({"type": "string", "description": "priority category code"}),
        "priority_name": nullable(TEXT),
        "status": {"enum": TICKET_STATUS},
        "issued_at": TIME,
        "called_at": nullable(TIME),
        "finished_at": nullable(TIME),
        "counter_id": nullable(ID),
        "waiting_ahead": COUNT,
        "estimated_wait_s": nullable(COUNT),
        "business_day": DAY,
        "recall_count": COUNT,
        "dossier_code": nullable({"type": "string", "maxLength": 64,
                                  "description": "mã hồ sơ, given when finishing"}),
        "status_url": {"type": "string", "pattern": "/t/[0-9]+-[a-z2-7]{26}$",
                       "description": "the ticket's status page (its QR); "
                                      "[server] public_url or the request's host"},
    }),
    "CounterRef": obj({"id": ID, "number": {"type": "integer"}, "name": TEXT}),
    "Counter": obj({
        "id": ID,
        "number": {"type": "integer"},
        "name": TEXT,
        "service_ids": {"type": "array", "items": ID},
        "status": {"enum": ["open", "paused", "closed"]},
        "pause_reason": nullable(TEXT),
        "current_ticket": nullable(ref("Ticket")),
    }),
    "Service": obj({
        "id": ID,
        "code": TEXT,
        "name": TEXT,
        "name_en": {**TEXT, "description": "the English name; empty when the office gave none "
                                           "(English screens then show `name`)"},
        "prefix": TEXT,
        "waiting": COUNT,
        "estimated_wait_s": COUNT,
        "open": BOOL,
        "available": BOOL,
        "unavailable_reason": {"enum": [*UNAVAILABLE, None]},
        "unavailable_message": nullable(TEXT),
        "counters": {"type": "array", "items": {"type": "integer"},
                     "description": "numbers of the counters that serve it"},
    }),
    "Office": obj({
        "id": ID,
        "code": TEXT,
        "name": TEXT,
        "unit": TEXT,
        "timezone": TEXT,
        "opening": CLOCK,
        "closing": nullable(CLOCK),
        "now": TIME,
        "business_day": DAY,
        "priority_categories": {"type": "array",
                                "items": obj({"code": TEXT, "name": TEXT})},
        "ticket": obj({"footer": TEXT}),
        "announcement": obj({"repeat": COUNT}),
        "display": obj({"notice": TEXT}),
    }),
    "RecentCall": obj({
        "ticket": ref("Ticket"),
        "counter": nullable(ref("CounterRef")),
        "called_at": TIME,
        "recall": BOOL,
    }),
    "Display": obj({
        "office": obj({"name": TEXT, "unit": TEXT, "timezone": TEXT}),
        "counters": {"type": "array", "items": ref("Counter")},
        "recent_calls": {"type": "array", "items": ref("RecentCall"),
                         "description": "newest first"},
        "waiting": WAITING,
        "services": {"type": "array", "items": ref("Service")},
        "announce_repeat": COUNT,
        "notice": TEXT,
        "last_event_id": {**COUNT, "description": "send as Last-Event-ID to /events"},
    }),
    "CallResult": obj({"ticket": nullable(ref("Ticket"))}),
    "Line": obj({"tickets": {"type": "array", "items": ref("Ticket"),
                             "description": "in the order the counter will call them"}}),
    # The request bodies (LoginRequest, IssueRequest, ...) are bodies.py's: the server
    # reads each body by the same definition.
    **bodies.schemas(),
    "DeviceStatus": obj({"device": DEVICE, "status": DEVICE_STATUS, "message": TEXT}),
    # The `data:` of each event type on GET /events.
    "TicketEvent": obj({
        "ticket": ref("Ticket"),
        "counter": ref("CounterRef"),
        "waiting": WAITING,
        "from_service_id": ID,
        "at": AT,
    }, optional=("counter", "from_service_id"),
        description="ticket.issued, ticket.done, ticket.no_show, ticket.transferred "
                    "(with from_service_id), ticket.cancelled, ticket.reactivated"),
    "TicketCalledEvent": obj({
        "ticket": ref("Ticket"),
        "counter": ref("CounterRef"),
        "waiting": WAITING,
        "recall": BOOL,
        "announcement": {"type": "string", "minLength": 1,
                         "description": "the exact Vietnamese sentence to speak"},
        "out_of_order": BOOL,
        "at": AT,
    }, description="ticket.called"),
    "CounterUpdatedEvent": obj({"counter": ref("Counter"),
                                "action": {"enum": ["pause", "resume"]}, "at": AT},
                               optional=("action",), description="counter.updated"),
    "DayResetEvent": obj({"business_day": DAY, "expired": COUNT, "at": AT},
                         optional=("expired",), description="day.reset"),
    "DeviceStatusEvent": obj({"device": DEVICE, "status": DEVICE_STATUS, "message": TEXT,
                              "at": AT}, description="device.status"),
    "ServicesUpdatedEvent": obj({"services": {"type": "array", "items": ref("Service")},
                                 "at": AT}, description="services.updated"),
    "OfficeUpdatedEvent": obj({"office": ref("Office"), "at": AT},
                              description="office.updated (an admin changed the office's "
                                          "settings)"),
}

EVENT_DATA = {
    "ticket.issued": "TicketEvent", "ticket.called": "TicketCalledEvent",
    "ticket.done": "TicketEvent", "ticket.no_show": "TicketEvent",
    "ticket.transferred": "TicketEvent", "ticket.cancelled": "TicketEvent",
    "ticket.reactivated": "TicketEvent", "counter.updated": "CounterUpdatedEvent",
    "day.reset": "DayResetEvent", "device.status": "DeviceStatusEvent",
    "services.updated": "ServicesUpdatedEvent", "office.updated": "OfficeUpdatedEvent",
}

# One event of GET /events as it travels (OpenAPI 3.1: the schema of an event stream
# describes each event); its `data` is the JSON of the type's schema in EVENT_DATA.
SCHEMAS["StreamEvent"] = {
    "type": "object",
    "required": ["id", "event", "data"],
    "properties": {
        "id": {"type": "string", "pattern": "^[0-9]+$"},
        "event": {"enum": list(EVENT_DATA)},
        "data": {"type": "string", "contentMediaType": "application/json"},
        "retry": {"type": "integer", "minimum": 0},
    },
    "oneOf": [{"properties": {"event": {"const": kind},
                              "data": {"contentSchema": ref(name)}}}
              for kind, name in EVENT_DATA.items()],
}
