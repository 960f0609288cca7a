# English texts of the portal and console pages. Same keys as zh-CN.ftl (a test checks).

platform-name = Government Information Disclosure Platform
column-name = Government Information Disclosure
skip-to-content = Skip to content
search-label = Search this site
search-button = Search
language-nav = Language
language-name = English
column-nav = Sections
breadcrumbs = You are here
pagination = Pages

nav-home = Home
nav-guide = Disclosure guide
nav-rules = Disclosure rules
nav-catalog = Proactive disclosure
nav-reports = Annual reports
nav-apply = Request information
nav-track = Track a request

footer-sponsor = Run by:
footer-site-code = Site identification code:

contact-office = Office:
contact-address = Address:
contact-postcode = Postcode:
contact-hours = Office hours:
contact-phone = Telephone:
contact-fax = Fax:
contact-email = E-mail:
contact-none = The agency has not given its contact details yet.

error-not-found-title = Page not found
error-not-found-text = The page you asked for does not exist, or the information was withdrawn. Check the address or start again from the home page.
error-too-many-title = Too many attempts
error-too-many-text = Too many requests came from your address. Please try again in about { $minutes ->
        [one] one minute
       *[other] { $minutes } minutes
    }.
error-bad-request-title = Something in the address is wrong
error-bad-request-text = A parameter of the address is not valid. Go back and choose again.
error-internal-title = Service temporarily unavailable
error-internal-text = The system could not handle your request just now. Please try again later.
error-back-home = Back to the home page
error-agency-index = All agencies

index-title = Government Information Disclosure Platform
index-text = Choose an agency to open its government information disclosure section.
index-empty = No agencies yet.

home-parent = Parent agency:
home-apply-title = Request information
home-apply-text = Citizens, companies and other organisations may request government information from this agency. After you submit a request online, follow it with its number and access code.
home-apply-button = Request online
home-track-button = Track a request
home-subcolumns = Disclosure sections
home-latest = Latest disclosures
home-plugin-columns = Latest figures
home-all-items = All disclosed information
home-contact = Contact
home-key-areas = Key areas
column-departments = Tables published by the departments
col-department = Department
home-children = Agencies under this one
feed-atom = Subscribe (Atom)

list-empty = Nothing here yet.
items-count = { $count ->
        [one] 1 item
       *[other] { $count } items
    }
page-of = Page { $page } of { $pages }
page-prev = Previous page
page-next = Next page
col-title = Title
col-index-number = Index number
col-kind = Kind
col-validity = Validity
col-published = Published
catalog-tree = Catalog
downloads = Download this section:

filter-words = Title or index number
filter-kind = Kind
filter-year = Year
filter-validity = Validity
filter-order = Order
filter-any = Any
filter-apply = Filter
order-newest = Newest first
order-oldest = Oldest first

search-title = Search
search-hint = Enter words, a document number or an index number; traditional characters and full-width forms work too.
search-results = { $count ->
        [one] 1 item contains
       *[other] { $count } items contain
    } “{ $words }”.

# search
search-scope = Scope
search-scope-self = This agency
search-scope-children = This agency and those under it
search-sort = Order
search-sort-relevance = Relevance
search-sort-date = Date published
search-facets = Narrow down
search-facet-agency = Agency
search-facet-catalog = Catalog
search-facet-kind = Kind
search-facet-year = Year
search-facet-validity = Validity
search-remove-filter = Remove this filter
search-remove-filters = Remove all filters
search-none = Nothing found for “{ $words }”.
search-none-filtered = The filters chosen may be too narrow:
search-try-children = Search the agencies under this one too
search-none-tips = Try shorter or more common words, or a document number such as “2025 12号”.

kind-notice = Notice
kind-policy = Policy document
kind-licensing = Administrative licence
kind-penalty = Administrative penalty
kind-enforcement = Administrative enforcement
kind-fee = Administrative fee
kind-news = News
kind-interpretation = Policy interpretation

validity-in_force = In force
validity-amended = Amended
validity-repealed = Repealed

item-index-number = Index number
item-issuer = Issued by
item-document-number = Document number
item-catalog = Catalog section
item-kind = Kind
item-issued-on = Written on
item-published-on = Published on
item-updated-on = Updated on
item-validity = Validity
item-effective-on = in effect from { $date }
item-expires-on = valid until { $date }
item-fields = Details
item-policy = The policy interpreted
item-interpretations = Interpretations
item-attachments = Attachments
item-repealed-title = This document has been repealed.
item-repealed-on = (repealed on { $date })
item-repealed-text = It is kept here for reference and no longer applies.
item-amended-text = This document has been amended; the amending document prevails.
item-print-hint = For a paper copy, use your browser's print function.

last-updated = Last updated:
default-text-note = This page was made by the platform from the agency's details; the agency has not edited it yet.
guide-unset = (not given yet)
guide-default =
    ## 1. Proactive disclosure

    Following articles 20 and 21 of the Regulations on Open Government Information, this agency publishes government information in the [proactive disclosure]({ $catalog }) section of this site, arranged by catalog; each item shows its index number, document number, date and validity.

    Information within the scope of proactive disclosure is published within 20 working days of being made or changed.

    ## 2. Requests for information

    Citizens, companies and other organisations may ask { $agency } for government information.

    - Online: fill in the [request form]({ $apply }); you receive a request number and an access code to [track the request]({ $track }).
    - In person or by letter: { $address }; office hours: { $hours }.

    A request that can be answered at once is answered at once; otherwise within 20 working days of receipt, extendable by at most 20 working days with the head's approval and notice to the applicant. An online request counts as received on the day the agency registers it; a request needing correction counts from the corrected request; time spent consulting third parties does not count.

    ## 3. Fees

    Information is normally provided free of charge. When the number or frequency of requests clearly exceeds a reasonable range, an information processing fee is charged per request or by volume; the agency notifies the amount and the payment deadline in writing first.

    ## 4. Office and contact

    - Office: { $office }
    - Address: { $address }
    - Office hours: { $hours }
    - Telephone: { $phone }
    - E-mail: { $email }

    ## 5. Remedies

    An applicant who believes the agency infringed their lawful rights may complain to the agency one level up or to the authority in charge of disclosure, apply for administrative reconsideration within 60 days of learning of the act, or bring an administrative lawsuit within 6 months of knowing or when they should have known of the act.
rules-default =
    This agency follows the Regulations on Open Government Information (State Council Decree 711) and the disclosure rules of its superior agencies, including:

    - confidentiality review of disclosures (three-level review);
    - proactive disclosure and disclosure on request;
    - assessment, public evaluation and accountability;
    - policy interpretation and responses to public concerns.

    Rules made by this agency itself will be published in this section.
reports-intro = Under article 49 of the Regulations, departments of governments at county level and above publish their annual report on disclosure work by 31 January, and local governments at county level and above by 31 March.
reports-none = This agency has not published an annual report yet.
# reports: the published annual report's page and downloads, the dashboard reminder
kind-annual_report = Annual report on disclosure work
report-downloads = Download the report
console-report-due-title = Annual report on disclosure work
console-report-due = The report for { $year } is due by { $due } (now: { $status }).
console-report-overdue = The report for { $year } is overdue: it was due by { $due } (now: { $status }).
console-report-status-none = not drafted
console-report-status-draft = draft
console-report-status-submitted = submitted, awaiting review and publication

apply-title = Request for government information
apply-rules-title = Before you apply
apply-rules-deadline = The agency answers within 20 working days of registering the request, extendable by at most 20 working days with notice to you. Time for your correction or for consulting third parties does not count.
apply-rules-fees = Information is normally free. When the number or frequency of requests clearly exceeds a reasonable range, a processing fee is charged; you are told the amount and the deadline in writing first.
apply-rules-privacy = Your identity document number, telephone and address are used only for this request, stored encrypted, and never published.
apply-applicant-type = Applicant
apply-name = Name of the applicant or contact person
apply-name-hint = Organisations give the name of their contact person.
apply-person = For a natural person
apply-id-type = Identity document
apply-id-number = Document number
apply-id-number-hint = A resident ID number has 18 characters; the last may be X.
apply-organisation = For a company or other organisation
apply-organisation-name = Organisation name
apply-credit-code = Unified social credit code
apply-credit-code-hint = 18 characters, on the business licence or registration certificate.
apply-contact = Contact
apply-contact-hint = Give at least one of telephone, e-mail and address; delivery by post needs the address, by e-mail the e-mail address.
apply-phone = Telephone
apply-email = E-mail
apply-address = Postal address
apply-description = The information sought: its title, document number or other features that help find it
apply-description-hint = Name the information, its document number and when it was made where you can; at least 5 and at most 5000 characters.
apply-purpose = Purpose of the request
apply-delivery-method = How you want to receive it
apply-delivery-form = In which form
apply-document = Identity document (optional)
apply-document-hint = If the agency needs to confirm who applies, attach a photo or scan of your identity document or business licence (JPEG, PNG or PDF, at most 5 MB). Only the staff handling the request can see it.
apply-document-again = Your browser cannot keep a chosen file: please choose it again.
apply-error-document = Attach a photo (JPEG, PNG) or a PDF of at most 5 MB.
apply-submit = Submit the request
apply-errors-title = Please correct the following and submit again:
apply-error-form = The form expired or its origin could not be checked. Check the content and submit again.
apply-error-too-long = Too long: at most { $limit } characters.
apply-error-applicant_type = Choose the kind of applicant.
apply-error-name = Give the applicant's name (an organisation: its contact person).
apply-error-id_type = A natural person chooses an identity document.
apply-error-id_number = Give a valid document number.
apply-error-organisation = An organisation gives its name.
apply-error-credit_code = Give a valid unified social credit code.
apply-error-phone = Give a valid telephone number.
apply-error-email = Give a valid e-mail address.
apply-error-address = Give your postal address.
apply-error-description = Describe the information sought (5 to 5000 characters).
apply-error-delivery_method = Choose how to receive the information.
apply-error-delivery_form = Choose the form of the information.
apply-error-language = Choose a language.
apply-error-Idempotency-Key = The form expired; reload the page and submit again.

applicant-person = Natural person
applicant-commercial = Company
applicant-research = Research institution
applicant-public_interest = Public-interest organisation
applicant-legal_service = Legal services
applicant-other = Other organisation
id-type-resident_id = Resident ID card
id-type-passport = Passport
id-type-hk_macao_permit = Hong Kong/Macao travel permit
id-type-taiwan_permit = Taiwan travel permit
id-type-foreign_permanent_residence = Foreign permanent residence ID
id-type-other = Other document
delivery-email = By e-mail
delivery-post = By post
delivery-collection = Collect in person
delivery-online = Online
form-electronic = Electronic
form-paper = Paper

receipt-title = Request receipt
receipt-lead = Your request for government information has been submitted. Note its number and access code.
receipt-agency = Agency
receipt-number = Request number
receipt-code = Access code
receipt-received = Submitted on
receipt-status = Status
receipt-code-once = The access code is shown only this once and cannot be recovered. Write it down or print this receipt now.
receipt-print = Use your browser's print function to print this receipt.
receipt-track = Track the request

track-title = Track a request
track-intro = Enter the request number and the access code to see the request's status, the date of every step, the due date and how it was computed.
track-number = Request number
track-code = Access code
track-submit = Look up
track-missing = Enter the request number and the access code.
track-not-found = No request matches this number and access code. Check them and try again.
track-result-title = Request { $number }
track-due = Due date
track-due-provisional = (provisional)
track-due-none = Not running yet
track-days-left = { $days ->
        [one] 1 working day left
       *[other] { $days } working days left
    }
track-overdue = Overdue
track-why = How the due date is computed
track-steps = Steps
track-step-date = Date
track-step = Step
track-fee = Processing fee
track-fee-text = A processing fee of { $amount } yuan is due by { $pay_by }; status: { $status }.
track-fee-how = Pay as the fee notice says; a fee not paid in time counts as abandoning the request.
track-answer = Answer
track-remedies = Remedies
track-remedies-text = If you disagree with the answer, you may apply for administrative reconsideration within 60 days of learning of it, or bring an administrative lawsuit in a people's court within 6 months.

status-received = Received
status-registered = Registered
status-correction_requested = Correction requested
status-corrected = Corrected
status-assigned = Being handled
status-consulting = Consulting third parties
status-answer_drafted = Answer in review
status-answer_reviewed = Answer approved
status-answered = Answered
status-closed = Closed
status-withdrawn = Withdrawn
status-abandoned = Deemed abandoned

event-received = Request received
event-registered = Registered
event-correction_requested = Correction requested
event-corrected = Corrected
event-assigned = Assigned
event-referred = Referred
event-consultation_started = Consultation started
event-consultation_ended = Consultation ended
event-extended = Period extended
event-fee_noticed = Fee notice
event-fee_paid = Fee paid
event-answer_drafted = Answer drafted
event-answer_approved = Answer approved
event-answer_returned = Answer returned
event-delivered = Answer delivered
event-closed = Closed
event-withdrawn = Withdrawn
event-abandoned = Deemed abandoned

fee-status-pending = Awaiting payment
fee-status-paid = Paid
fee-status-lapsed = Not paid in time

value-yes = Yes
value-no = No

error-signin-title = Please sign in
error-signin-text = This page is for signed-in staff, or your session has timed out.
error-signin-link = Sign in
error-forbidden-title = Not permitted
error-forbidden-text = Your roles in this agency do not include this action. Ask your agency's administrator if you need it.

console-name = Staff console
console-nav-desk = My work
console-nav-account = My account
console-signed-in-as = Signed in as
console-agencies = Switch agency
console-sign-out = Sign out
console-signin-title = Staff sign-in
console-email = E-mail
console-password = Password
console-sign-in = Sign in
console-signin-wrong = Wrong e-mail address or password.
console-signin-locked = Too many attempts: the account is locked for now. Try again in about { $minutes ->
    [one] one minute
   *[other] { $minutes } minutes
}.
console-signin-no-role = This account holds no role in an active agency and cannot use the console.
console-choose-title = Choose an agency
console-choose-none = You hold no role in an active agency.
console-my-roles = My roles:
console-desk-title = My work
console-desk-mine = Requests assigned to me
console-desk-mine-none = No request is assigned to you.
console-desk-overdue = Overdue requests of this agency
console-desk-overdue-none = No request of this agency is overdue.
console-desk-nothing = Nothing waits for your roles in this agency.
console-request-number = Number
console-request-status = Status
console-request-received = Received
console-request-due = Due
console-request-overdue = overdue
console-account-title = My account
console-password-title = Change password
console-password-change = Change password
console-field-current_password = Current password
console-field-name = Name
console-field-expires_in_days = Valid for days (optional)
console-error-current_password = The current password is not right.
console-error-name = Give a name of 1 to 100 characters.
console-error-expires_in_days = 1 to 3650 days, or leave empty.
console-tokens-title = API tokens
console-tokens-none = You have no API token yet.
console-token-new = New token
console-token-create = Create
console-token-shown-once = The new token, shown this once only. Keep it safe now:
console-token-created = Created
console-token-expires = Expires
console-token-state = State
console-token-revoked = revoked
console-token-revoke = Revoke
role-platform_admin = platform administrator
role-tenant_admin = agency administrator
role-editor = editor
role-reviewer = confidentiality reviewer
role-approver = approving leader
role-request_officer = request officer
role-auditor = auditor
role-overseer = overseer
console-nav-requests = Requests
console-nav-permissions = Permissions
console-permissions-title = Role permissions
console-permissions-intro = The table shows what the platform grants each role (the default). This agency may withdraw a permission from a role within the agency, and give back one it withdrew; it cannot grant what the platform does not. A change applies at the affected users' next action.
console-permissions-caption = Roles × permissions (cells marked "withdrawn" are this agency's changes)
console-permissions-permission = Permission
console-permissions-not-granted = not granted by the platform
console-permissions-withdrawn = withdrawn
console-permissions-withdraw = Withdraw
console-permissions-restore = Give back
console-requests-title = Requests for information
console-requests-none = No request matches.
console-filter-any = Any
console-filter-mine = Only those assigned to me
console-filter-overdue = Only overdue ones
console-filter-apply = Filter
console-request-left = Working days left
console-request-title = Request
console-request-deadline = Due date
console-request-due-on = Due on
console-request-days-left = { $days ->
    [one] one working day left
   *[other] { $days } working days left
}
console-request-steps = Handling
console-request-answers = Answers
console-request-no-answer = No answer drafted yet.
console-request-timeline = Timeline
console-request-applicant = Applicant
console-request-contact = Contact
console-request-delivery = Delivery / form
console-request-description = Information sought
console-request-documents = Documents from the applicant
console-steps-none = Your roles in this agency allow no step on this request.
console-step-refused = The request's present state does not allow this step.
console-step-register = Register
console-step-correction-request = Ask for a correction
console-step-assign = Assign
console-step-refer = Refer to the agency that holds it
console-step-extend = Extend the answer period
console-step-fee-notice = Send a fee notice
console-step-answer = Draft the answer
console-step-answer-approve = Approve the answer
console-step-answer-return = Return the answer
console-step-deliver = Deliver
console-step-close = Close
console-field-what = What must be corrected
console-field-respond_within_working_days = Working days to correct (default 15)
console-field-assignee_id = Officer
console-field-department = Department
console-field-agency = The agency to apply to
console-field-working_days = Working days added
console-field-reason = Reason (the applicant is told)
console-field-basis = Fee basis
console-field-pages = Pages
console-field-outcome_code = Outcome (code of table 3 of the annual report)
console-field-reply_text = Reply text (empty: made from the agency's template)
console-field-comments = What to change
console-field-note = Delivery record (registered-mail number, who collected it and when)
console-basis-count = per request
console-basis-pages = by quantity
console-status-received = received
console-status-registered = registered
console-status-correction_requested = awaiting correction
console-status-corrected = corrected
console-status-assigned = being handled
console-status-consulting = consulting
console-status-answer_drafted = answer awaiting approval
console-status-answer_reviewed = answer approved
console-status-answered = answered
console-status-closed = closed
console-status-withdrawn = withdrawn
console-status-abandoned = abandoned
console-event-received = received
console-event-registered = registered
console-event-correction_requested = correction requested
console-event-corrected = corrected
console-event-assigned = assigned
console-event-referred = referred
console-event-consultation_started = consultation started
console-event-consultation_ended = consultation ended
console-event-extended = extended
console-event-fee_noticed = fee notice
console-event-fee_paid = fee paid
console-event-answer_drafted = answer drafted
console-event-answer_approved = answer approved
console-event-answer_returned = answer returned
console-event-delivered = delivered
console-event-closed = closed
console-event-withdrawn = withdrawn
console-event-abandoned = abandoned
console-field-new_password = New password
console-error-new_password = The new password does not meet the rules.
console-password-changed = Your password was changed. Sessions elsewhere and all API tokens have ended.

# console: items and review
console-nav-items = Proactive disclosure
console-nav-review = Review
console-nav-search = Search
console-search-title = Search items
console-search-words = Words, document number or index number
console-search-hint = Searches the full text of this agency's published items, and the titles, document numbers and index numbers of its drafts and of items in review or waiting to be published.
console-stage-draft = Draft
console-stage-in_review = In review
console-stage-approved = Approved
console-stage-scheduled = Scheduled
console-stage-published = Published
console-stage-withdrawn = Withdrawn
console-required = (required)
console-choice-regulation = Regulation
console-choice-normative = Normative document
console-choice-natural_person = Natural person
console-choice-legal_person = Legal person
console-choice-other = Other organisation
console-form-problems = Please correct the following:
console-items-title = Proactive disclosure items
console-items-none = No items match.
console-item-new = New item
console-item-new-title = New item
console-item-edit-title = Edit the draft
console-item-choose-kind = Choose the kind of item
console-item-kind-is = Kind:
console-item-index = Index number
console-item-title = Title
console-item-body = Text (Markdown)
console-item-kind = Kind
console-item-node = Catalog section
console-item-stage = Stage
console-item-version = Version
console-item-due = Publish by
console-item-updated = Updated
console-item-validity = Validity
console-item-fields = Details of the kind
console-item-attribute = Disclosure attribute
console-item-attribute-choice = Disclosure attribute decided
console-item-attribute-fixed = (decided at creation; cannot be changed)
console-item-legal_ground = Legal ground for not publishing proactively
console-item-attribute_reason = Reason
console-attribute-proactive = Proactive disclosure
console-attribute-on_request = On request
console-attribute-not_disclosed = Not disclosed
console-item-not-a-draft = Only a draft can be edited. Revise an approved or published item first to start a new version.
console-item-save = Save
console-item-edit = Edit the draft
console-item-back = Back to the item
console-item-refused = Not possible:
console-item-actions = Actions
console-item-no-actions = Your roles in this agency allow no action on this item now.
console-item-content = Content (as staff see it)
console-item-scheduled = Scheduled for
console-item-withdrawn = Reason for withdrawal
console-item-repealed = Repealed on
console-item-attachments = Attachments
console-item-no-attachments = No attachments.
console-item-attachment = Attachment
console-item-attachment-file = Choose a file
console-item-attachment-upload = Upload the attachment
console-item-attachment-progress = Upload progress
console-item-attachment-remove = Remove
console-item-stale-title = Someone else saved a new version while you were editing
console-item-stale-text = You edited version { $edited }, but the item is now at version { $saved } (saved { $at }). Everything you entered is kept in the form below; compare it with the saved version, then save.
console-item-stale-saved = Saved version { $version }
console-item-stale-diff = Differences between the saved version and yours (- saved, + yours)
console-item-stale-yours = Saving again replaces the saved version with your text.
console-filter-my-items = Only items I created
console-pages = Pages
console-page-prev = Previous page
console-page-next = Next page
console-page-n = Page { $page }
console-action-submit = Submit for review
console-action-publish = Publish now
console-action-schedule = Schedule publication
console-action-schedule-at = Publish at (China time)
console-action-unschedule = Cancel the scheduled publication
console-action-revise = Revise (start a new version)
console-action-withdraw = Withdraw
console-action-withdraw-reason = Reason for withdrawal (required)
console-action-repeal = Mark as repealed
console-action-repeal-reason = Reason for repeal (e.g. the repealing document; kept in the audit log)
console-action-amend = Mark as amended
console-history-title = Versions
console-history-choose = Choose two versions to compare
console-history-from = Compare from
console-history-to = Compare to
console-history-saved = Saved
console-history-compare = Compare
console-history-diff = Differences between version { $a } and version { $b }
console-history-same = The two versions are the same.
console-findings-title = Confidentiality scan findings
console-findings-none = The scan found nothing to resolve.
console-findings-not-yet = Title, text, fields and attachments are scanned when the item is submitted.
console-findings-in-file = Found in an attachment (see beside).
console-finding-resident_id = Resident ID number
console-finding-mobile = Mobile number
console-finding-bank_card = Bank card number
console-finding-email = E-mail address
console-finding-sensitive_word = Sensitive word
console-finding-unreadable = Unreadable attachment
console-finding-unscanned = Attachment not scanned
console-finding-open = To resolve
console-finding-redacted = Masked
console-finding-kept = Kept as written
console-finding-reason = Reason (required to keep the text)
console-finding-change = Change the resolution
console-finding-mask = Accept the mask
console-finding-keep = Keep as written
console-review-title = Waiting for my review
console-review-none = Nothing waits for your roles' review.
console-review-yours = Mine to decide?
console-review-your-turn = Your turn
console-review-of = Review:
console-review-item-page = The item's page
console-review-open = Review page
console-review-turn = Step waiting for a decision
console-review-not-in-review = This item is not in review.
console-review-not-yours = You cannot decide this step:
console-review-comments-label = Comments (required to return)
console-review-return-needs-reason = A return needs a reason.
console-review-approve = Approve
console-review-return = Return for changes
console-review-as-published = As it will be published (masked)
console-review-as-written = As written (staff view)
console-review-unresolved = { $count ->
        [one] 1 finding is
       *[other] { $count } findings are
    } not resolved yet and shown as written until resolved.
console-review-chain = Review chain and decisions
console-review-pending = waiting
console-review-no-decisions = No decisions yet.
console-review-step = Step
console-review-verdict = Decision
console-review-comments = Comments
console-review-by = By, at
console-verdict-approve = Approved
console-verdict-reject = Returned
console-refusal-not_in_review = This item is not in review.
console-refusal-nothing_pending = Every step is approved.
console-refusal-not_pending = This step is not yet due.
console-refusal-edited_this_version = Separation of duties: you edited this version (wrote, changed or added or removed attachments), and nobody reviews their own work.
console-refusal-already_signed = Separation of duties: you already signed another step of this version; one person signs one step.
console-refusal-wrong_role = This step is for the role “{ $role }”, which you do not hold in this agency.

console-nav-audit = Audit log
console-audit-title = Audit log
console-audit-intro = Everything done in this agency, newest first: who, when, on what, and the details exactly as they were hashed into the chain. Each entry's hash covers the one before it, so a changed or removed entry breaks the chain from there on.
console-audit-verify = Verify the chain
console-audit-intact = The chain is intact: { $entries ->
    [one] one entry
   *[other] { $entries } entries
} recomputed from the first.
console-audit-broken = The chain is broken at entry #{ $seq }: { $reason }
console-audit-action = Action (starts with)
console-audit-action-long = At most 100 characters.
console-audit-before-bad = Not an entry number: start again from the newest entries.
console-audit-none = No entry matches.
console-audit-caption = Audit entries, newest first
console-audit-at = Time (China)
console-audit-actor = By
console-audit-target = On
console-audit-details = Details
console-audit-show = Show
console-audit-older = Older entries
console-nav-members = Members
console-members-title = Members and roles
console-members-intro = Everyone who works in this agency, with their roles here. A role is given or taken back by another administrator, never by oneself; an account new to the agency is enrolled by a platform administrator, after which the agency's administrators manage its roles.
console-members-caption = Members of the agency and their roles
console-members-roles = Roles
console-members-give = Give a role
console-members-take = Take back
console-members-not-own = Your own roles are changed by another administrator.
console-members-inactive = disabled
console-members-add = Enrol a member
console-members-add-intro = Name and password are needed only for an address that has no account yet.
console-field-email = E-mail address
console-field-display_name = Name
console-field-password = Password (new accounts only)
console-error-email = This address cannot be enrolled here
console-error-display_name = A name is needed
console-error-password = A password is needed
console-error-roles = Choose at least one role
# console: annual reports and statistics
console-nav-reports = Annual reports
console-nav-statistics = Statistics
console-reports-title = Annual reports on government information disclosure
console-reports-none = No annual report has been drafted yet.
console-reports-year = Year
console-reports-status = Status
console-reports-computed = Last counted
console-reports-draft = Draft or count again
console-reports-draft-help = The platform fills tables 2 to 4 from the agency's items, requests and remedies; counting a draft again keeps its adjustments and text.
console-reports-draft-button = Draft or count again
console-report-title = Annual report { $year }
console-report-item = The report's item (review, publication)
console-report-adjusted = (adjusted by hand; counted { $computed })
console-report-checks = Cross-checks that fail (all must pass before submission)
console-report-submit-refused = Not submitted: these cross-checks fail
console-report-figures-help = Select a figure to see the records it counts, and to adjust it with a reason.
console-report-sections = Written sections
console-report-overview = 1. Overview
console-report-problems = 5. Main problems and improvements
console-report-other = 6. Other matters
console-report-save = Save the sections
console-report-submit = Submit for review
console-report-submit-help = Once submitted the report no longer changes: the platform makes an item in the annual reports column, reviewed and published through that column's chain.
console-figure-value = Value used
console-figure-computed = Counted value
console-figure-reason = Reason for the adjustment
console-figure-records = Records counted ({ $count })
console-figure-no-records = No record counts here.
console-figure-truncated = Only the first 500 are listed.
console-figure-adjust = Adjust by hand
console-figure-adjust-help = Give the value to use and why; leave the value empty to use the counted one. Totals do not change with it: the cross-checks say what else must change.
console-figure-new-value = Value to use
console-figure-save = Save the adjustment
console-statistics-title = Statistics
console-statistics-from = From month
console-statistics-to = To month
console-statistics-agency = Agency
console-statistics-show = Show
console-statistics-table = Monthly counts
console-statistics-month = Month
console-statistics-definitions = How the figures are counted
console-statistics-downloads = Download
console-ranking-title = Quarterly ranking of agencies
console-ranking-quarter = Quarter (e.g. 2026Q1)
console-ranking-provisional = the quarter is not over: figures up to today
console-ranking-no-score = Each metric is ranked on its own, with no composite score; equal values share a rank; an agency whose value cannot be computed is not ranked.
console-ranking-rank = Rank
console-ranking-value = Value
console-ranking-counted = Numerator / denominator
console-compare-title = Compared with the previous year
console-compare-heading = Annual report { $year } compared with { $previous }
console-compare-cell = Figure
console-compare-change = Change
console-report-carried = Carried into { $previous } (typed in)
console-report-carried-help = When the platform has no report of the previous year, type in row 4 of its table 3 (carried to the next year) and say where it comes from: this year's row 2 is checked against it.
console-report-carried-columns = Row 4 of the previous year, by applicant
console-report-carried-save = Save the carried figures
