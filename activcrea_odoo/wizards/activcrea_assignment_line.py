from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from ..rules import assignment as rules
from .activcrea_assignment import CATEGORY_NUMBERS, local_time


class ActivcreaAssignmentLine(models.TransientModel):
    """One registrant of the assignment table: their meeting created by the import and
    the counselors proposed for it."""

    _name = "activcrea.assignment.line"
    _description = "Registrant to assign"
    _order = "start, site_id, id"

    assignment_id = fields.Many2one(
        "activcrea.assignment", required=True, ondelete="cascade", index=True
    )
    # set null: a meeting removed by someone else meanwhile is reported when applying
    event_id = fields.Many2one("calendar.event", string="Imported meeting", ondelete="set null")
    partner_id = fields.Many2one("res.partner", string="Registrant", readonly=True)
    resource_id = fields.Many2one(related="assignment_id.resource_id")
    ods_id = fields.Many2one(related="assignment_id.ods_id", string="ODS")
    site_id = fields.Many2one("activcrea.site", readonly=True)
    start = fields.Datetime("Date and time", readonly=True)
    proposal_ids = fields.One2many(
        "activcrea.assignment.proposal", "line_id", string="Proposed counselors"
    )
    proposal_id = fields.Many2one(
        "activcrea.assignment.proposal",
        string="Counselor",
        compute="_compute_proposal_id",
        store=True,
        readonly=False,
        domain="[('line_id', '=', id)]",
        help="The proposals are ranked in the guide's four categories: the first one is chosen "
        "unless you choose another.",
    )
    category = fields.Selection(related="proposal_id.category")
    explanation = fields.Text(related="proposal_id.explanation")
    warning = fields.Text(related="proposal_id.warning")
    proposal_count = fields.Integer("Proposals", compute="_compute_proposal_count")
    remove_imported_event = fields.Boolean(
        "Remove the imported meeting",
        help="The registrant joins the counselor's slot at another time than France "
        "Travail's list: tick to remove the meeting created by the import (otherwise the "
        "registrant keeps both, and you remove the wrong one later).",
    )

    @api.depends("proposal_ids.rank")
    def _compute_proposal_id(self):
        for line in self:
            line.proposal_id = line.proposal_ids.sorted("rank")[:1]

    @api.depends("proposal_ids")
    def _compute_proposal_count(self):
        for line in self:
            line.proposal_count = len(line.proposal_ids)

    def action_apply(self):
        """The row's button: apply its chosen proposal."""
        self.ensure_one()
        if not self.proposal_id:
            raise self._no_proposal_error()
        return self.assignment_id._apply(self)

    def _no_proposal_error(self):
        return UserError(
            self.env._(
                "%(person)s: no counselor to propose. Plan a slot at %(site)s, or give the site "
                "to a counselor (tab Activ'Créa of the user), then show the table again.",
                person=self.partner_id.name,
                site=self.site_id.name,
            )
        )

    def _apply_proposal(self):
        """Write the chosen proposal; return what was done, in the user's words."""
        self.ensure_one()
        proposal = self.proposal_id
        user = proposal.user_id
        meeting = self.event_id
        person = self.partner_id
        listed = local_time(meeting.start)
        site = meeting.activcrea_site_id.name
        confirmed = any(
            meeting.attendee_ids.filtered(lambda a: a.partner_id == person).mapped(
                "activcrea_confirmed"
            )
        )
        category = CATEGORY_NUMBERS[proposal.category]
        if category in (rules.SLOT_SAME_TIME, rules.SLOT_OTHER_TIME):
            slot = proposal.slot_id
            slot.write({"partner_ids": [Command.link(person.id)]})
            if confirmed:
                slot.attendee_ids.filtered(lambda a: a.partner_id == person).write(
                    {"activcrea_confirmed": True}
                )
            remove = category == rules.SLOT_SAME_TIME or self.remove_imported_event
            values = {
                "person": person.name,
                "counselor": user.name,
                "time": local_time(slot.start),
                "site": slot.activcrea_site_id.name,
                "listed": listed,
            }
            if category == rules.SLOT_SAME_TIME:
                message = self.env._(
                    "%(person)s: added to the slot of %(counselor)s on %(time)s at %(site)s; "
                    "the meeting created by the import was removed.",
                    **values,
                )
            elif remove:
                message = self.env._(
                    "%(person)s: added to the slot of %(counselor)s on %(time)s at %(site)s, "
                    "not at the time of France Travail's list (%(listed)s): tell the "
                    "registrant. The meeting created by the import was removed.",
                    **values,
                )
            else:
                message = self.env._(
                    "%(person)s: added to the slot of %(counselor)s on %(time)s at %(site)s, "
                    "not at the time of France Travail's list (%(listed)s): tell the "
                    "registrant. The meeting created by the import (%(listed)s) was kept: "
                    "remove the wrong one.",
                    **values,
                )
            if remove:
                meeting.unlink()
            else:
                meeting.write({"activcrea_to_assign": False})
        else:
            meeting.write(
                {
                    "user_id": user.id,
                    "partner_ids": [Command.link(user.partner_id.id)],
                    "activcrea_to_assign": False,
                }
            )
            message = self.env._(
                "%(person)s: the meeting of %(time)s at %(site)s is now in the agenda of "
                "%(counselor)s.",
                person=person.name,
                time=listed,
                site=site,
                counselor=user.name,
            )
            if category == rules.OTHER_SITE:
                message += " " + self.env._(
                    "Mind the place: %(counselor)s works at %(sites)s.",
                    counselor=user.name,
                    sites=", ".join(user.activcrea_site_ids.mapped("name")),
                )
        # the counselor becomes the referent: the wizard's _set_referents, once for every row
        return message
