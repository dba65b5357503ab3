/** @odoo-module **/
// The coordinator types in the answers Ann ticked on the printed evaluation
// form, from the meeting's "Evaluation by the Participants" tab.
import { registry } from "@web/core/registry";

const QUESTIONS = [
    "score_listened",
    "score_spoken_with",
    "score_view_valued",
    "score_supported",
    "score_understanding",
    "score_decided",
];

registry.category("web_tour.tours").add("lco_evaluation_paper_tour", {
    steps: () => [
        {
            content: "Open the evaluations of the meeting",
            trigger: ".o_notebook a[name='participant_evaluation']",
            run: "click",
        },
        {
            content: "Enter Ann's answers from her paper form",
            trigger: ".o_data_row:contains(Ann External) button[name='action_lco_enter_paper']",
            run: "click",
        },
        {
            content: "The window names the person",
            trigger: ".modal .o_field_widget[name='partner_id']:contains(Ann External)",
        },
        ...QUESTIONS.map((name, index) => ({
            content: `Tick statement ${index + 1} as on paper`,
            trigger: `.modal div[name='${name}'] input[data-value='${index === 2 ? 2 : 4}']`,
            run: "click",
        })),
        {
            content: "Type in her comment",
            trigger: ".modal div[name='comment'] textarea",
            run: "edit Too many people at once.",
        },
        {
            content: "Save the answers from paper",
            trigger: ".modal footer button[name='action_save']",
            run: "click",
        },
        {
            content: "Her evaluation is answered, on paper",
            trigger: ".o_data_row:contains(Ann External):contains(On Paper)",
        },
    ],
});
