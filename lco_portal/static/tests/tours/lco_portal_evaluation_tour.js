/** @odoo-module **/
// The client opens his pending evaluation from his consultation on the
// portal, answers the six statements and sends it.
import { registry } from "@web/core/registry";

const QUESTIONS = [
    "score_listened",
    "score_spoken_with",
    "score_view_valued",
    "score_supported",
    "score_understanding",
    "score_decided",
];

registry.category("web_tour.tours").add("lco_portal_evaluation_tour", {
    steps: () => [
        {
            content: "The consultation asks how the meeting went",
            trigger: ".o_lco_pending_evaluations a:contains(Give your evaluation)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The evaluation form opens",
            trigger: "h1:contains(How did the meeting go for you?)",
        },
        ...QUESTIONS.map((name, index) => ({
            content: `Answer statement ${index + 1}`,
            trigger: `label[for='${name}_${index === 5 ? 5 : 4}']`,
            run: "click",
        })),
        {
            content: "Add a comment",
            trigger: "textarea[name='comment']",
            run: "edit They listened to me this time.",
        },
        {
            content: "Send the evaluation",
            trigger: ".o_lco_evaluation_form button[type='submit']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Thanked, and the form is gone",
            trigger: ".alert-success:contains(Your evaluation was sent)",
        },
    ],
});
