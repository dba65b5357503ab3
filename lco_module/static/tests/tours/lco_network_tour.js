/** @odoo-module **/
// A coordinator records the network around the client in the case form and
// sees it drawn: the aunt close by, the football coach on a strained tie.
import { registry } from "@web/core/registry";

const addPerson = (name, relationship, closeness) => [
    {
        content: `Add ${name} to the network`,
        trigger: ".o_field_one2many[name='network_member_ids'] .o_field_x2many_list_row_add a",
        run: "click",
    },
    {
        trigger: ".modal .o_field_widget[name='name'] input",
        run: `edit ${name}`,
    },
    {
        trigger: ".modal .o_field_widget[name='relationship'] select",
        run: `select "${relationship}"`,
    },
    {
        trigger: ".modal .o_field_widget[name='closeness'] select",
        run: `select "${closeness}"`,
    },
    {
        content: "Save the person",
        trigger: ".modal .o_form_button_save",
        run: "click",
    },
    {
        trigger: `.o_field_one2many[name='network_member_ids'] .o_data_row:contains(${name})`,
    },
];

registry.category("web_tour.tours").add("lco_network_tour", {
    steps: () => [
        {
            content: "Open the Network tab",
            trigger: ".o_notebook a[name='network']",
            run: "click",
        },
        ...addPerson("Aunt Rita", "other_family", "close"),
        ...addPerson("Coach Jan", "volunteer", "strained"),
        {
            content: "The map draws both, the coach on a strained tie",
            trigger: ".o_field_widget[name='network_map'] svg .lco_network_node:contains(Aunt Rita)",
        },
        {
            trigger: ".o_field_widget[name='network_map'] svg .lco_tie_strained",
        },
        {
            content: "Save the case",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_form_saved",
        },
    ],
});
