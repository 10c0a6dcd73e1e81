# pylint: disable=consider-merging-classes-inherited
# (the registration side of the enrolment, kept apart from the tracking model)
from markupsafe import Markup, escape

from odoo import Command, api, fields, models

from ..rules import mailing

QUESTIONNAIRE_STATES = [
    ("none", "No questionnaire"),
    ("new", "Not answered"),
    ("in_progress", "Partly answered"),
    ("done", "Answered"),
]


class ActivcreaEnrolment(models.Model):
    """The registration side of the enrolment: its meeting, the automatic e-mails, the
    pre-appointment questionnaire and the cancellation of a registration France Travail
    did not confirm."""

    _inherit = "activcrea.enrolment"

    activcrea_meeting_id = fields.Many2one(
        "calendar.event",
        string="Registered meeting",
        ondelete="set null",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The meeting France Travail's list registered the person to; the automatic "
        "e-mails count their days from it.",
    )
    activcrea_registered_on = fields.Date(
        "Registered on", readonly=True, copy=False, help="Day of the import that registered."
    )
    activcrea_cancelled_on = fields.Datetime(
        "Registration cancelled on",
        readonly=True,
        copy=False,
        help="France Travail did not confirm the registration at J-2: it was cancelled.",
    )
    activcrea_mail_log_ids = fields.One2many(
        "activcrea.mail.log", "enrolment_id", string="Automatic e-mails", readonly=True
    )
    survey_user_input_id = fields.Many2one(
        "survey.user_input",
        string="Questionnaire answers",
        ondelete="set null",
        readonly=True,
        copy=False,
        groups="survey.group_survey_user",
    )
    questionnaire_state = fields.Selection(
        QUESTIONNAIRE_STATES,
        string="Questionnaire",
        compute="_compute_questionnaire_state",
        store=True,
        index=True,
        compute_sudo=True,
        help="The pre-appointment questionnaire the person answers from the portal.",
    )
    questionnaire_url = fields.Char(compute="_compute_questionnaire", compute_sudo=True)
    activcrea_questionnaire_full_url = fields.Char(
        compute="_compute_questionnaire", compute_sudo=True
    )
    activcrea_presentation_url = fields.Char(compute="_compute_activcrea_presentation_url")
    questionnaire_answers = fields.Html(
        "Answers", compute="_compute_questionnaire", compute_sudo=True, sanitize=False
    )

    @api.depends("survey_user_input_id.state")
    def _compute_questionnaire_state(self):
        for enrolment in self:
            answer = enrolment.survey_user_input_id
            enrolment.questionnaire_state = answer.state if answer else "none"

    @api.depends("survey_user_input_id.user_input_line_ids")
    def _compute_questionnaire(self):
        for enrolment in self:
            answer = enrolment.survey_user_input_id
            enrolment.questionnaire_url = answer.get_start_url() if answer else False
            enrolment.activcrea_questionnaire_full_url = (
                enrolment.get_base_url() + enrolment.questionnaire_url
                if answer
                else False
            )
            enrolment.questionnaire_answers = enrolment._questionnaire_html(answer)

    def _compute_activcrea_presentation_url(self):
        url = self.env["ir.config_parameter"].sudo().get_param("activcrea_odoo.presentation_url")
        for enrolment in self:
            enrolment.activcrea_presentation_url = url or False

    def _questionnaire_html(self, answer):
        """The questions and the person's answers, for the counselor (who has no access to
        the survey app)."""
        if not answer or not answer.user_input_line_ids:
            return False
        rows = []
        by_question = answer.user_input_line_ids.filtered(lambda line: not line.skipped).grouped(
            "question_id"
        )
        for question in answer.survey_id.question_ids.filtered(lambda q: not q.is_page):
            lines = by_question.get(question)
            if not lines:
                continue
            values = ", ".join(
                str(line.display_name if line.answer_type == "suggestion" else line._get_answer_value())
                for line in lines
            )
            rows.append(
                Markup("<dt>%s</dt><dd>%s</dd>") % (escape(question.title), escape(values))
            )
        return Markup("<dl>%s</dl>") % Markup().join(rows)

    def action_open_questionnaire_answers(self):
        """The printable answers (survey's own page), for the counselor."""
        self.ensure_one()
        answer = self.sudo().survey_user_input_id
        if not answer:
            return False
        return {"type": "ir.actions.act_url", "url": answer.get_print_url(), "target": "new"}

    # Questionnaire and registration -----------------------------------------------------
    def _activcrea_prepare_questionnaires(self):
        """One answer (with its access token) per enrolment whose offer has a questionnaire."""
        todo = self.sudo().filtered(
            lambda e: e.ods_id.survey_id and not e.survey_user_input_id and e.active
        )
        answers = self.env["survey.user_input"].sudo().create(
            [
                {
                    "survey_id": enrolment.ods_id.survey_id.id,
                    "partner_id": enrolment.partner_id.id,
                    "email": enrolment.partner_id.email,
                    "deadline": enrolment.activcrea_meeting_id.start or False,
                }
                for enrolment in todo
            ]
        )
        for enrolment, answer in zip(todo, answers, strict=True):
            enrolment.survey_user_input_id = answer

    # Cancellation ------------------------------------------------------------------------
    def _activcrea_cancel_registration(self):
        """France Travail did not confirm these registrations at J-2: the person leaves the
        meeting, the enrolment is cancelled (archived), and a person the import created is
        archived with their portal access revoked (deleted after the GDPR delay).

        A meeting the import created for the person (to assign, or assigned since) that
        no entrepreneur attends any more is archived: it leaves the agenda and the
        assignment list, and the cancellation e-mail still reads its date. A list
        imported again leaves cancelled registrations as they are (registrants.decide):
        no new meeting for them."""
        quiet = self.sudo().with_context(
            no_mail_to_attendees=True, mail_notrack=True, tracking_disable=True
        )
        enrolments = self.sudo().filtered(lambda e: not e.activcrea_cancelled_on)
        now = fields.Datetime.now()
        emptied = quiet.env["calendar.event"]
        for event, records in quiet.grouped("activcrea_meeting_id").items():
            if not event:
                continue
            leaving = records.partner_id & event.partner_ids
            if leaving:
                event.write({"partner_ids": [Command.unlink(pid) for pid in leaving.ids]})
            entrepreneurs = event.partner_ids - event.user_id.partner_id
            if event.active and mailing.should_archive_meeting(
                event.activcrea_import_created, len(entrepreneurs)
            ):
                emptied |= event
        emptied.write({"active": False})
        if not enrolments:
            return
        enrolments.with_env(quiet.env).write({"active": False, "activcrea_cancelled_on": now})
        note = self.env._(
            "Registration cancelled: France Travail's validated list carries no order for it."
        )
        # the internal note message_post gave (author: the importing user), in one batch
        enrolments._message_log_batch(dict.fromkeys(enrolments.ids, note))
        people = enrolments.partner_id
        ties = people._activcrea_ties()
        to_archive = people.filtered(
            lambda p: mailing.should_archive_person(p.activcrea_import_created, *ties[p.id])
        )
        to_archive._activcrea_archive_for_cancellation()
