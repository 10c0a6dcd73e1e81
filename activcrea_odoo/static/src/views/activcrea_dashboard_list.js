/** @odoo-module **/
/*
 * The tracking dashboard's list, with a banner above the enrolments when
 * registrants sent by France Travail still have no counselor, so nobody
 * forgets one: the sentence and its count come from the server
 * (activcrea.assignment.get_dashboard_banner), in the user's language.
 */
import { onWillStart, useState } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { listView } from "@web/views/list/list_view";
import { ListController } from "@web/views/list/list_controller";

export class ActivcreaDashboardListController extends ListController {
    static template = "activcrea_odoo.DashboardListView";

    setup() {
        super.setup();
        this.orm = useService("orm");
        this.actionService = useService("action");
        this.banner = useState({ data: null });
        onWillStart(async () => {
            this.banner.data = await this.orm.call("activcrea.assignment", "get_dashboard_banner", []);
        });
    }

    async onClickAssign() {
        await this.actionService.doAction(this.banner.data.action);
    }
}

registry.category("views").add("activcrea_dashboard_list", {
    ...listView,
    Controller: ActivcreaDashboardListController,
});
