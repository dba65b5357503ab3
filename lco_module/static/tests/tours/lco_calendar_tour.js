/** @odoo-module **/
// An aid worker invited to a consultation meeting tries to move its event in
// Odoo Calendar: the event follows its meeting, he is told to change the
// meeting instead.
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
            content: "He is told to change the date in the consultation meeting",
            trigger: ".modal:contains(change the date, the place or the invitees in the consultation meeting)",
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
