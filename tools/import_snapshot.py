"""What importing France Travail's two example lists writes, as JSON, to compare versions.

Run in an Odoo shell on a database with the addon and its demo data (the demo BGE is the
one of the example files); everything is rolled back at the end:

    SNAPSHOT=/tmp/before.json odoo-bin shell -d DB --no-http < tools/import_snapshot.py
    (change the code, install it in another database)
    SNAPSHOT=/tmp/after.json odoo-bin shell -d DB2 --no-http < tools/import_snapshot.py
    diff /tmp/before.json /tmp/after.json

With ``NO_SLOTS=1`` the demo's Activ'Créa slots are deleted first: every row then gets a
meeting to assign. The J-10 list, then the J-2 list, are imported as the administrator
in French at a fixed date; the snapshot holds each import (state, counts, log, rows), and
every person with a France Travail id: their stored fields, portal users, followers and
messages, their enrolments, their meetings (attendees, followers, messages) and the
e-mails queued for them. Ids and dates of writing are left out; records are named.
"""
# ruff: noqa: F821 - ``env`` is the Odoo shell's
import base64
import json
import os
from pathlib import Path

from freezegun import freeze_time

from odoo.modules import get_module_path

DATA = Path(get_module_path("activcrea_odoo")) / "static" / "tests" / "data"
SKIPPED = {"id", "create_date", "write_date", "message_main_attachment_id", "signup_token"}


def value(record, name):
    field, value = record._fields[name], record[name]
    if field.type == "many2one":
        return ("self" if value == record else value.display_name) if value else False
    if field.type in ("one2many", "many2many"):
        return sorted(value.mapped("display_name"))
    if field.type in ("date", "datetime"):
        return str(value)
    if field.type == "binary":
        return bool(value)
    return value


def stored(record):
    return {
        name: value(record, name)
        for name, field in record._fields.items()
        if field.store and name not in SKIPPED and field.type != "one2many"
    }


def chatter(record):
    return {
        "followers": sorted(record.message_follower_ids.partner_id.mapped("name")),
        "messages": sorted(
            [m.message_type, str(m.body), m.subtype_id.name or "", m.subject or ""]
            for m in record.message_ids
        ),
    }


def snapshot():
    resource = env.ref("activcrea_odoo.resource_ma_2025_0042_lot3")
    admin = env.ref("base.user_admin")
    user_env = env(
        user=admin.id,
        context={
            "lang": "fr_FR",
            "tz": "Europe/Paris",
            "allowed_company_ids": [resource.company_id.id],
        },
    )
    if os.environ.get("NO_SLOTS"):
        env["calendar.event"].search([("activcrea_ods_id", "!=", False)]).unlink()
    result = {}
    with freeze_time("2026-01-02 10:00:00"):
        for name in ("liste_inscrits_J-10.csv", "liste_inscrits_J-2.csv"):
            batch = user_env["activcrea.import"].create(
                {
                    "resource_id": resource.id,
                    "file": base64.b64encode((DATA / name).read_bytes()),
                    "filename": name,
                }
            )
            batch.action_preview()
            batch.action_confirm()
            env.flush_all()
            result[name] = {
                key: batch[key]
                for key in (
                    "state", "log", "list_type", "count_new", "count_update",
                    "count_unchanged", "count_skipped", "count_error", "count_not_confirmed",
                )
            }
            result[name]["rows"] = [
                [
                    line.line_number, line.status, line.message, line.name,
                    line.france_travail_id, line.order_number, line.partner_id.name,
                    line.enrolment_id.display_name, line.event_id.name, line.not_confirmed,
                ]
                for line in batch.line_ids.sorted("line_number")
            ]
    env.invalidate_all()
    people = (
        env["res.partner"]
        .with_context(active_test=False)
        .search([("france_travail_id", "!=", False)], order="france_travail_id")
    )
    result["people"] = [
        stored(person)
        | chatter(person)
        | {"users": sorted(person.with_context(active_test=False).user_ids.mapped("login"))}
        for person in people
    ]
    enrolments = (
        env["activcrea.enrolment"]
        .with_context(active_test=False)
        .search([("partner_id", "in", people.ids)])
    )
    result["enrolments"] = sorted(
        (stored(enrolment) for enrolment in enrolments),
        key=lambda row: (str(row["partner_id"]), str(row["start_date"])),
    )
    events = (
        env["calendar.event"]
        .with_context(active_test=False)
        .search([("partner_ids", "in", people.ids)])
    )
    result["meetings"] = sorted(
        (
            stored(event)
            | chatter(event)
            | {
                "attendees": sorted(
                    [a.partner_id.name, a.state, a.activcrea_confirmed, bool(a.access_token)]
                    for a in event.attendee_ids
                )
            }
            for event in events
        ),
        key=lambda row: (row["start"], row["name"]),
    )
    result["mails"] = sorted(
        [mail.subject or "", sorted(mail.recipient_ids.mapped("name")), mail.state]
        for mail in env["mail.mail"].search([("recipient_ids", "in", people.ids)])
    )
    return result


path = os.environ.get("SNAPSHOT", f"/tmp/import_snapshot_{env.cr.dbname}.json")
data = snapshot()
Path(path).write_text(json.dumps(data, indent=1, sort_keys=True, default=str, ensure_ascii=False))
print(
    f"snapshot written to {path}: {len(data['people'])} people, "
    f"{len(data['enrolments'])} enrolments, {len(data['meetings'])} meetings"
)
env.cr.rollback()
