{
    "name": "Local Client Consultation - Privacy Lookup",
    "summary": "Odoo's privacy lookup also finds the client consultation records "
    "about a person: cases, requests, participations, consents, meetings",
    "version": "18.0.1.0.0",
    "category": "Services/Client Consultation",
    "author": "lco_module contributors",
    "license": "LGPL-3",
    # No public repository yet: replace by its address when it is published.
    "website": "https://lco-module.example.org",
    "maintainers": ["lco_module contributors"],
    "depends": ["lco_module", "privacy_lookup"],
    "auto_install": True,
}
