from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged

from .common import ImportListMixin

# static/tests/tours/activcrea_portal_tour.js: what the tour types and picks
PROJECT_TEXT = "Ouvrir une boulangerie bio à Armentières"
COMMENT_TEXT = "Disponible le matin"
SIMPLE_CHOICES = [1, 1, 0, 0]  # per simple-choice question, in page order: the answer picked
MULTIPLE_CHOICES = [0, 2]  # the answers ticked in the multiple-choice question


@tagged("post_install", "-at_install")
class TestPortalTour(ImportListMixin, HttpCase):
    """A registrant of France Travail's J-10 list, given portal access by the import,
    answers the pre-appointment questionnaire in a browser (the tour of
    static/tests/tours/activcrea_portal_tour.js, as that portal user); the counselor
    then reads the answers on the enrolment. On the demo BGE (its market, lot and sites
    are those of the example files)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.resource = cls.env.ref(
            "activcrea_odoo.resource_ma_2025_0042_lot3", raise_if_not_found=False
        )
        cls.survey = cls.env.ref("activcrea_odoo.survey_activcrea_diagnostic")
        cls.manager = new_test_user(
            cls.env,
            login="ac_portal_tour_manager",
            groups="base.group_user,activcrea_odoo.group_activcrea_manager",
            tz="Europe/Paris",
        )

    def setUp(self):
        super().setUp()
        if not self.resource:
            self.skipTest("the tour walks the demo BGE: install with demo data")

    def test_portal_user_answers_the_questionnaire(self):
        self.resource.ods_id.survey_id = self.survey
        # the J-10 list, imported as an office manager does
        self._import_list("liste_inscrits_J-10.csv", self.manager)
        camille = self.env["res.partner"].search([("france_travail_id", "=", "1234567A")])
        user = camille.user_ids
        self.assertEqual(len(user), 1, "the import gave Camille portal access")
        self.assertTrue(user._is_portal())
        enrolment = camille.activcrea_enrolment_ids.filtered(
            lambda e: e.resource_id == self.resource
        )
        self.assertEqual(len(enrolment), 1)
        self.assertEqual(enrolment.questionnaire_state, "new")
        answer = enrolment.sudo().survey_user_input_id
        self.assertEqual(answer.survey_id, self.survey)
        # The questionnaire closes at the meeting (the answer's deadline); the example
        # file's meetings (January 2026) may be past on the machine's clock, where the
        # survey would refuse the answers: the deadline is moved a week ahead of now.
        if answer.deadline and answer.deadline <= fields.Datetime.now():
            answer.deadline = fields.Datetime.now() + timedelta(days=7)
        # a known password: the tour logs in with the login as password
        user.sudo().password = user.login

        self.start_tour("/my", "activcrea_portal_tour", login=user.login)

        self.env.invalidate_all()
        self.assertEqual(answer.state, "done")
        self.assertEqual(answer.partner_id, camille)
        self.assertEqual(enrolment.questionnaire_state, "done")
        # the counselor (the enrolment's referent) reads every answer on the enrolment
        counselor = enrolment.user_id
        self.assertTrue(counselor, "Camille's slot is a counselor's: the referent")
        as_counselor = enrolment.with_user(counselor)
        self.assertEqual(as_counselor.questionnaire_state, "done")
        answers = as_counselor.questionnaire_answers
        questions = self.survey.question_ids.filtered(lambda q: not q.is_page)
        for question in questions:
            self.assertIn(question.title.replace("'", "&#39;"), answers, "every question answered")
        self.assertIn(PROJECT_TEXT, answers)
        self.assertIn(COMMENT_TEXT, answers)
        simple = questions.filtered(lambda q: q.question_type == "simple_choice")
        self.assertEqual(len(simple), len(SIMPLE_CHOICES))
        for question, index in zip(simple, SIMPLE_CHOICES, strict=True):
            chosen = question.suggested_answer_ids[index]
            line = answer.user_input_line_ids.filtered(
                lambda line, q=question: line.question_id == q
            )
            self.assertEqual(line.suggested_answer_id, chosen, question.title)
        multiple = questions.filtered(lambda q: q.question_type == "multiple_choice")
        self.assertEqual(len(multiple), 1)
        ticked = answer.user_input_line_ids.filtered(
            lambda line: line.question_id == multiple
        ).suggested_answer_id
        wanted = multiple.suggested_answer_ids.browse(
            [multiple.suggested_answer_ids[index].id for index in MULTIPLE_CHOICES]
        )
        self.assertEqual(ticked, wanted)
        for chosen in ticked:
            self.assertIn(chosen.value.replace("'", "&#39;"), answers)
        # answered: the portal home no longer proposes it
        self.assertFalse(camille.with_user(user)._activcrea_questionnaire_url())
