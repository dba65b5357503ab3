{
    "name": "Local Client Consultation - Public Request Form",
    "summary": "Anyone asks for a client consultation on a public web form, "
    "without an account: rate-limited, and the sender's address forgotten "
    "after a day",
    "version": "18.0.1.0.0",
    "category": "Services/Client Consultation",
    "author": "lco_module contributors",
    "license": "LGPL-3",
    # No public repository yet: replace by its address when it is published.
    "website": "https://lco-module.example.org",
    "maintainers": ["lco_module contributors"],
    # Not website: the form is served with or without it (website=True routes
    # take the site's header and footer when Website is installed).
    "depends": ["lco_module"],
    "data": [
        "data/ir_cron_data.xml",
        "views/lco_request_templates.xml",
        "views/lco_settings_views.xml",
    ],
    "assets": {
        "web.assets_tests": ["lco_request_form/static/tests/tours/**/*"],
    },
    "uninstall_hook": "uninstall_hook",
}
