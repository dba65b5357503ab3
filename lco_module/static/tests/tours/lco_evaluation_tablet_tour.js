/** @odoo-module **/
// At the end of the meeting the coordinator hands his tablet to the client,
// who answers the six statements on it; the thank-you page leads nowhere.
import { registry } from "@web/core/registry";

const QUESTIONS = [
    "score_listened",
    "score_spoken_with",
    "score_view_valued",
    "score_supported",
    "score_understanding",
    "score_decided",
];

registry.category("web_tour.tours").add("lco_evaluation_tablet_tour", {
    steps: () => [
        {
            content: "The form names the person holding the tablet",
            trigger: ".o_lco_evaluation_tablet .o_lco_evaluation_person:contains(Kim Client)",
        },
        {
            content: "Nothing of the coordinator's session around it",
            trigger: "body:not(:has(header#top)):not(:has(footer#bottom)):not(:has(a[href^='/odoo']))",
        },
        ...QUESTIONS.map((name, index) => ({
            content: `Answer statement ${index + 1}`,
            trigger: `label[for='${name}_${index === 0 ? 5 : 3}']`,
            run: "click",
        })),
        {
            content: "Send the evaluation",
            trigger: ".o_lco_evaluation_form button[type='submit']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Thanked, and told to give the tablet back",
            trigger: ".alert-success:contains(Your evaluation was sent)",
        },
        {
            content: "The thank-you page has no link at all",
            trigger: ".o_lco_evaluation_tablet:not(:has(a)):not(:has(form))",
        },
    ],
});
