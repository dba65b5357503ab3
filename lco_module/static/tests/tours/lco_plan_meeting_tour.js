/** @odoo-module **/
// A coordinator plans a meeting from the case: it opens full screen, with
// its checklist, what the case answers already ticked, and its invitations.
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("lco_plan_meeting_tour", {
    steps: () => [
        {
            content: "Plan a meeting from the case",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_plan_meeting']",
            run: "click",
        },
        {
            content: "The meeting opens full screen, under the case in the breadcrumbs",
            trigger: ".o_breadcrumb:contains(Jonas Tour) .active:contains(meeting 1)",
        },
        {
            content: "No dialog: the whole form is the page",
            trigger: "body:not(:has(.modal))",
        },
        {
            content: "The pivot question is ticked from the case",
            trigger: ".o_field_one2many[name='checklist_item_ids'] .o_data_row:contains(Is there a pivot figure) .o_field_boolean_toggle input:checked",
        },
        {
            content: "... and says so",
            trigger: ".o_field_one2many[name='checklist_item_ids'] .o_data_row:contains(Is there a pivot figure) td[name='case_check']:contains(Pivot Figure)",
        },
        {
            content: "The meeting can be scheduled from here",
            trigger: ".o_statusbar_buttons button[name='action_schedule']",
        },
        {
            content: "Everyone of the case is invited",
            trigger: ".o_notebook a[name='attendance']",
            run: "click",
        },
        {
            trigger: ".o_field_one2many[name='attendee_ids'] .o_data_row:contains(Pieter Tour)",
        },
    ],
});
