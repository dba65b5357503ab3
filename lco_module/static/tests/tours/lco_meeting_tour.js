/** @odoo-module **/
// A coordinator prepares a meeting with the client, schedules it, holds it and
// sends the report, all in the web client.
import { registry } from "@web/core/registry";

const row = (field, index = 1) =>
    `.o_field_one2many[name='${field}'] .o_data_row:nth-child(${index})`;

registry.category("web_tour.tours").add("lco_meeting_tour", {
    steps: () => [
        {
            content: "Check a question of the preparation checklist",
            trigger: `${row("checklist_item_ids")} .o_field_boolean_toggle input`,
            run: "click",
        },
        {
            content: "Draw up the agenda with the client",
            trigger: ".o_notebook a[name='agenda']",
            run: "click",
        },
        {
            trigger: ".o_field_one2many[name='agenda_item_ids'] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            trigger: `${row("agenda_item_ids")} .o_field_widget[name='name'] input`,
            run: "edit Where can I live later?",
        },
        {
            content: "The client proposes the topic",
            trigger: `${row("agenda_item_ids")} .o_field_widget[name='proposed_by_id'] input:value(Jonas Tour)`,
        },
        {
            content: "Schedule the meeting",
            trigger: ".o_statusbar_buttons button[name='action_schedule']",
            run: "click",
        },
        {
            content: "The coordinator is warned about the open questions",
            trigger: ".modal .o_field_widget[name='issues']:contains(Does the requester know what the client expects?)",
        },
        {
            trigger: ".modal footer button[name='action_schedule']",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status button.o_arrow_button_current[data-value='scheduled']",
        },
        {
            content: "Record who came",
            trigger: ".o_notebook a[name='attendance']",
            run: "click",
        },
        {
            trigger: `${row("attendee_ids", 1)} td[name='status']`,
            run: "click",
        },
        {
            trigger: `${row("attendee_ids", 1)} td[name='status'] select`,
            run: 'select "excused"',
        },
        {
            trigger: `${row("attendee_ids", 2)} td[name='status']`,
            run: "click",
        },
        {
            trigger: `${row("attendee_ids", 2)} td[name='status'] select`,
            run: 'select "present"',
        },
        {
            content: "Write down the client's perspective",
            trigger: ".o_notebook a[name='conversation']",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name='client_perspective'] textarea",
            run: "edit Jonas likes living at home for now.",
        },
        {
            content: "Agree who does what",
            trigger: ".o_notebook a[name='agreements']",
            run: "click",
        },
        {
            trigger: ".o_field_one2many[name='agreement_ids'] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            trigger: `${row("agreement_ids")} .o_field_widget[name='name'] input`,
            run: "edit File the request for supported living",
        },
        {
            trigger: `${row("agreement_ids")} .o_field_widget[name='responsible_id'] input`,
            run: "edit Pieter",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains(Pieter Tour)",
            run: "click",
        },
        {
            content: "The meeting took place",
            trigger: ".o_statusbar_buttons button[name='action_hold']",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status button.o_arrow_button_current[data-value='held']",
        },
        {
            content: "Send the report to everyone",
            trigger: ".o_statusbar_buttons button[name='action_send_report']",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name='subject'] input:value(Report of the client consultation)",
        },
        {
            trigger: ".modal button.o_mail_send",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status button.o_arrow_button_current[data-value='reported']",
        },
        {
            content: "Jonas has no e-mail: he gets his copy by post",
            trigger: ".alert button[name='action_print_paper_copies']",
        },
    ],
});
