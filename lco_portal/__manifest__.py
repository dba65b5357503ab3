{
    "name": "Local Client Consultation - Portal",
    "summary": "The client and the people around his table follow their "
    "consultations on Odoo's portal, give consent there and evaluate meetings "
    "through a personal link",
    "version": "18.0.1.0.0",
    "category": "Services/Client Consultation",
    "author": "lco_module contributors",
    "license": "LGPL-3",
    # No public repository yet: replace by its address when it is published.
    "website": "https://lco-module.example.org",
    "maintainers": ["lco_module contributors"],
    "depends": ["lco_module", "portal"],
    "data": [
        "security/lco_portal_security.xml",
        "security/ir.model.access.csv",
        "data/lco_evaluation_mail_data.xml",
        "views/lco_participant_views.xml",
        "views/lco_portal_templates.xml",
        "views/lco_network_portal_templates.xml",
        "views/lco_evaluation_portal_templates.xml",
    ],
    "demo": [
        "demo/res_users_portal_demo.xml",
    ],
    "assets": {
        "web.assets_tests": ["lco_portal/static/tests/tours/**/*"],
    },
    "uninstall_hook": "uninstall_hook",
}
