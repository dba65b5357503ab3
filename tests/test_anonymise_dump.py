"""Issue 18: anonymising a case erases the client from the whole database and
the filestore, as the demo users live it over XML-RPC (every call commits):
a request with a decision, a consent, a meeting held with minutes, chatter, a
participant following the meeting, the report sent, a bottleneck; then the case
is closed, anonymised by the manager, and pg_dump finds the client nowhere but
in his own contact."""

import os
import re
import shutil
import subprocess
import uuid
import xmlrpc.client
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

SUFFIX = uuid.uuid4().hex[:8]
NAME = f"Zjoske Vandevelde{SUFFIX}"
PHONE = f"+32 499 {SUFFIX[:2]} {SUFFIX[2:4]} 7{SUFFIX[4:5]}"
EMAIL = f"zjoske.{SUFFIX}@thuis.example"
QUESTION = f"Zjoske wil haar huis houden en haar schulden regelen q{SUFFIX}"
REASON = f"Het hele netwerk moet samen aan tafel r{SUFFIX}"


def _pg_dump():
    found = shutil.which("pg_dump") or "/usr/lib/postgresql/15/bin/pg_dump"
    dump = subprocess.run(
        [
            found,
            "--host",
            os.environ["LCO_DB_HOST"],
            "--username",
            os.environ["LCO_DB_USER"],
            "--data-only",
            "--no-owner",
            os.environ["LCO_DB"],
        ],
        capture_output=True,
        check=True,
        env={**os.environ, "PGPASSWORD": os.environ.get("LCO_DB_PASSWORD", "")},
    )
    return dump.stdout.decode("utf-8", "replace")


def _hits(dump, needles, allowed):
    """(table, line) of the data rows holding one of ``needles``, except the
    rows ``allowed`` (table, first column)."""
    hits = []
    table = None
    lowered = [needle.lower() for needle in needles]
    for line in dump.splitlines():
        copy = re.match(r"COPY (\S+) ", line)
        if copy:
            table = copy.group(1).split(".")[-1]
            continue
        if line == "\\.":
            table = None
            continue
        if not any(needle in line.lower() for needle in lowered):
            continue
        if (table, line.split("\t", 1)[0]) in allowed:
            continue
        hits.append((table, line[:300]))
    return hits


def _filestore():
    return Path(os.environ["LCO_DATA_DIR"]) / "filestore" / os.environ["LCO_DB"]


def _files():
    root = _filestore()
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()}


def _wizard(client, action, values, button):
    wizard_id = client.call(
        action["res_model"], "create", values, context=action.get("context", {})
    )
    return client.call(
        action["res_model"], button, [wizard_id], context=action.get("context", {})
    )


def _post(client, model, res_id, body, **kwargs):
    """message_post over XML-RPC: Odoo 18 returns the message record, which
    XML-RPC cannot send back once the call committed; the message is there."""
    try:
        client.call(
            model,
            "message_post",
            [res_id],
            body=body,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
            **kwargs,
        )
    except xmlrpc.client.Fault as fault:
        if "cannot marshal" not in fault.faultString:
            raise
    assert client.call(
        "mail.message",
        "search",
        [("model", "=", model), ("res_id", "=", res_id), ("body", "ilike", body)],
    )


@pytest.fixture(scope="module")
def manager(demo_server):
    return demo_server.client("manager")


def live_a_case(admin, coordinator, aid_worker):
    """The case of a new client, lived by the demo users."""
    request_id = aid_worker.call(
        "lco.request",
        "create",
        {
            "client_name": NAME,
            "client_phone": PHONE,
            "client_email": EMAIL,
            "client_zip": "3999",
            "question": QUESTION,
            "client_informed": True,
            "client_agrees": True,
        },
    )
    coordinator.call("lco.request", "action_take", [request_id])
    coordinator.call(
        "lco.request",
        "write",
        [request_id],
        {
            "intake_added_value": "yes",
            "intake_open_conversation": "yes",
            "intake_room_to_choose": "yes",
        },
    )
    action = coordinator.call("lco.request", "action_accept", [request_id])
    _wizard(
        coordinator,
        action,
        {"client_choice": "new", "reason": REASON, "send_mail": False},
        "action_accept",
    )
    [request] = coordinator.call("lco.request", "read", [request_id], ["case_id"])
    case_id = request["case_id"][0]
    [case] = coordinator.call("lco.case", "read", [case_id], ["client_id"])
    client_partner_id = case["client_id"][0]

    # The pivot, and the client's consent.
    aid_worker_partner = aid_worker.call(
        "res.users", "read", [aid_worker.uid], ["partner_id"]
    )[0]["partner_id"][0]
    # The requesting aid worker takes part from the start.
    [participant_id] = coordinator.call(
        "lco.participant",
        "search",
        [("case_id", "=", case_id), ("partner_id", "=", aid_worker_partner)],
    )
    coordinator.call("lco.case", "write", [case_id], {"pivot_id": participant_id})
    action = coordinator.call("lco.case", "action_new_consent", [case_id])
    consent_id = action["res_id"]
    coordinator.call(
        "lco.consent",
        "write",
        [consent_id],
        {"date_given": datetime.now(timezone.utc).date().isoformat()},
    )
    coordinator.call("lco.consent", "action_give", [consent_id])
    coordinator.call("lco.case", "action_activate", [case_id])
    _post(coordinator, "lco.case", case_id, f"{NAME} belde vanop {PHONE} ({EMAIL}).")

    # A meeting, followed by the aid worker, held with minutes, reported.
    action = coordinator.call("lco.case", "action_plan_meeting", [case_id])
    meeting_id = action["res_id"]
    start = datetime.now(timezone.utc).replace(tzinfo=None) - timedelta(hours=1)
    coordinator.call(
        "lco.meeting",
        "write",
        [meeting_id],
        {
            "start": start.strftime("%Y-%m-%d %H:%M:%S"),
            "location": f"Bij {NAME} thuis",
        },
    )
    coordinator.call(
        "lco.meeting", "message_subscribe", [meeting_id], [aid_worker_partner]
    )
    coordinator.call(
        "lco.meeting",
        "action_schedule",
        [meeting_id],
        context={"lco_schedule_confirmed": True},
    )
    attendees = coordinator.call(
        "lco.meeting.attendee", "search", [("meeting_id", "=", meeting_id)]
    )
    coordinator.call("lco.meeting.attendee", "write", attendees, {"status": "present"})
    coordinator.call("lco.meeting", "action_hold", [meeting_id])
    coordinator.call(
        "lco.meeting",
        "write",
        [meeting_id],
        {
            "minutes": f"<p>{NAME} vertelt over haar schulden. {QUESTION}</p>",
            "client_perspective": f"{NAME} voelt zich gehoord.",
        },
    )
    action = coordinator.call("lco.meeting", "action_send_report", [meeting_id])
    _wizard(coordinator, action, {}, "action_send_mail")
    _post(
        coordinator,
        "lco.meeting",
        meeting_id,
        f"Kopie voor {NAME}",
        attachments=[[f"verslag {NAME}.txt", f"Verslag voor {NAME}, {PHONE}"]],
    )

    # A bottleneck recorded from the case, in neutral words.
    _wizard(
        coordinator,
        {"res_model": "lco.bottleneck.record", "context": {}},
        {"case_id": case_id, "name": "Te weinig betaalbare huurwoningen"},
        "action_create",
    )
    _wizard(
        coordinator,
        {"res_model": "lco.case.close", "context": {}},
        {
            "case_ids": [[6, 0, [case_id]]],
            "close_reason_id": admin.ref("lco_module.close_reason_goals_reached"),
            "close_note": f"{NAME} heeft een huis.",
        },
        "action_close",
    )
    return case_id, client_partner_id


@pytest.mark.alters_demo
def test_an_anonymised_case_leaves_the_client_nowhere(
    admin, coordinator, aid_worker, manager
):
    files_before = _files()
    case_id, client_partner_id = live_a_case(admin, coordinator, aid_worker)
    needles = (NAME, PHONE, EMAIL, QUESTION, REASON)
    assert _hits(_pg_dump(), needles, set()), "the test can fail"

    action = manager.call("lco.case", "action_open_anonymise_wizard", [case_id])
    _wizard(manager, action, {}, "action_anonymise")

    client_users = admin.call(
        "res.users",
        "search",
        [("partner_id", "=", client_partner_id)],
        context={"active_test": False},
    )
    allowed = {("res_partner", str(client_partner_id))} | {
        ("res_users", str(user_id)) for user_id in client_users
    }
    hits = _hits(_pg_dump(), needles, allowed)
    assert hits == [], "\n".join(f"{table}: {line[:160]}" for table, line in hits)
    # The filestore keeps no file of the case: every file added since is used.
    used = set(
        filter(
            None,
            (
                row["store_fname"]
                for row in admin.call(
                    "ir.attachment",
                    "search_read",
                    ["|", ("res_field", "=", False), ("res_field", "!=", False)],
                    ["store_fname"],
                )
            ),
        )
    )
    added = {
        name for name in _files() - files_before if not name.startswith("checklist")
    }
    assert added - used == set()
    for name in added:
        content = (_filestore() / name).read_bytes().decode("utf-8", "replace")
        assert not any(needle in content for needle in needles), name
