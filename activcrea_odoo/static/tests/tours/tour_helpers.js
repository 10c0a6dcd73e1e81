/** @odoo-module **/
/* Steps the Activ'Créa tours share: menus by XML id, many-to-one fields by name. */
import { waitFor } from "@odoo/hoot-dom";

export function menu(xmlid, content) {
    return { content, trigger: `[data-menu-xmlid="${xmlid}"]`, run: "click" };
}

export function many2one(field, text, choice, scope = "") {
    const input = `${scope} .o_field_widget[name=${field}] input`;
    const item = `.o-autocomplete--dropdown-item:contains(${choice})`;
    return [
        {
            content: `${field}: type ${text}`,
            trigger: input,
            async run(helpers) {
                // A form still applying its defaults may render the field again and drop
                // what was typed: type again until the proposals show.
                for (let attempt = 1; ; attempt++) {
                    await helpers.edit(text, input);
                    try {
                        await waitFor(item, { timeout: 2000 });
                        return;
                    } catch (error) {
                        if (attempt === 4) {
                            throw error;
                        }
                    }
                }
            },
        },
        { content: `${field}: choose ${choice}`, trigger: item, run: "click" },
    ];
}
