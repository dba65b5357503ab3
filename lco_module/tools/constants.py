"""The addon's constants used in more than one place.

The portal (the module lco_portal): the client and the people around his table
on Odoo's portal (/my/lco). Who reads what is decided by the record rules of
base.group_portal (see lco_portal/security/lco_portal_security.xml): a portal user reads the cases he takes part in
as the client, or as a participant the current consent covers. What was said
about the client (his question, goals, strengths, the minutes) is for internal
users only over RPC (``groups=INTERNAL`` on those fields); the portal case page
shows it to whom the consent gives the full report (lco_portal's controllers/portal.py).
"""

# Groups (security/lco_security.xml).
INTERNAL = "base.group_user"
USER_GROUP = "lco_module.group_lco_user"
COORDINATOR_GROUP = "lco_module.group_lco_coordinator"
MANAGER_GROUP = "lco_module.group_lco_manager"
# An external chair of a regional contact point: a coordinator of the cases he
# chairs only, who takes in no requests (security/lco_chair_security.xml).
CHAIR_GROUP = "lco_module.group_lco_chair"

# The two kinds of client consultation (issue 24): the local one of an OCMW,
# and the one of youth care, for children, young people up to 24 and their
# families. The kind sets the names on every document, the roles at the table
# and the consent rule (lco.consent).
CASE_KINDS = [
    ("local", "Local Client Consultation"),
    ("youth", "Youth-Care Client Consultation"),
]
# The roles only a youth-care case has at its table (the trusted person
# also sits at a local one).
YOUTH_ROLES = ("parent", "guardian", "foster_parent", "support_figure")
# Who gives consent for a client under CONSENT_AGE_SELF, and who is informed
# when he gives it himself.
PARENT_ROLES = ("parent", "guardian", "foster_parent")
CONSENT_GIVER_ROLES = ("parent", "guardian")
# From 12 a minor gives consent himself (Flemish decree on the rights of the
# minor); youth care serves young adults up to 24.
CONSENT_AGE_SELF = 12
ADULT_AGE = 18
YOUTH_MAX_AGE = 24

# The cases still running: a request joins one, a consent is still given in
# one, a contact takes part in one.
OPEN_CASE_STATES = ("draft", "active")
# The Flemish OCMWs this is made for; used when nobody involved set a time zone.
DEFAULT_TZ = "Europe/Brussels"

# Records handled per cron call; the cron commits and calls again.
ANONYMISE_BATCH = 200
REMINDER_BATCH = 500

# What stands in a required text once its content is gone (anonymisation).
ERASED = "—"

# The portal.

# What a portal user answers on his own invitation.
PORTAL_REPLY_STATUSES = ("confirmed", "excused")
PORTAL_ATTENDEE_FIELDS = {"status", "practical_needs"}
# What a portal user reports on his own agreement.
PORTAL_AGREEMENT_STATES = ("done", "not_done")
PORTAL_AGREEMENT_FIELDS = {"state", "outcome_note"}
# The meetings a portal user sees: fixed ones, not those in preparation.
PORTAL_MEETING_STATES = ("scheduled", "held", "reported")
MAX_NOTE_LENGTH = 2000
# What a portal user sends to propose a topic for a coming meeting's agenda.
PORTAL_PROPOSAL_FIELDS = {"meeting_id", "name"}
# What a portal user sends when he adds a person to the network.
PORTAL_NETWORK_FIELDS = {"case_id", "name", "relationship", "closeness"}
MAX_TOPIC_LENGTH = 200
# The meetings whose report a portal user downloads: sending the report marks
# the meeting reported.
REPORT_SENT_STATES = ("reported",)
MEETING_COPY_REPORT = "lco_module.action_report_lco_meeting_copy"

# Who reads an agreement or an agenda topic, as the client chooses: the work
# plan version (and its readers' portal page and invitation) leaves out what
# is only for the full report.
REPORT_VISIBILITY = [
    ("table", "Everyone at the Table"),
    ("full", "Only Who Gets the Full Report"),
]
REPORT_VISIBILITY_HELP = (
    "Everyone at the table: also who gets the work plan only reads it (in the "
    "work plan, the invitation and on the portal). Only who gets the full "
    "report: the client chose to keep it from the others."
)
