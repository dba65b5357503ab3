/** @odoo-module **/
// An aid worker invited to a consultation meeting tries to move its event in
// Odoo Calendar: the event follows its meeting, he is told that only its
// coordinator changes it.
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("lco_calendar_aid_worker_tour", {
    steps: () => [
        {
            content: "The aid worker sees the meeting's event",
            trigger: ".o_breadcrumb .active:contains(Client consultation: Kim Client)",
        },
        {
            content: "He moves it to another day",
            trigger: ".o_field_widget[name='start'] input[data-field='start']",
            run: "edit 12/24/2099 10:00:00 && click body",
        },
        {
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            content: "He is told that only the coordinator changes the date",
            trigger: ".modal:contains(only its coordinator changes the date)",
        },
        {
            trigger: ".modal .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "Nothing is saved: discard his change",
            trigger: ".o_form_view .o_form_button_cancel",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_form_saved",
        },
    ],
});

// The same aid worker in the calendar itself (opened on the month of the
// meeting, the 20th): the event's popover offers the meeting, not Edit or
// Delete; dragged to the 15th it is refused and drawn back on the 20th.
registry.category("web_tour.tours").add("lco_calendar_popover_drag_tour", {
    steps: () => [
        {
            trigger: ".o_calendar_renderer .fc-event:contains(Kim Client)",
        },
        {
            content: "Show the month",
            trigger: ".scale_button_selection",
            run: "click",
        },
        {
            trigger: ".o_scale_button_month",
            run: "click",
        },
        {
            trigger: ".fc-dayGridMonth-view .fc-daygrid-day[data-date$='-20'] .fc-event:contains(Kim Client)",
        },
        {
            content: "He drags the meeting's event to the 15th",
            trigger: ".fc-daygrid-day[data-date$='-20'] .fc-event:contains(Kim Client)",
            run: "drag_and_drop .fc-daygrid-day[data-date$='-15'] .fc-daygrid-day-events",
        },
        {
            content: "He is told that only the coordinator changes the date",
            trigger: ".modal:contains(only its coordinator changes the date)",
        },
        {
            trigger: ".modal .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The event is back on the 20th, without reloading",
            trigger: "body:not(:has(.modal)) .fc-daygrid-day[data-date$='-20'] .fc-event:contains(Kim Client)",
        },
        {
            trigger: ".fc-daygrid-day[data-date$='-15']:not(:has(.fc-event))",
        },
        {
            content: "He opens the event's popover",
            trigger: ".fc-daygrid-day[data-date$='-20'] .fc-event:contains(Kim Client)",
            run: "click",
        },
        {
            content: "No Edit, no Delete: the meeting is offered",
            trigger: ".o_cw_popover:not(:has(.o_cw_popover_edit)):not(:has(.o_cw_popover_delete)) .o_lco_open_meeting",
        },
        {
            content: "His answer to the invitation stays",
            trigger: ".o_cw_popover .btn-group button:contains(Maybe)",
        },
        {
            trigger: ".o_cw_popover .o_lco_open_meeting",
            run: "click",
        },
        {
            content: "The consultation meeting's form opens",
            trigger: ".o_form_view .o_field_widget[name='case_id']",
        },
    ],
});
