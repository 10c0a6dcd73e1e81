from odoo import api, fields, models

from ..rules import assignment as rules
from ..rules.messages import Message
from .activcrea_assignment import CATEGORY_CODES, CATEGORY_NUMBERS, local_time

# the guide's four categories, in their order, with the labels of the rules
CATEGORIES = [(CATEGORY_CODES[number], rules.LABELS[number]) for number in rules.CATEGORIES]


class ActivcreaAssignmentProposal(models.TransientModel):
    """A counselor proposed for one registrant, in one of the guide's four categories."""

    _name = "activcrea.assignment.proposal"
    _description = "Counselor proposed for a registrant"
    _order = "line_id, rank, id"

    line_id = fields.Many2one(
        "activcrea.assignment.line", required=True, ondelete="cascade", index=True
    )
    rank = fields.Integer(required=True)
    user_id = fields.Many2one("res.users", "Counselor", required=True, ondelete="cascade")
    category = fields.Selection(CATEGORIES, required=True)
    slot_id = fields.Many2one("calendar.event", ondelete="set null")
    slot_start = fields.Datetime("Slot time")
    explanation = fields.Text(compute="_compute_texts")
    warning = fields.Text(compute="_compute_texts")

    @api.depends("category", "slot_start", "user_id", "line_id.site_id")
    def _compute_texts(self):
        for proposal in self:
            number = CATEGORY_NUMBERS.get(proposal.category)
            proposal.explanation = (
                Message(rules.EXPLANATIONS[number]).render(self.env._) if number else False
            )
            template = rules.WARNINGS.get(number)
            proposal.warning = (
                Message(
                    template,
                    {
                        "slot_time": local_time(proposal.slot_start),
                        "sites": ", ".join(proposal.user_id.activcrea_site_ids.mapped("name")),
                        "site": proposal.line_id.site_id.name,
                    },
                ).render(self.env._)
                if template
                else False
            )

    @api.depends("rank", "user_id", "category", "slot_start")
    def _compute_display_name(self):
        labels = dict(self._fields["category"]._description_selection(self.env))
        for proposal in self:
            name = f"{proposal.rank}. {proposal.user_id.name} - {labels.get(proposal.category)}"
            if proposal.category == "slot_other_time":
                name += f" ({local_time(proposal.slot_start)})"
            proposal.display_name = name
