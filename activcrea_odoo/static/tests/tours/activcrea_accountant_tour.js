/** @odoo-module **/
/*
 * What an accountant does with Activ'Créa: Invoicing → Activ'Créa → To issue,
 * preview one enrolment's invoice, generate it, and find it among the issued
 * ones with its gapless number.  Run by activcrea_odoo/tests/test_tour.py on a
 * database with demo data, once an enrolment of the example files is closed.
 */
import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";
import { menu } from "@activcrea_odoo/../tests/tours/tour_helpers";

const ROW = ".o_list_view .o_data_row:contains(LEFEBVRE)";

// Invoicing → Activ'Créa → To issue
const openToIssue = () => [
    menu("activcrea_odoo.menu_activcrea_billing", "Activ'Créa billing menu"),
    menu("activcrea_odoo.menu_activcrea_billing_to_issue", "invoices to issue"),
];

registry.category("web_tour.tours").add("activcrea_accountant_tour", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("account.menu_finance", "Open Invoicing"),
        ...openToIssue(),
        {
            content: "the closed enrolment is due, with its amount",
            trigger: `${ROW} td[name=billing_amount]`,
            run() {
                if (!/\d/.test(this.anchor.textContent)) {
                    throw new Error(`no amount: "${this.anchor.textContent}"`);
                }
            },
        },
        { content: "preview its invoice", trigger: `${ROW} button[name=action_preview_invoice]`, run: "click" },
        { content: "the preview opens", trigger: ".modal .o_form_view" },
        { content: "close the preview", trigger: ".modal .btn-close", run: "click" },
        { content: "the preview is closed", trigger: "body:not(:has(.modal))" },
        // the list reloads once the dialog closes: open it afresh before selecting
        ...openToIssue(),
        {
            content: "select the enrolment",
            trigger: `${ROW} .o_list_record_selector input`,
            run: "click",
        },
        { content: "it is selected", trigger: `${ROW}.o_data_row_selected` },
        {
            content: "generate its invoice",
            trigger: ".o_control_panel button[name=action_generate_invoices], .o_list_view button[name=action_generate_invoices]",
            run: "click",
        },
        {
            content: "the issued invoice carries its gapless number",
            trigger: ".o_list_view .o_data_row td[name=name]:contains(JUNF26)",
        },
    ],
});
