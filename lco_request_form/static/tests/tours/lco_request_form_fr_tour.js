/** @odoo-module */

import { registry } from "@web/core/registry";

// Someone asks for a consultation on the public form, in French, on a phone.
registry.category("web_tour.tours").add("lco_request_form_fr_tour", {
    url: "/lco/aanvraag",
    steps: () => [
        {
            content: "The Dutch form offers the installed languages by name",
            trigger: "nav[aria-label='Taal'] a[lang='fr-BE']:contains('Français')",
            run: "click",
        },
        {
            content: "The form reads French, and says French is the chosen language",
            trigger: "h1:contains('Demander une concertation locale')",
        },
        {
            trigger: "nav[aria-label='Langue'] a[aria-current='true'][lang='fr-BE']",
        },
        {
            content: "A neighbour asks",
            trigger: "input[name=requester_type][value=network]",
            run: "click",
        },
        {
            trigger: "input[name=requester_name]",
            run: "edit Marie Voisine",
        },
        {
            trigger: "input[name=requester_email]",
            run: "edit marie@example.com",
        },
        {
            trigger: "input[name=client_name]",
            run: "edit Luc Formulaire",
        },
        {
            trigger: "input[name=client_zip]",
            run: "edit 9901",
        },
        {
            trigger: "textarea[name=question]",
            run: "edit Luc veut garder son logement.",
        },
        {
            content: "The life domains read French",
            trigger: "label.form-check-label:contains('Logement')",
            run: "click",
        },
        {
            trigger: "input[name=urgency][value='1']",
            run: "click",
        },
        {
            trigger: "input[name=client_informed]",
            run: "click",
        },
        {
            trigger: "input[name=client_agrees]",
            run: "click",
        },
        {
            trigger: "button[type=submit]:contains('Envoyer la demande')",
            run: "click",
        },
        {
            content: "The thanks page follows the choice",
            trigger: "h1:contains('Merci, votre demande a été envoyée')",
        },
        {
            trigger: ".o_lco_request_reference strong:contains('AANV/')",
        },
    ],
});
