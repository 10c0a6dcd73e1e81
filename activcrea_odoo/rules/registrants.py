"""What importing one registrant row does: which person, which meeting, what changes.

The model reads the existing people, enrolments and meetings once for the whole file and
passes them here as plain dicts; these functions decide row by row without any query.
"""

# pylint: disable=prefer-env-translation
# ``_`` here is the marker of rules/messages.py: the models translate with env._

from .messages import Message, _
from .sites import normalize_address


def person_name(values):
    """« Camille LEFEBVRE »: the person's name in Odoo."""
    return " ".join(filter(None, [values.get("firstname"), values.get("lastname")]))


def listed_name(values):
    """« LEFEBVRE Camille »: the name as France Travail's list gives it."""
    return " ".join(filter(None, [values.get("lastname"), values.get("firstname")]))


def _same_text(one, two):
    return one == two or normalize_address(one) == normalize_address(two)


class PeopleIndex:
    """Existing people by France Travail id, e-mail, and name with birth date."""

    def __init__(self, partners):
        self._by_id = {}
        self._by_ft = {}
        self._by_email = {}
        self._by_name = None  # made when a row is not found otherwise (_names)
        self._birthdates = set()
        for partner in partners:
            self._by_id[partner["id"]] = partner
            if partner.get("france_travail_id"):
                self._by_ft.setdefault(partner["france_travail_id"].upper(), partner)
            if partner.get("email"):
                self._by_email.setdefault(partner["email"].strip().lower(), partner)
            if partner.get("birthdate") and partner.get("name"):
                self._birthdates.add(partner["birthdate"])

    def _names(self):
        """People by normalised name and birth date: a list known by its identifiers
        (the same list again, the J-2 after the J-10) never compares names."""
        if self._by_name is None:
            self._by_name = {}
            for partner in self._by_id.values():
                if partner.get("birthdate") and partner.get("name"):
                    key = (normalize_address(partner["name"]), partner["birthdate"])
                    self._by_name.setdefault(key, partner)
        return self._by_name

    def get(self, partner_id):
        return self._by_id.get(partner_id)

    def find(self, values):
        """Id of the person of the row: by France Travail id, else e-mail, else name and
        birth date; a person already holding another France Travail id never matches."""
        ft_id = values["france_travail_id"]
        partner = self._by_ft.get(ft_id)
        if partner:
            return partner["id"]
        for partner in self._candidates(values):
            if partner and not partner.get("france_travail_id"):
                return partner["id"]
        return None

    def _candidates(self, values):
        """The people the row may be, in the order they are tried (names are compared
        only when someone has that birth date)."""
        if values.get("email"):
            yield self._by_email.get(values["email"])
        birthdate = values.get("birthdate")
        if birthdate and birthdate in self._birthdates:
            for name in (person_name(values), listed_name(values)):
                yield self._names().get((normalize_address(name), birthdate))


class SlotIndex:
    """Planned first-step meetings, by site and start, and who already sits in them."""

    def __init__(self, events, organizer_partners):
        self._events = events
        self._organizer_partners = organizer_partners
        self._at = {}
        self._of_partner = {}
        for event in events:
            self._at.setdefault((event["site_id"], event["start"]), []).append(event)
            for partner_id in event["participants"]:
                self._of_partner.setdefault(partner_id, []).append(event)
        self._taken = set()

    def _entrepreneurs(self, event):
        organizer = self._organizer_partners.get(event["user_id"])
        return event["participants"] - {organizer}

    def choose(self, partner_id, site_id, start):
        """(event id or None to create one, already a participant, events to leave)."""
        here = self._at.get((site_id, start), [])
        chosen, already = None, False
        if partner_id:
            for event in here:
                if partner_id in event["participants"]:
                    chosen, already = event, True
                    break
        if chosen is None:
            for event in here:
                if event["id"] not in self._taken and not self._entrepreneurs(event):
                    chosen = event
                    break
        if chosen is not None:
            self._taken.add(chosen["id"])
        leave = []
        if partner_id:
            # the person's other meetings (in the order given), without a scan of them all
            leave = [
                event["id"]
                for event in self._of_partner.get(partner_id, [])
                if event is not chosen
            ]
        return (chosen["id"] if chosen else None), already, leave


_CIVILITIES = {
    "mme": "madam",
    "madame": "madam",
    "mlle": "madam",
    "m": "mister",
    "monsieur": "mister",
}


def civility(values):
    """ "madam", "mister" or None, from the civility column (Mme, M., Madame...)."""
    return _CIVILITIES.get(normalize_address(values.get("title")))


def partner_values(values, titles=None, lang=None):
    """Values of a new person; ``titles`` maps :func:`civility` codes to title ids.

    ``lang`` is the language the person's e-mails will be written in: the BGE's (its
    company's language), not the one of whoever runs the import; without it the
    person gets Odoo's default.
    """
    title = (titles or {}).get(civility(values))
    result = {
        "title": title or False,
        "name": person_name(values),
        "email": values.get("email") or False,
        "phone": values.get("phone") or False,
        "france_travail_id": values["france_travail_id"],
        "birthdate": values.get("birthdate") or False,
    }
    if lang:
        result["lang"] = lang
    return result


def person_lang(company_lang, user_lang, installed):
    """Language of a person created by the import: the company's, else the importing
    user's, provided it is installed (None: let Odoo choose)."""
    for lang in (company_lang, user_lang):
        if lang and lang in installed:
            return lang
    return None


def partner_changes(values, partner):
    """Fields of the existing person that the row fills or corrects (never erases)."""
    changes = {}
    name = person_name(values)
    if name and not _same_text(name, partner.get("name")):
        changes["name"] = name
    for field in ("email", "france_travail_id", "birthdate"):
        value = values.get(field)
        if value and value != partner.get(field):
            changes[field] = value
    phone = values.get("phone")
    new_phone = "".join(filter(str.isdigit, phone or ""))
    if new_phone and phone != partner.get("phone"):
        current_phone = "".join(filter(str.isdigit, partner.get("phone") or ""))
        if not (current_phone and current_phone[-9:] == new_phone[-9:]):
            changes["phone"] = phone
    return changes


def confirmation(values, list_type, current=None):
    """Confirmed with an order number; not confirmed when the validated list has none."""
    if values.get("order_number"):
        return "confirmed"
    if list_type == "validated":
        return "not_confirmed"
    return current or "pending"


def enrolment_values(values, confirmation_state):
    return {
        "start_date": values["meeting_local"].date(),
        "order_number": values.get("order_number") or False,
        "ft_advisor": values.get("advisor_name") or False,
        "ft_agency_code": values.get("agency_code") or False,
        "confirmation": confirmation_state or "pending",
    }


def enrolment_changes(values, enrolment, site_id, resource_id, confirmation_state):
    wanted = enrolment_values(values, confirmation_state)
    changes = {
        key: value for key, value in wanted.items() if value and value != enrolment.get(key)
    }
    current_site = enrolment.get("site_id")
    if isinstance(current_site, (list, tuple)):
        current_site = current_site[0]
    if site_id != current_site:
        changes["site_id"] = site_id
    current_resource = enrolment.get("resource_id")
    if isinstance(current_resource, (list, tuple)):
        current_resource = current_resource[0]
    if resource_id and resource_id != current_resource:
        changes["resource_id"] = resource_id
    return changes


def _record_id(value):
    """A many2one as search_read gives it: an id, ``(id, name)`` or False."""
    if isinstance(value, (list, tuple)):
        return value[0] if value else None
    return value or None


def is_cancelled(enrolment):
    """The registration was cancelled at J-2 (France Travail did not confirm it)."""
    return bool(enrolment and enrolment.get("activcrea_cancelled_on"))


def cancelled_decision(enrolment, state):
    """A row of a registration cancelled at J-2 that the list still does not confirm
    (the same list imported again, or the J-10 one): nothing changes. The person stays
    out of any meeting (no slot taken, no meeting to assign created) and the row keeps
    the meeting the registration was cancelled from (archived when the import had
    created it for the person)."""
    return {
        "event_id": _record_id(enrolment.get("activcrea_meeting_id")) or False,
        "attendee_ok": True,
        "leave_event_ids": [],
        "confirmation": state,
        "partner_changes": {},
        "enrolment_changes": {},
        "status": "unchanged",
        "messages": [
            Message(
                _(
                    "Registration already cancelled (France Travail did not confirm it): "
                    "nothing to change."
                )
            )
        ],
    }


def decide(values, site_id, partner, enrolment, slots, list_type, resource_id=None, labels=None):
    """The plan of one row: status, messages and the changes to write.

    ``labels`` maps field names to the words the user reads (the model passes them,
    translated, once per import).
    """
    labels = labels or {}
    partner_id = partner["id"] if partner else None
    state = confirmation(values, list_type, enrolment and enrolment.get("confirmation"))
    if state == "not_confirmed" and is_cancelled(enrolment):
        return cancelled_decision(enrolment, state)
    event_id, attendee_ok, leave = slots.choose(partner_id, site_id, values["meeting_utc"])
    messages = []
    decision = {
        "event_id": event_id,
        "attendee_ok": attendee_ok,
        "leave_event_ids": leave,
        "confirmation": state,
        "partner_changes": partner_changes(values, partner) if partner else {},
        "enrolment_changes": (
            enrolment_changes(values, enrolment, site_id, resource_id, state) if enrolment else {}
        ),
    }
    if not partner:
        decision["status"] = "new"
        messages.append(Message(_("New person, enrolled in the offer.")))
    elif not enrolment:
        decision["status"] = "update"
        messages.append(Message(_("Known person: new enrolment in the offer.")))
    elif decision["partner_changes"] or decision["enrolment_changes"] or not attendee_ok or leave:
        decision["status"] = "update"
        changed = set(decision["partner_changes"]) | set(decision["enrolment_changes"])
        if changed:
            names = sorted(labels.get(field, field) for field in changed)
            messages.append(Message(_("Updated: %(fields)s."), {"fields": ", ".join(names)}))
        if leave:
            messages.append(Message(_("The meeting moved: the person leaves the former slot.")))
    else:
        decision["status"] = "unchanged"
        messages.append(Message(_("Already imported: nothing to change.")))
    if event_id is None:
        messages.append(
            Message(
                _("No free slot planned at that site and time: a meeting to assign is created.")
            )
        )
    if state == "not_confirmed":
        messages.append(
            Message(_("No order number in the validated list: the registration is not confirmed."))
        )
    decision["messages"] = messages
    return decision
