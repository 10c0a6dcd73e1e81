/** @odoo-module **/
/*
 * What a registrant does after the J-10 import gave them portal access: from
 * the portal home (/my), open the pre-appointment questionnaire card, start it,
 * answer every question of the seeded questionnaire and submit.
 * Run by activcrea_odoo/tests/test_portal_tour.py as the portal user; the test
 * then reads the answers on the enrolment, as the counselor does.
 * Selectors use classes, names and positions, never labels: the person reads
 * French, and the questionnaire's content is the BGE's.
 *
 * The choices picked below (0-based positions among each question's answers)
 * are the ones test_portal_tour.py expects: keep both in step.
 */
import { registry } from "@web/core/registry";

const PROJECT_TEXT = "Ouvrir une boulangerie bio à Armentières";
const COMMENT_TEXT = "Disponible le matin";
// the simple-choice questions, in their order on the page: the answer picked
const SIMPLE_CHOICES = [1, 1, 0, 0];
// the multiple-choice question: the answers ticked
const MULTIPLE_CHOICES = [0, 2];

const TEXT_BOX = "textarea.o_survey_question_text_box[data-question-type=text_box]";
const SIMPLE = ".o_survey_form_choice[data-question-type=simple_choice_radio]";
const MULTIPLE = ".o_survey_form_choice[data-question-type=multiple_choice]";

function choose(group, groupIndex, answerIndex) {
    const trigger = `${group}:eq(${groupIndex}) label.o_survey_choice_btn:eq(${answerIndex})`;
    return [
        { content: `question ${group} #${groupIndex}: answer #${answerIndex}`, trigger, run: "click" },
        {
            content: `question ${group} #${groupIndex}: answer #${answerIndex} is selected`,
            trigger: `${trigger} input.o_survey_form_choice_item:checked`,
        },
    ];
}

registry.category("web_tour.tours").add("activcrea_portal_tour", {
    url: "/my",
    steps: () => [
        {
            content: "the portal home shows the questionnaire card: open it",
            trigger: ".o_portal_index_card a[href*='/survey/start/']",
            run: "click",
        },
        {
            content: "start the questionnaire",
            trigger: "button[type=submit][value=start]:not(.disabled)",
            run: "click",
        },
        {
            content: "the questionnaire's questions are shown",
            trigger: ".js_question-wrapper",
        },
        {
            content: "the project, in a few lines",
            trigger: `${TEXT_BOX}:eq(0)`,
            run: `edit ${PROJECT_TEXT}`,
        },
        ...SIMPLE_CHOICES.flatMap((answer, question) => choose(SIMPLE, question, answer)),
        ...MULTIPLE_CHOICES.flatMap((answer) => choose(MULTIPLE, 0, answer)),
        {
            content: "the last free text (optional), answered too",
            trigger: `${TEXT_BOX}:last`,
            run: `edit ${COMMENT_TEXT}`,
        },
        {
            content: "submit the answers",
            trigger: "button[type=submit][value=finish]:not(.disabled)",
            run: "click",
        },
        {
            content: "the questionnaire is done",
            trigger: ".o_survey_finished",
        },
    ],
});
