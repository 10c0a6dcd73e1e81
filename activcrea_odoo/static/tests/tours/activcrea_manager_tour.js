/** @odoo-module **/
/*
 * What an office manager does with Activ'Créa, through the screens only:
 * slots in the counselors' agendas, the planning, France Travail's list
 * imported at J-10 then J-2 (preview, confirm), the dashboard, an enrolment.
 * Run by activcrea_odoo/tests/test_tour.py on a database with demo data.
 * Each later capability (assignment, e-mails, deliverables, billing) adds
 * its steps here.  Selectors use field and button names, never labels: the
 * tour runs in French.
 */
import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";
import { many2one, menu } from "@activcrea_odoo/../tests/tours/tour_helpers";

const DATA = "/activcrea_odoo/static/tests/data/";

/** Puts a file of static/tests/data into the form's binary field, as a drop would. */
function uploadFile(filename) {
    return {
        content: `upload ${filename}`,
        trigger: ".o_field_widget[name=file]",
        async run() {
            const response = await fetch(DATA + filename);
            if (!response.ok) {
                throw new Error(`cannot read ${filename}: ${response.status}`);
            }
            const file = new File([await response.blob()], filename, { type: "text/csv" });
            const transfer = new DataTransfer();
            transfer.items.add(file);
            const input = this.anchor.querySelector("input[type=file]");
            input.files = transfer.files;
            input.dispatchEvent(new Event("change", { bubbles: true }));
        },
    };
}

function importList(filename, expectedState) {
    return [
        menu("activcrea_odoo.menu_activcrea_import", "Import menu"),
        menu("activcrea_odoo.menu_activcrea_import_new", "Import a registrant list"),
        ...many2one("resource_id", "lot 3", "lot 3"),
        uploadFile(filename),
        {
            content: "the file is attached",
            trigger: ".o_field_widget[name=file] input:not([type=file])",
            run() {
                if (this.anchor.value !== filename) {
                    throw new Error(`file field shows "${this.anchor.value}", not ${filename}`);
                }
            },
        },
        { content: "preview", trigger: "button[name=action_preview]", run: "click" },
        {
            content: "the preview lists the rows",
            trigger: ".o_field_widget[name=line_ids] .o_data_row",
        },
        { content: "confirm the import", trigger: "button[name^=action_confirm]", run: "click" },
        {
            content: "yes, write it",
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            content: `the import is ${expectedState}`,
            trigger: `.o_statusbar_status button.o_arrow_button_current[data-value=${expectedState}]`,
        },
        {
            content: "it links to the people it wrote",
            trigger: ".o-form-buttonbox button[name=action_view_partners]",
        },
    ];
}

registry.category("web_tour.tours").add("activcrea_manager_tour", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("activcrea_odoo.menu_activcrea_root", "Open Activ'Créa"),

        // Planning: slots for a counselor at Armentières, next week, 9:00-12:00
        menu("activcrea_odoo.menu_activcrea_planning", "Planning menu"),
        menu("activcrea_odoo.menu_activcrea_slot_wizard", "Create slots"),
        ...many2one("ods_id", "Activ", "Activ'Créa 2025", ".modal"),
        ...many2one("resource_id", "lot 3", "lot 3", ".modal"),
        ...many2one("site_id", "Armenti", "Armentières", ".modal"),
        ...many2one("user_ids", "Claire", "Claire Martin", ".modal"),
        {
            content: "create the slots",
            trigger: ".modal button[name=action_create_slots]",
            run: "click",
        },
        {
            content: "slots were created",
            trigger: ".modal .o_field_widget[name=created_count]",
            run() {
                const count = parseInt(this.anchor.textContent.trim(), 10);
                if (!(count > 0)) {
                    throw new Error(`no slot created (${this.anchor.textContent})`);
                }
            },
        },
        {
            content: "see them",
            trigger: ".modal button[name=action_view_slots]",
            run: "click",
        },
        {
            content: "a slot is listed",
            trigger: ".o_calendar_view .fc-event, .o_list_view .o_data_row",
        },

        // Planning table, grouped by site
        menu("activcrea_odoo.menu_activcrea_planning", "Planning menu"),
        menu("activcrea_odoo.menu_activcrea_planning_table", "Planification Activ'Créa"),
        {
            content: "the planning table opens",
            trigger: ".o_action_manager .o_form_view, .o_action_manager .o_list_view, .modal .o_form_view",
        },

        // France Travail's list, J-10 then J-2
        ...importList("liste_inscrits_J-10.csv", "done"),
        // Assignment (issue 12): the J-10 registrant with no free slot gets a counselor
        // (at J-2 France Travail has not confirmed him: his registration is cancelled).
        // The dashboard's banner counts him and leads to the assignment.
        menu("activcrea_odoo.menu_activcrea_tracking", "Tracking menu"),
        menu("activcrea_odoo.menu_activcrea_dashboard", "Dashboard"),
        {
            content: "the dashboard says one registrant has no counselor yet",
            trigger: ".o_activcrea_to_assign_banner:contains(1)",
        },
        {
            content: "go and assign him",
            trigger: ".o_activcrea_to_assign_banner button",
            run: "click",
        },
        ...many2one("resource_id", "lot 3", "lot 3"),
        {
            content: "show the registrants to assign",
            trigger: "button[name=action_show]",
            run: "click",
        },
        {
            content: "the registrant to assign is listed with a proposal",
            trigger: ".o_field_widget[name=line_ids] .o_data_row:contains(LAMBERT) td[name=proposal_id]:contains(1. )",
        },
        {
            content: "apply the row's first proposal",
            trigger: ".o_field_widget[name=line_ids] .o_data_row:contains(LAMBERT) button[name=action_apply]",
            run: "click",
        },
        {
            content: "the table says what was done",
            trigger: ".o_field_widget[name=result_message]:contains(LAMBERT)",
        },

        ...importList("liste_inscrits_J-2.csv", "done"),

        // Tracking
        menu("activcrea_odoo.menu_activcrea_tracking", "Tracking menu"),
        menu("activcrea_odoo.menu_activcrea_dashboard", "Dashboard"),
        {
            content: "the dashboard counts the registrants still to assign (none left)",
            trigger: ".o_list_view",
            run() {
                if (document.querySelector(".o_activcrea_to_assign_banner")) {
                    throw new Error("the banner shows though every registrant has a counselor");
                }
            },
        },
        {
            content: "an imported person is on the dashboard",
            trigger: ".o_list_view .o_data_row:contains(LEFEBVRE) td.o_data_cell[name=partner_id]",
            run: "click",
        },
        {
            content: "the enrolment opens on that person",
            trigger: ".o_form_view .o_field_widget[name=partner_id]",
            run() {
                const input = this.anchor.querySelector("input");
                const shown = input ? input.value : this.anchor.textContent;
                if (!shown.includes("LEFEBVRE")) {
                    throw new Error(`the enrolment shows "${shown}", not LEFEBVRE`);
                }
            },
        },

        // Deliverables: the attendance sheet of the enrolment (the checks run on the server
        // first: a refusal would open an error dialog and fail the tour)
        {
            content: "print the attendance sheet",
            trigger: ".o_form_view .o_form_statusbar button[name=action_print_attendance_sheet]",
            run: "click",
        },
        {
            content: "printed without a refusal, back on the enrolment",
            trigger: "body:not(:has(.o_error_dialog, .modal .o_dialog_error)) .o_form_view .o_form_statusbar button[name=action_print_attendance_sheet]:enabled",
        },
    ],
});
