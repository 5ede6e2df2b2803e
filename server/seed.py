"""First start: the config file seeds the office. Later starts add only what is missing.

What the admin pages changed stays as stored; the config never overwrites it. The values
come checked from the settings schema (`server.settings`), so nothing here has a default.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from layso.server.auth import token_hash
from layso.server.config import ConfigError
from layso.server.domain.numbering import ServiceRules
from layso.server.settings import ConfigFile, ServiceSettings, clash, clock_text
from layso.server.snapshots import service_rules
from layso.server.storage.tables import (
    Counter,
    CounterService,
    Device,
    Office,
    PriorityCategory,
    Service,
)


def seed_office(session: Session, config: ConfigFile, now: datetime) -> int:
    """Create or complete the config's office; return its id.

    A field the file adds to an office that already has fields (some made in the admin
    pages) must not print their numbers either: ConfigError, and nothing is stored.
    """
    oc = config.office
    office = session.scalar(select(Office).where(Office.code == oc.code))
    if office is None:
        office = Office(
            code=oc.code, name=oc.name, unit=oc.unit, timezone=oc.timezone,
            opening=clock_text(oc.opening), closing=clock_text(oc.closing),
            settings=config.office_settings().stored(), created_at=now)
        session.add(office)
        session.flush()

    services = {s.code: s for s in session.scalars(
        select(Service).where(Service.office_id == office.id))}
    stored = [(f"{s.code} – {s.name}", service_rules(s)) for s in services.values()]
    for position, sc in enumerate(config.services):
        if sc.code not in services:
            _refuse_clash(config, position, sc, stored)
            service = Service(office_id=office.id, code=sc.code, name=sc.name,
                              name_en=sc.name_en, prefix=sc.prefix,
                              start=sc.start, width=sc.width, daily_cap=sc.daily_cap,
                              cutoff=clock_text(sc.cutoff), open=sc.open, position=position)
            session.add(service)
            services[sc.code] = service
        elif sc.name_en and not services[sc.code].name_en:
            # an English name the file adds later: nothing the admin pages set is replaced
            services[sc.code].name_en = sc.name_en
    session.flush()

    existing = {c.number for c in session.scalars(
        select(Counter).where(Counter.office_id == office.id))}
    for cc in config.counters:
        if cc.number in existing:
            continue
        counter = Counter(office_id=office.id, number=cc.number, name=cc.name, status="open",
                          priority_streak=0)
        session.add(counter)
        session.flush()
        for code in dict.fromkeys(cc.services):
            session.add(CounterService(counter_id=counter.id, service_id=services[code].id))

    codes = set(session.scalars(select(PriorityCategory.code)
                                .where(PriorityCategory.office_id == office.id)))
    for position, category in enumerate(config.priority_categories):
        if category.code not in codes:
            session.add(PriorityCategory(office_id=office.id, code=category.code,
                                         name=category.name, position=position, active=True))

    names = set(session.scalars(select(Device.name).where(Device.office_id == office.id)))
    for dc in config.devices:
        if dc.name not in names:
            session.add(Device(office_id=office.id, name=dc.name, role=dc.role,
                               token_hash=token_hash(dc.token), created_at=now))
    session.flush()
    return office.id


def _refuse_clash(config: ConfigFile, index: int, service: ServiceSettings,
                  stored: list[tuple[str, ServiceRules]]) -> None:
    found = clash(service.rules, stored)
    if found is not None:
        path = getattr(config, "path", "config")
        raise ConfigError(f"{path}: services[{index}].prefix: {found.vi} ({found.en})")
