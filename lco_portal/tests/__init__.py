from . import (
    test_evaluation,
    test_portal,
    test_portal_accessibility,
    test_portal_consent,
    test_portal_endorsement,
    test_portal_membership,
    test_portal_network,
    test_portal_proposals,
    test_portal_queries,
    test_portal_report_recipients,
    test_portal_website,
)
