/** @odoo-module */

import { registry } from "@web/core/registry";

// A coordinator takes a request in, weighs it and accepts it: a case opens.
registry.category("web_tour.tours").add("lco_request_intake_tour", {
    url: "/odoo/action-lco_module.action_lco_request",
    steps: () => [
        {
            content: "Take the new request in from the kanban",
            trigger: ".o_kanban_record:contains('Tour Client') button[name=action_take]",
            run: "click",
        },
        {
            content: "Open it from the In Review column",
            trigger: ".o_kanban_group:eq(1) .o_kanban_record:contains('Tour Client')",
            run: "click",
        },
        {
            trigger: "a.nav-link:contains('Intake')",
            run: "click",
        },
        {
            trigger: "div[name=intake_added_value] input[data-value=yes]",
            run: "click",
        },
        {
            trigger: "div[name=intake_open_conversation] input[data-value=yes]",
            run: "click",
        },
        {
            trigger: "div[name=intake_room_to_choose] input[data-value=unsure]",
            run: "click",
        },
        {
            trigger: "div[name=intake_note] textarea",
            run: "edit Talked with the requester; the client wants one table.",
        },
        {
            trigger: ".o_form_view button[name=action_accept]",
            run: "click",
        },
        {
            content: "The client is new: a contact will be made",
            trigger: ".modal div[name=client_choice] input[data-value=new]:checked",
        },
        {
            trigger: ".modal div[name=reason] textarea",
            run: "edit Five services and no common plan.",
        },
        {
            trigger: ".modal button[name=action_accept]",
            run: "click",
        },
        {
            content: "The new case opens",
            trigger: ".o_form_view .o_breadcrumb:contains('LCO/'):contains('Tour Client')",
        },
    ],
});
