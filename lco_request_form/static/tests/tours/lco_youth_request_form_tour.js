/** @odoo-module */

import { edit, press } from "@odoo/hoot-dom";
import { registry } from "@web/core/registry";

// A young person asks for a youth-care client consultation on her phone, with
// the keyboard: Tab moves from control to control, she types her answers and
// sends. The page never scrolls sideways.

function noSidewaysScrolling() {
    const page = document.documentElement;
    if (page.scrollWidth > page.clientWidth) {
        throw new Error(
            `The page scrolls sideways: ${page.scrollWidth}px wide in ${page.clientWidth}px`
        );
    }
}

// Press Tab until the focus is on `selector`, as someone with a keyboard does.
function tabTo(selector, content) {
    return {
        content: content || `Tab to ${selector}`,
        trigger: "form.o_lco_youth_request_form",
        async run() {
            for (let presses = 0; presses < 40; presses++) {
                await press("Tab");
                if (document.activeElement.matches(selector)) {
                    return;
                }
            }
            throw new Error(`Tab never reaches ${selector}`);
        },
    };
}

// Tab to a text field and type into it.
function type(name, text) {
    const selector = `[name=${name}]`;
    return [
        tabTo(selector),
        {
            content: `Type in ${name}`,
            trigger: `${selector}:focus`,
            async run() {
                await edit(text);
            },
        },
    ];
}

registry.category("web_tour.tours").add("lco_youth_request_form_tour", {
    url: "/lco/aanvraag/jeugd",
    steps: () => [
        {
            content: "The youth form speaks to the young person",
            trigger: "h1:contains('Een cliëntoverleg in de jeugdhulp aanvragen')",
            run: noSidewaysScrolling,
        },
        {
            trigger: "legend:contains('Wie vraagt het overleg aan?')",
        },
        tabTo("[name=requester_type][value=young_person]", "Tab to the first choice"),
        {
            content: "She is the young person herself",
            trigger: "label[for=lco_requester_type_young_person]:contains('Ik ben de jongere zelf')",
        },
        {
            // Space on a radio button is not simulated by the test tool: the
            // focused radio button is checked as Space would.
            trigger: "[name=requester_type][value=young_person]:focus",
            run: "check",
        },
        ...type("client_name", "Lotte Jeugd"),
        ...type("birth_day", "14"),
        ...type("birth_month", "3"),
        ...type("birth_year", String(new Date().getFullYear() - 14)),
        ...type("client_zip", "9901"),
        ...type("client_email", "lotte@example.com"),
        {
            trigger: "label[for=lco_question]:contains('Wat wil je dat er verandert?')",
        },
        ...type("question", "Ik wil dat thuis minder ruzie is."),
        tabTo("[name=urgency][value='1']", "Tab to 'Soon'"),
        {
            trigger: "[name=urgency][value='1']:focus",
            run: "check",
        },
        tabTo("button[type=submit]", "Tab to the send button"),
        {
            content: "Every control was reached with Tab; the page still fits",
            trigger: "button[type=submit]:focus:contains('Verstuur mijn vraag')",
            run: noSidewaysScrolling,
        },
        {
            // Enter on the focused button sends the form in a browser; the test
            // tool only fires the submit event, so the focused button is pressed.
            trigger: "button[type=submit]:focus",
            run: "click",
        },
        {
            content: "She sees the thank-you page with the number of her question",
            trigger: "h1:contains('Bedankt, je vraag is verstuurd')",
            run: noSidewaysScrolling,
        },
        {
            trigger: ".o_lco_request_reference strong:contains('AANV/')",
        },
    ],
});
