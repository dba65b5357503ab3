/** @odoo-module **/
// A Dutch-speaking coordinator walks the whole method: he takes a request in,
// accepts it with a new client contact, completes the case, plans, holds and
// reports its first meeting. Selectors use names, not the Dutch labels.
import { registry } from "@web/core/registry";

const row = (field, index = 1) =>
    `.o_field_one2many[name='${field}'] .o_data_row:nth-child(${index})`;

registry.category("web_tour.tours").add("lco_coordinator_full_flow_tour", {
    steps: () => {
        const now = luxon.DateTime.now();
        const today = now.toFormat("dd-MM-yyyy");
        // Held is refused before the start: the meeting began half an hour ago.
        const start = now.minus({ minutes: 30 }).toFormat("dd-MM-yyyy HH:mm");
        return [
            {
                content: "Take the request in",
                trigger: ".o_form_view .o_statusbar_buttons button[name='action_take']",
                run: "click",
            },
            {
                trigger: ".o_statusbar_status button.o_arrow_button_current[data-value='in_review']",
            },
            {
                content: "Answer the intake questions",
                trigger: ".o_notebook a[name='intake']",
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
                trigger: "div[name=intake_room_to_choose] input[data-value=yes]",
                run: "click",
            },
            {
                trigger: ".o_form_view .o_statusbar_buttons button[name='action_accept']",
                run: "click",
            },
            {
                content: "The client is new: a contact will be made",
                trigger: ".modal div[name=client_choice] input[data-value=new]:checked",
            },
            {
                trigger: ".modal div[name=reason] textarea",
                run: "edit Vijf diensten en geen gezamenlijk plan.",
            },
            {
                trigger: ".modal button[name=action_accept]",
                run: "click",
            },
            {
                content: "The new case opens",
                trigger: ".o_form_view .o_breadcrumb .active:contains(Tour Cliënt)",
            },
            {
                content: "Add the aid worker to the case",
                trigger: ".o_notebook a[name='participants']",
                run: "click",
            },
            {
                trigger: ".o_field_one2many[name='participant_ids'] .o_field_x2many_list_row_add a",
                run: "click",
            },
            {
                trigger: `.o_field_one2many[name='participant_ids'] .o_selected_row .o_field_widget[name='partner_id'] input`,
                run: "edit Ann External",
            },
            {
                trigger: ".o-autocomplete--dropdown-item:contains(Ann External)",
                run: "click",
            },
            {
                trigger: ".o_field_one2many[name='participant_ids'] .o_field_widget[name='partner_id'] input:value(Ann External)",
            },
            {
                trigger: ".o_form_view .o_form_button_save",
                run: "click",
            },
            {
                trigger: ".o_form_view .o_form_saved",
            },
            {
                content: "Record the client's consent",
                trigger: ".o_notebook a[name='consent']",
                run: "click",
            },
            {
                trigger: ".o_form_view button[name='action_new_consent']",
                run: "click",
            },
            {
                content: "The consent covers Ann",
                trigger: ".o_field_one2many[name='line_ids'] .o_data_row:contains(Ann External)",
            },
            {
                trigger: ".o_field_widget[name='date_given'] input",
                run: `edit ${today} && click body`,
            },
            {
                trigger: ".o_form_view .o_statusbar_buttons button[name='action_give']",
                run: "click",
            },
            {
                trigger: ".o_form_view .o_statusbar_buttons button[name='action_withdraw']",
            },
            {
                content: "Back to the case",
                trigger: ".o_breadcrumb .breadcrumb-item:not(.active) a:last",
                run: "click",
            },
            {
                trigger: ".o_form_view .o_field_widget[name='consent_ids'] .o_data_row",
            },
            {
                content: "Ann is the pivot",
                trigger: ".o_field_widget[name='pivot_id'] input",
                run: "edit Ann External",
            },
            {
                trigger: ".o-autocomplete--dropdown-item:contains(Ann External)",
                run: "click",
            },
            {
                trigger: ".o_form_view .o_statusbar_buttons button[name='action_activate']",
                run: "click",
            },
            {
                trigger: ".o_statusbar_status button.o_arrow_button_current[data-value='active']",
            },
            {
                content: "Plan the first meeting",
                trigger: ".o_form_view .o_statusbar_buttons button[name='action_plan_meeting']",
                run: "click",
            },
            {
                trigger: ".o_breadcrumb:contains(Tour Cliënt) .active:contains(1)",
            },
            {
                content: "It started half an hour ago",
                trigger: ".o_form_view .o_field_widget[name='start'] input",
                run: `edit ${start} && click body`,
            },
            {
                trigger: ".o_form_view .o_statusbar_buttons button[name='action_schedule']",
                run: "click",
            },
            {
                content: "Schedule anyway",
                trigger: ".modal footer button[name='action_schedule']",
                run: "click",
            },
            {
                trigger: ".o_statusbar_status button.o_arrow_button_current[data-value='scheduled']",
            },
            {
                content: "Everyone came",
                trigger: ".o_notebook a[name='attendance']",
                run: "click",
            },
            {
                trigger: `${row("attendee_ids", 1)} td[name='status']`,
                run: "click",
            },
            {
                trigger: `${row("attendee_ids", 1)} td[name='status'] select`,
                run: 'select "present"',
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
                trigger: `${row("attendee_ids", 3)} td[name='status']`,
                run: "click",
            },
            {
                trigger: `${row("attendee_ids", 3)} td[name='status'] select`,
                run: 'select "present"',
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
                content: "Send the report",
                trigger: ".o_statusbar_buttons button[name='action_send_report']",
                run: "click",
            },
            {
                trigger: ".modal button.o_mail_send",
                run: "click",
            },
            {
                trigger: ".o_statusbar_status button.o_arrow_button_current[data-value='reported']",
            },
        ];
    },
});
