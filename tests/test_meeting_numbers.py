"""Meetings created at the same time on one case get a number each (issue 7, item 12).

Six requests of the coordinator create a meeting on the Vermeulen case in
parallel, over XML-RPC, on the live server: each meeting has its own number.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

PARALLEL = 6


def test_parallel_meetings_of_a_case_get_distinct_numbers(demo_server, admin):
    case_id = admin.ref("lco_module.case_family")
    # One connection per request, logged in beforehand, started together.
    clients = [demo_server.client("coordinator") for _ in range(PARALLEL)]
    start = threading.Barrier(PARALLEL)

    def create(client):
        start.wait()
        return client.call("lco.meeting", "create", {"case_id": case_id})

    with ThreadPoolExecutor(PARALLEL) as pool:
        futures = [pool.submit(create, client) for client in clients]
    created = [future.result() for future in futures if not future.exception()]
    try:
        assert [future.exception() for future in futures] == [None] * PARALLEL
        meetings = admin.call("lco.meeting", "read", created, ["number"])
        numbers = sorted(meeting["number"] for meeting in meetings)
        assert len(set(numbers)) == PARALLEL, numbers
        earlier = admin.call(
            "lco.meeting",
            "search_read",
            [("case_id", "=", case_id), ("id", "not in", created)],
            fields=["number"],
        )
        assert not {m["number"] for m in earlier} & set(numbers)
    finally:
        clients[0].call("lco.meeting", "unlink", created)
