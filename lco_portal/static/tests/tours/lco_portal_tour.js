/** @odoo-module **/
// The client and an external aid worker on the portal (/my/lco), between
// meetings.
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("lco_portal_client_tour", {
    url: "/my",
    steps: () => [
        {
            content: "Open My consultations",
            trigger: "a[href='/my/lco']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Open his consultation",
            trigger: ".o_lco_portal_case h2 a",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Propose a topic for the coming meeting",
            trigger: ".o_lco_portal_topic_form input[name='topic']",
            run: "edit Help with my debts",
        },
        {
            trigger: ".o_lco_portal_topic_form button[type='submit']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "His topic waits for the coordinator",
            trigger: ".o_lco_portal_proposals li:contains(Help with my debts):contains(Waiting for the coordinator)",
        },
        {
            content: "He cannot come to the meeting",
            trigger: "form[action^='/my/lco/attendance/'] input[name='status'][value='excused']",
            run: "click",
        },
        {
            content: "Say what he needs",
            trigger: "form[action^='/my/lco/attendance/'] textarea[name='practical_needs']",
            run: "edit Childcare for my two children",
        },
        {
            trigger: "form[action^='/my/lco/attendance/'] button[type='submit']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "His answer was sent",
            trigger: ".alert-success:contains(your answer was sent)",
        },
        {
            content: "He did what he agreed to do",
            trigger: "form[action^='/my/lco/agreement/'] input[name='state'][value='done']",
            run: "click",
        },
        {
            trigger: "form[action^='/my/lco/agreement/'] textarea[name='note']",
            run: "edit I called the housing company",
        },
        {
            trigger: "form[action^='/my/lco/agreement/'] button[type='submit']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The coordinator was told",
            trigger: ".alert-success:contains(the coordinator was told)",
        },
    ],
});

registry.category("web_tour.tours").add("lco_portal_external_tour", {
    url: "/my/lco",
    steps: () => [
        {
            content: "Open the consultation of OCMW B",
            trigger: ".o_lco_portal_case:contains(Bart Client) h2 a",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Acknowledge the shared-secrecy rules with one click",
            trigger: "form[action$='/acknowledge'] button[type='submit']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: ".alert-success:contains(your acknowledgement was recorded)",
        },
        {
            content: "The report of the last meeting can be downloaded",
            trigger: "a.o_lco_portal_report_link[href^='/my/lco/report/']:contains(Download the report (PDF))",
        },
    ],
});
