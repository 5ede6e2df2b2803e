"""The server keeps the waiting tickets between requests (server/known_waiting.py): people
ahead stays true when another server process writes to the same database, or when a
move it is not told the details of happens, and a request with them kept reads no line."""

from __future__ import annotations

from layso.server.app import create_app
from layso.server.config import load_config
from tests.support.api_office import CLERK, KIOSK, open_office


def test_a_ticket_issued_by_another_server_counts_for_people_ahead(tmp_path):
    office = open_office(tmp_path)
    other = create_app(load_config(tmp_path / "office.toml"), data_dir=tmp_path / "data",
                       clock=office.clock)  # a second process on the same database
    try:
        first = [office.issue("TP")["waiting_ahead"] for _ in range(3)]
        tp = office.services["TP"]
        for _ in range(2):
            r = other.test_client().post("/api/v1/tickets", json={"service_id": tp},
                                         headers={"Authorization": f"Bearer {KIOSK}"})
            assert r.status_code == 201, r.get_json()
        assert first == [0, 1, 2]
        assert office.issue("TP")["waiting_ahead"] == 5
    finally:
        other.extensions["layso"].db.dispose()
        office.close()


def test_a_transfer_and_a_call_are_seen_by_the_next_issue(tmp_path):
    office = open_office(tmp_path)
    try:
        tickets = [office.issue("DD") for _ in range(3)]   # only counter 3 serves DD
        assert office.issue("TP")["waiting_ahead"] == 0    # counter 1 serves TP alone
        office.act(f"/tickets/{tickets[0]['id']}/transfer", service_id=office.services["TP"])
        assert office.issue("TP")["waiting_ahead"] == 2    # the transferred one kept its time
        office.call(1)
        assert office.issue("TP")["waiting_ahead"] == 2
        assert [t["waiting_ahead"] for t in office.line(1)] == [0, 1, 2]
    finally:
        office.close()


def test_with_the_tickets_kept_an_issue_reads_no_waiting_ticket(tmp_path):
    office = open_office(tmp_path)
    try:
        for _ in range(5):
            office.issue("TP")
        office.count_statements()
        office.issue("TP")
        assert not [s for s in office.statements if "tickets.queued_at" in s
                    and s.lstrip().startswith("SELECT")]
        office.statements.clear()
        office.request("POST", "/tickets/999999/cancel", CLERK)  # refused: nothing moved
        assert office.issue("TP")["waiting_ahead"] == 6
    finally:
        office.close()
