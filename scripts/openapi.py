#!/usr/bin/env python3
"""Writes Sources/RendezvousWeb/openapi.json, the API's contract. Edit here, run, commit both.
A test checks that the document lists exactly the routes the server registers."""
import json, pathlib, sys

def ref(name): return {"$ref": f"#/components/schemas/{name}"}
def body(name): return {"required": True, "content": {"application/json": {"schema": ref(name)}}}
def ok(name, status="200", desc="OK"): return {status: {"description": desc, "content": {"application/json": {"schema": ref(name)}}}}
def err(*codes):
    text = {"400": "Malformed JSON or a value of the wrong type", "401": "Missing, wrong or expired bearer token",
            "403": "Signed in, but not allowed", "404": "Not found, or belongs to a chapter the caller does not organise",
            "409": "Conflicts with what is stored (duplicate email, no open offer, registration closed, capacity below the seats held)", "413": "Body larger than 64 KiB",
            "415": "Content-Type is not application/json", "422": "Validation failed; `fields` says why, per field",
            "429": "Too many writes from this address; see Retry-After"}
    out = {}
    for code in codes:
        response = {"description": text[code], "content": {"application/json": {"schema": ref("Error")}}}
        if code == "429":
            response["headers"] = {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait"}}
        out[code] = response
    return out
def param(name, desc, fmt=None):
    schema = {"type": "string"}
    if fmt: schema["format"] = fmt
    return {"name": name, "in": "path", "required": True, "description": desc, "schema": schema}
bearer = [{"bearer": []}]
manage_header = {"name": "X-Manage-Token", "in": "header", "required": False, "schema": {"type": "string"},
                 "description": "The registration's manage token (or send it as `manageToken` in the body)"}
s = {"type": "string"}
# What the server's text rules accept (TextRules.clean): no control, bidirectional-override or
# invisible format characters; a required field holds something besides spaces once trimmed.
forbidden = "\\u0000-\\u001f\\u007f-\\u009f\\u202a-\\u202e\\u2066-\\u2069\\u2028\\u2029\\ufeff"
text_pattern = f"^[^{forbidden}]*[^\\s{forbidden}][^{forbidden}]*$"
optional_text_pattern = f"^[^{forbidden}]*$"
# Multi-line fields (descriptions, bodies) may also hold tabs and line breaks.
forbidden_ml = "\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f\\u202a-\\u202e\\u2066-\\u2069\\u2028\\u2029\\ufeff"
def text(max_length, required=True, multiline=False, **extra):
    """A text field as TextRules.clean accepts it: at most max_length characters, none forbidden,
    and (required) something besides spaces."""
    bad = forbidden_ml if multiline else forbidden
    pattern = f"^[^{bad}]*[^\\s{bad}][^{bad}]*$" if required else f"^[^{bad}]*$"
    return {"type": "string", "maxLength": max_length, "pattern": pattern, **extra}
# A date-time the server reads: RFC 3339 with an offset, from 2000 to 9999 in UTC (a year like 0165
# has local mean time offsets in seconds, which no RFC 3339 date-time can say); written with a local
# year from 2001 to 9899, whatever the offset.
dt_in = {"type": "string", "format": "date-time", "pattern": "^(200[1-9]|20[1-9][0-9]|2[1-9][0-9]{2}|[3-8][0-9]{3}|9[0-8][0-9]{2})-",
         "description": "ISO 8601 with an offset, years 2001 to 9899"}
nonempty = {"type": "string", "minLength": 1}
import zoneinfo
# The IANA zones a chapter may be in: the Area/Location names of the tz database (and UTC).
time_zones = sorted(z for z in zoneinfo.available_timezones()
                    if z == "UTC" or z.split("/")[0] in {"Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic", "Australia", "Europe", "Indian", "Pacific"})
# The speaker's links: up to 12 lines, each a few words of label then an http(s) address.
_label = "(?:[A-Za-z0-9À-ÿ.,:()'–-]+ ){0,6}"
_link = "https?://[a-z0-9]+(?:[.-][a-z0-9]+)*\\.[a-z]{2,}(?:/[A-Za-z0-9._~/-]*)?"
follow_up_pattern = f"^(?:{_label}{_link}(?:\\n{_label}{_link}){{0,11}})?$"
dt = {"type": "string", "format": "date-time", "description": "ISO 8601 with an offset"}
heard_from_codes = ["linkedin", "friend_or_colleague", "chapter_mail", "search", "event_listing", "other"]
nullable_int = {"type": ["integer", "null"]}

doc = {
  "openapi": "3.1.0",
  "info": {"title": "Rendezvous API", "version": "1.0.0",
           "description": "Network, chapters, events and registrations of a Rendezvous network. Errors are JSON `{error, fields}` with a 4xx status, in the language of Accept-Language (en or fr)."},
  "servers": [{"url": "/"}],
  "components": {
    "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "description": "A token from POST /api/v1/tokens"}},
    "schemas": {
      "Error": {"type": "object", "required": ["error", "fields"], "properties": {
          "error": s, "fields": {"type": "object", "additionalProperties": s}}},
      "TokenRequest": {"type": "object", "required": ["email", "password"], "properties": {"email": nonempty, "password": nonempty}},
      "TokenResponse": {"type": "object", "required": ["token", "expiresAt"], "properties": {"token": s, "expiresAt": dt}},
      "ChapterInput": {"type": "object", "required": ["slug", "name", "city", "countryCode", "timeZone", "locale"], "properties": {
          "slug": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]{0,58}[a-z0-9]$"}, "name": text(120), "city": text(120),
          "countryCode": {"type": "string", "pattern": "^[A-Za-z]{2}$", "description": "ISO 3166-1 alpha-2"},
          "timeZone": {"type": "string", "enum": time_zones, "description": "IANA name, e.g. Europe/Paris"},
          "locale": {"type": "string", "enum": ["en", "fr"]}, "description": text(5000, required=False, multiline=True),
          "offerHours": {"type": "integer", "minimum": 1, "maximum": 336, "description": "How long a waitlist offer stays open (default 24)"}}},
      "Chapter": {"type": "object", "required": ["id", "slug", "name", "city", "countryCode", "timeZone", "locale", "url"], "properties": {
          "id": {"type": "string", "format": "uuid"}, "slug": s, "name": s, "city": s, "countryCode": s, "timeZone": s, "locale": s,
          "url": {"type": "string", "format": "uri", "description": "The chapter's public page"}}},
      "ChapterList": {"type": "object", "required": ["items"], "properties": {"items": {"type": "array", "items": ref("Chapter")}}},
      "Venue": {"type": "object", "required": ["name", "address", "mapUrl"], "properties": {"name": s, "address": s, "mapUrl": {"type": "string", "format": "uri"}}},
      "Speaker": {"type": "object", "required": ["name", "jobTitle"], "properties": {"name": s, "jobTitle": s, "company": s}},
      "AgendaItem": {"type": "object", "required": ["startsAt", "title"], "properties": {"startsAt": dt, "title": s}},
      "EventInput": {"type": "object", "required": ["title", "startsAt", "endsAt", "capacity"], "properties": {
          "title": text(140), "startsAt": dt_in, "endsAt": {**dt_in, "description": "After startsAt"}, "capacity": {"type": "integer", "minimum": 1, "maximum": 100000},
          "description": text(5000, required=False, multiline=True),
          "venue": {"type": "object", "required": ["name"], "properties": {"name": text(140), "address": text(300, required=False)}},
          "speakers": {"type": "array", "maxItems": 20, "items": {"type": "object", "required": ["name"], "properties": {
              "name": text(120), "jobTitle": text(140, required=False), "company": text(140, required=False), "bio": text(2000, required=False, multiline=True)}}},
          "agenda": {"type": "array", "maxItems": 50, "items": {"type": "object", "required": ["startsAt", "title"], "properties": {"startsAt": dt_in, "title": text(200)}}},
          "status": {"type": "string", "enum": ["draft", "published", "cancelled"], "default": "published"}}},
      "EventPatch": {"type": "object", "properties": {
          "title": text(140), "description": text(5000, required=False, multiline=True), "capacity": {"type": "integer", "minimum": 1, "maximum": 100000, "description": "Raising it offers the new seats to the waitlist; lowering it below the seats held is refused (409, naming capacity)"},
          "status": {"type": "string", "enum": ["draft", "published", "cancelled"]}}},
      "Event": {"type": "object", "required": ["id", "chapter", "title", "description", "startsAt", "endsAt", "timeZone", "status", "capacity", "confirmedCount", "waitlistCount", "seatsLeft", "overbooking", "url"], "properties": {
          "id": {"type": "string", "format": "uuid"}, "chapter": {"type": "string", "description": "Chapter slug"}, "title": s, "description": s,
          "startsAt": dt, "endsAt": dt, "timeZone": s, "status": {"type": "string", "enum": ["draft", "published", "cancelled"]},
          "capacity": {"type": "integer"}, "confirmedCount": {"type": "integer"}, "waitlistCount": {"type": "integer"},
          "seatsLeft": {"type": "integer", "description": "Capacity minus confirmed seats and seats held by open waitlist offers"},
          "venue": ref("Venue"), "speakers": {"type": "array", "items": ref("Speaker")}, "agenda": {"type": "array", "items": ref("AgendaItem")},
          "overbooking": ref("PublicOverbooking"),
          "url": {"type": "string", "format": "uri", "description": "The event's public page"}}},
      "PublicOverbooking": {"type": "object", "description": "What the event page says of overbooking: seats are confirmed beyond the capacity because some never come (issue 15)",
          "required": ["enabled", "seatsConfirmedUpTo", "expectedAttendance"], "additionalProperties": False, "properties": {
          "enabled": {"type": "boolean", "description": "The organisers turned overbooking on"},
          "seatsConfirmedUpTo": {"type": "integer", "minimum": 0, "description": "Seats are confirmed up to this many: the capacity plus the extra seats overbooking gives (the capacity when off)"},
          "expectedAttendance": {"type": ["integer", "null"], "minimum": 0, "description": "About how many of the confirmed people are expected to come, from the chapter's no-show forecast for the evening's venue (the same figure as the organisers' workspace); null when the page says nothing: overbooking off or giving no extra seat, the meetup not public or over"}}},
      "EventList": {"type": "object", "required": ["items"], "properties": {"items": {"type": "array", "items": ref("Event")}}},
      "ConsentsInput": {"type": "object", "description": "Each null or left out: no", "properties": {
          "attendeeList": {"type": ["boolean", "null"], "description": "Appear on the public attendee list"},
          "profileSharing": {"type": ["boolean", "null"], "description": "Show my profile to people I meet"},
          "news": {"type": ["boolean", "null"], "description": "Once attended, receive the chapter's announcements of its next meetups"}}},
      "Consents": {"type": "object", "properties": {
          "attendeeList": {"type": "boolean", "description": "Appear on the public attendee list"},
          "profileSharing": {"type": "boolean", "description": "Show my profile to people I meet"},
          "news": {"type": "boolean", "description": "Once attended, receive the chapter's announcements of its next meetups"}}},
      "IncidentInput": {"type": "object", "required": ["description"], "properties": {
          "description": text(5000, multiline=True, description="What happened (when, where, who)"),
          "name": text(120, required=False, description="The reporter's name; leave out to stay anonymous"),
          "contact": text(200, required=False, description="How to reach the reporter, if they want an answer")}},
      "IncidentReceived": {"type": "object", "required": ["status"], "properties": {"status": {"type": "string", "enum": ["received"]}}},
      "RegistrationInput": {"type": "object", "required": ["firstName", "lastName", "email", "jobTitle", "acceptCodeOfConduct"], "properties": {
          "acceptCodeOfConduct": {"type": "boolean", "const": True, "description": "The person accepts the network's code of conduct (/code-of-conduct); required, the time is recorded. Missing or false: 422 naming this field"},
          "firstName": text(80), "lastName": text(80),
          "email": {"type": "string", "format": "email", "maxLength": 254}, "jobTitle": text(100),
          "company": text(100, required=False), "linkedinUrl": {"type": "string", "pattern": "^(https://(www\\.)?linkedin\\.com/(in|company)/[A-Za-z0-9_-]{1,100}/?)?$", "description": "A linkedin.com/in/… address"},
          "askMeAbout": text(140, required=False), "consents": ref("ConsentsInput"),
          "bingoFacts": {"type": "array", "description": "Facts shared for the evening's bingo; used only with gamesConsent; a fact given twice counts once",
                         "items": {"type": "string", "enum": ["livedAbroad", "speaksThreeLanguages", "changedCareer", "foundedCompany", "runsMarathons",
                                                              "playsMusic", "volunteers", "worksRemotely", "hasPet", "cooksWell", "readsSciFi",
                                                              "travelledFiveContinents", "teachesOrMentors", "podcastOrBlog", "sportsTeam", "firstJobNotInField"]}},
          "gamesConsent": {"type": "boolean", "default": False, "description": "Use my job, company, topics and bingoFacts in the evening's bingo"},
          "heardFrom": {"type": "string", "enum": heard_from_codes + [""], "description": "How did you hear about us? (optional; empty or left out: not said). Any other value: 422 naming this field"},
          "anyDate": {"type": ["boolean", "null"], "default": False, "description": "(null or left out: no) Any date works for me: when a second evening is opened from the waitlist, move me there directly (confirmed, in my turn) instead of offering me the seat"},
          "answers": {"type": "object", "additionalProperties": {"type": "string", "maxLength": 500},
                      "description": "Answers to the event's registration questions (GET /api/v1/events/{id}/questions), by question id; a choice is one of its choices, yes/no is \"yes\" or \"no\"; an error names answers.<id>"}}},
      "Question": {"type": "object", "required": ["id", "label", "kind", "choices", "required", "thisEventOnly"], "properties": {
          "id": {"type": "string", "format": "uuid"}, "label": s, "kind": {"type": "string", "enum": ["text", "choice", "yes-no"]},
          "choices": {"type": "array", "items": s}, "required": {"type": "boolean"},
          "thisEventOnly": {"type": "boolean", "description": "False: asked at every meetup of the chapter"}}},
      "QuestionList": {"type": "object", "required": ["items"], "properties": {"items": {"type": "array", "items": ref("Question")}}},
      "RegistrationCreated": {"type": "object", "required": ["id", "eventId", "status", "manageToken", "manageUrl"], "properties": {
          "id": {"type": "string", "format": "uuid"}, "eventId": {"type": "string", "format": "uuid", "description": "The meetup asked for, or its second evening"},
          "status": {"type": "string", "enum": ["confirmed", "waitlisted"]},
          "waitlistPosition": {"type": "integer", "minimum": 1}, "manageToken": s, "manageUrl": {"type": "string", "format": "uri"}},
          "description": "The registration made. With anyDate on a full meetup whose second evening has a free seat, the person is moved there at once: this is that seat (confirmed, on the second evening: see eventId), and integrators hear of it once, as registration.created on the second evening"},
      "RegistrationState": {"type": "object", "required": ["id", "eventId", "status"], "properties": {
          "id": {"type": "string", "format": "uuid"}, "eventId": {"type": "string", "format": "uuid"},
          "status": {"type": "string", "enum": ["confirmed", "waitlisted", "offered", "cancelled", "expired"]},
          "waitlistPosition": {"type": "integer"}, "offerExpiresAt": dt}},
      "ManageTokenBody": {"type": "object", "properties": {"manageToken": s}},
      "Registration": {"type": "object", "required": ["id", "eventId", "firstName", "lastName", "email", "jobTitle", "status", "createdAt"], "properties": {
          "id": {"type": "string", "format": "uuid"}, "eventId": {"type": "string", "format": "uuid"}, "firstName": s, "lastName": s,
          "email": s, "jobTitle": s, "company": s, "linkedinUrl": s, "askMeAbout": s, "consents": ref("Consents"),
          "status": {"type": "string", "enum": ["confirmed", "waitlisted", "offered", "cancelled", "expired"]},
          "waitlistPosition": {"type": "integer"}, "offerExpiresAt": dt, "createdAt": dt,
          "answers": {"type": "object", "additionalProperties": s, "description": "Answers to the registration questions, by question id"}}},
      "RegistrationList": {"type": "object", "required": ["items"], "properties": {"items": {"type": "array", "items": ref("Registration")}}},
    }},
  "paths": {
    "/healthz": {"get": {"summary": "Liveness", "operationId": "health", "responses": {"200": {"description": "Up", "content": {"application/json": {"schema": {"type": "object", "properties": {"status": s}}}}}}}},
    "/api/v1/tokens": {"post": {"summary": "Exchange an organiser's email and password for a bearer token", "operationId": "createToken",
        "requestBody": body("TokenRequest"), "responses": {**ok("TokenResponse", "201", "Token issued"), **err("400", "401", "415", "422", "429")}}},
    "/api/v1/chapters": {
        "get": {"summary": "All chapters", "operationId": "listChapters", "responses": ok("ChapterList")},
        "post": {"summary": "Open a chapter (network admins)", "operationId": "createChapter", "security": bearer,
                 "requestBody": body("ChapterInput"), "responses": {**ok("Chapter", "201", "Created"), **err("400", "401", "403", "415", "422")}}},
    "/api/v1/chapters/{slug}/events": {
        "parameters": [param("slug", "Chapter slug")],
        "get": {"summary": "Upcoming published events of a chapter", "operationId": "listEvents", "responses": {**ok("EventList"), **err("404")}},
        "post": {"summary": "Create an event (organisers of the chapter, network admins)", "operationId": "createEvent", "security": bearer,
                 "requestBody": body("EventInput"), "responses": {**ok("Event", "201", "Created"), **err("400", "401", "404", "415", "422")}}},
    "/api/v1/events/{id}": {
        "parameters": [param("id", "Event id", "uuid")],
        "get": {"summary": "An event with its seat counts", "operationId": "showEvent", "responses": {**ok("Event"), **err("404")}},
        "patch": {"summary": "Change an event; raising capacity offers seats to the waitlist", "description": "Setting `status` to `cancelled` mails everyone registered and lets the open offers of its seats lapse. An evening whose second evening is open moves its waiting \"any date\" people there in queue order (a seat while one is free, else its waitlist), each told by mail; the others' cancellation mail names the second evening. Cancelling is final: on a cancelled event, a `status` other than `cancelled` or a different `capacity` is refused with 409 and nothing changes (cancelling again changes nothing and answers 200).", "operationId": "updateEvent", "security": bearer,
                  "requestBody": body("EventPatch"), "responses": {**ok("Event"), **err("400", "401", "404", "409", "415", "422"),
                                                                  "409": {"description": "The event is cancelled, which is final (no publishing again, no capacity change), or the capacity is below the seats held (naming `capacity`)", "content": {"application/json": {"schema": ref("Error")}}}}}},
    "/api/v1/events/{id}/registrations": {
        "parameters": [param("id", "Event id", "uuid")],
        "get": {"summary": "Registrations of an event (organisers)", "operationId": "listRegistrations", "security": bearer,
                "responses": {**ok("RegistrationList"), **err("401", "404")}},
        "post": {"summary": "Register, without an account: a seat if one is free, else the waitlist", "operationId": "register",
                 "requestBody": body("RegistrationInput"),
                 "responses": {**ok("RegistrationCreated", "201", "Registered"), **err("400", "404", "409", "413", "415", "422", "429")}}},
    "/api/v1/events/{id}/questions": {
        "parameters": [param("id", "Event id", "uuid")],
        "get": {"summary": "The organisers' registration questions of an event (what its form asks)", "operationId": "listQuestions",
                "responses": {**ok("QuestionList"), **err("404")}}},
    "/api/v1/events/{id}/incidents": {
        "parameters": [param("id", "Event id", "uuid")],
        "post": {"summary": "Report an incident in confidence (the reporter may stay anonymous): the chapter's organisers and the network admins are told; nothing is echoed back",
                 "operationId": "reportIncident", "requestBody": body("IncidentInput"),
                 "responses": {**ok("IncidentReceived", "201", "Received"), **err("400", "404", "413", "415", "422", "429")}}},
    "/api/v1/registrations/{id}": {
        "parameters": [param("id", "Registration id", "uuid"), {**manage_header, "required": True}],
        "get": {"summary": "A registration's status (with its manage token)", "operationId": "showRegistration", "responses": {**ok("RegistrationState"), **err("404")}}},
  },
}
# An attendee's own data: their session (the rv_me cookie of My Rendezvous: every registration of
# the address) or one registration's manage token (that registration only).
doc["components"]["securitySchemes"].update({
    "attendeeSession": {"type": "apiKey", "in": "cookie", "name": "rv_me", "description": "The attendee's My Rendezvous session: every registration of the address"},
    "manageToken": {"type": "apiKey", "in": "header", "name": "X-Manage-Token", "description": "One registration's manage token: that registration only"},
})
attendee = [{"attendeeSession": []}, {"manageToken": []}]
dt_or_null = {"type": ["string", "null"], "format": "date-time"}
consent_kind = {"type": "string", "enum": ["list", "profile", "games", "news", "mail"]}
doc["components"]["schemas"].update({
    "ConsentsChange": {"type": "object", "description": "Each consent given (true) or withdrawn (false); one left out is left as it is. Applies to every registration in scope at once and is recorded",
        "properties": {"list": {"type": "boolean", "description": "On the public attendee list"},
                       "profile": {"type": "boolean", "description": "LinkedIn and \"ask me about\" shown to people met"},
                       "games": {"type": "boolean", "description": "Job, company, topics and facts on the evening's bingo cards"},
                       "news": {"type": "boolean", "description": "The chapter's announcements once attended"},
                       "mail": {"type": "boolean", "description": "Reminders and follow-up mails (false unsubscribes)"}}},
    "ConsentsSaved": {"type": "object", "required": ["consents"], "properties": {
        "consents": {"type": "object", "additionalProperties": {"type": "boolean"}, "description": "Each consent: true when given on at least one registration in scope"}}},
    "Erased": {"type": "object", "required": ["status", "registrations"], "properties": {
        "status": {"type": "string", "enum": ["erased"]}, "registrations": {"type": "integer", "description": "Registrations anonymised"}}},
    "PersonalData": {"type": "object", "description": "Everything held about the caller (docs/data-export.md)",
        "required": ["format", "version", "exportedAt", "email", "registrations", "profile", "photo", "consentChanges", "contacts", "messages", "quizAnswers", "feedback",
                     "incidentReports", "following", "signIns"],
        "properties": {
            "format": {"type": "string", "enum": ["rendezvous-personal-data"]}, "version": {"type": "integer", "enum": [1]}, "exportedAt": dt, "email": s,
            "registrations": {"type": "array", "items": {"type": "object", "properties": {
                "id": {"type": "string", "format": "uuid"},
                "event": {"type": "object", "properties": {"id": {"type": "string", "format": "uuid"}, "title": s, "chapter": s, "startsAt": dt}},
                "status": s, "firstName": s, "lastName": s, "email": s, "jobTitle": s, "company": s, "linkedinUrl": s, "askMeAbout": s,
                "bingoFacts": {"type": "array", "items": s},
                "consents": {"type": "array", "items": {"type": "object", "properties": {"consent": consent_kind, "given": {"type": "boolean"}}}},
                "registeredAt": dt, "updatedAt": dt, "conductAcceptedAt": dt_or_null, "checkedInAt": dt_or_null,
                "heardFrom": {"type": ["string", "null"], "enum": heard_from_codes + [None]}, "walkIn": {"type": "boolean"},
                "language": s, "organizerNote": s,
                "answers": {"type": "array", "items": {"type": "object", "properties": {"question": s, "answer": s}}}}}},
            "profile": {"type": ["object", "null"]},
            "photo": {"type": ["object", "null"], "description": "The profile photo: where it is served to the signed-in person, and its type; null without one and from a manage link",
                      "required": ["url", "contentType"], "properties": {"url": {"type": "string"}, "contentType": {"type": "string"}}},
            "consentChanges": {"type": "array", "items": {"type": "object", "properties": {
                "registration": {"type": "string", "format": "uuid"}, "consent": consent_kind, "given": {"type": "boolean"}, "source": s, "at": dt}}},
            "contacts": {"type": "array", "items": {"type": "object"}}, "messages": {"type": "array", "items": {"type": "object"}},
            "quizAnswers": {"type": "array", "items": {"type": "object"}}, "feedback": {"type": "array", "items": {"type": "object"}},
            "incidentReports": {"type": "array", "items": {"type": "object"}}, "following": {"type": "array", "items": {"type": "object"}},
            "signIns": {"type": "array", "items": {"type": "object"}}}},
})
doc["paths"]["/api/v1/me/data"] = {
    "get": {"summary": "Everything held about me (my session: the address; a manage token: that registration)", "operationId": "exportMyData",
            "security": attendee, "responses": {**ok("PersonalData"), **err("401", "404")}},
    "delete": {"summary": "Erase me: upcoming seats go back to the waitlist, registrations are anonymised (organisers keep counts), the rest is deleted; a session is signed out",
               "operationId": "eraseMyData", "security": attendee, "responses": {**ok("Erased"), **err("401", "404", "429")}}}
doc["paths"]["/api/v1/me/consents"] = {
    "put": {"summary": "Give or withdraw consents, at once on every registration in scope (recorded)", "operationId": "changeMyConsents",
            "security": attendee, "requestBody": body("ConsentsChange"), "responses": {**ok("ConsentsSaved"), **err("400", "401", "404", "415", "429")}}}

for action, summary in [("cancel", "Cancel; a held seat is offered to the first in line"),
                        ("accept", "Accept an open waitlist offer before it expires"),
                        ("decline", "Decline a waitlist offer; it passes to the next in line. Declining twice answers with the declined registration")]:
    doc["paths"][f"/api/v1/registrations/{{id}}/{action}"] = {
        "parameters": [param("id", "Registration id", "uuid"), manage_header],
        "post": {"summary": summary, "operationId": f"{action}Registration",
                 "requestBody": {"required": False, "content": {"application/json": {"schema": ref("ManageTokenBody")}}},
                 "responses": {**ok("RegistrationState"), **err("400", "404", "409", "415", "429")}}}
# A decline's conflict: no offer open any more, whatever settled it (the page left open says so too).
doc["paths"]["/api/v1/registrations/{id}/decline"]["post"]["responses"]["409"]["description"] = (
    "No open offer: it was accepted or ran out, or was settled otherwise meanwhile (the seat taken at the other evening, "
    "the offer withdrawn, the evening cancelled); nothing is changed")

# The room: tables and rounds of an evening (organisers). Rounds and tables are 1-based.
integer = {"type": "integer"}
doc["components"]["schemas"].update({
    "RoomSetupInput": {"type": "object", "required": ["tables", "seats", "rounds", "roundMinutes"], "properties": {
        "tables": {"type": "integer", "minimum": 1, "maximum": 200}, "seats": {"type": "integer", "minimum": 2, "maximum": 20, "description": "Seats per table"},
        "names": {"type": ["array", "null"], "maxItems": 200, "items": text(40, required=False), "description": "Table names in order, one line each; absent or null: numbers"},
        "smaller": {"type": "object", "propertyNames": {"pattern": "^[1-9][0-9]{0,2}$"}, "additionalProperties": {"type": "integer", "minimum": 2, "maximum": 20},
                    "description": "Tables with fewer seats: {\"5\": 4} (a table among `tables`, at most `seats`)"},
        "rounds": {"type": "integer", "minimum": 1, "maximum": 12}, "roundMinutes": {"type": "integer", "minimum": 1, "maximum": 120},
        "priorities": ref("RoomPriorities")}},
    "RoomPriorities": {"type": "object", "description": "What matters beyond the rules that always hold (nobody meets twice, colleagues apart); each defaults to true (absent or null)",
        "properties": {"mixNewcomers": {"type": ["boolean", "null"]}, "mixJobs": {"type": ["boolean", "null"]}, "spreadTopics": {"type": ["boolean", "null"]},
                       "avoidMetBefore": {"type": ["boolean", "null"], "description": "Keep apart people who met at an earlier meetup of the network"}}},
    "RoomMove": {"type": "object", "required": ["registration", "round", "table"], "properties": {
        "registration": {"type": "string", "format": "uuid"}, "round": {"type": "integer", "minimum": 1, "maximum": 12, "description": "A round not yet started"},
        "table": {"type": "integer", "minimum": 1, "maximum": 200}}},
    "RoomRoundAction": {"type": "object", "required": ["action", "version"], "properties": {
        "action": {"type": "string", "enum": ["next", "pause", "resume", "finish"]},
        "version": {"type": "integer", "minimum": 0, "maximum": 9007199254740991, "description": "The room version the caller saw (required); a press meant for an older version changes nothing, so tools pressing at once move the evening on once"}}},
    "RotationQuality": {"type": "object", "properties": {
        "repeatedPairs": {"type": "integer", "description": "Pairs sharing a table more than once"},
        "colleaguePairs": {"type": "integer", "description": "Colleagues (same company) at one table, per round"},
        "keptApartTogether": integer, "metBeforeTogether": {"type": "integer", "description": "Pairs who met at an earlier meetup, seated together"},
        "mixPenalty": integer, "mixScore": {"type": "integer", "minimum": 0, "maximum": 100, "description": "100 when tables are as mixed as the room allows"},
        "moved": {"type": "integer", "description": "People whose table changed in a re-plan"}, "unmetPins": integer,
        "seconds": {"type": "number"},
        "lowerBound": {"type": "object", "properties": {"repeatedPairs": integer, "colleaguePairs": integer, "mixPenalty": integer},
                       "description": "What no plan can beat, by counting"}}},
    "Room": {"type": "object", "required": ["eventId", "version", "phase", "rounds", "roundMinutes", "tables", "pins", "keepApart", "priorities", "people"], "properties": {
        "eventId": {"type": "string", "format": "uuid"}, "version": {"type": "integer", "description": "Bumps on every change"},
        "phase": {"type": "string", "enum": ["notStarted", "running", "paused", "finished"]},
        "round": {"type": ["integer", "null"], "description": "The round running, paused or last finished"},
        "rounds": integer, "roundMinutes": integer, "secondsLeft": {"type": ["integer", "null"]},
        "tables": {"type": "array", "items": {"type": "object", "properties": {"name": s, "seats": integer}}},
        "pins": {"type": "array", "items": {"type": "object", "properties": {"registration": s, "round": integer, "table": integer}}},
        "keepApart": {"type": "array", "items": {"type": "object", "properties": {"first": s, "second": s}}},
        "priorities": ref("RoomPriorities"),
        "plan": {"type": ["object", "null"], "properties": {
            "rounds": {"type": "array", "description": "Per round, per table, the registration ids seated there",
                       "items": {"type": "array", "items": {"type": "array", "items": s}}},
            "quality": ref("RotationQuality"), "plannedAt": dt}},
        "people": {"type": "array", "items": {"type": "object", "properties": {
            "id": s, "firstName": s, "lastName": s, "jobTitle": s, "company": s, "newcomer": {"type": "boolean"},
            "checkedIn": {"type": "boolean"}, "left": {"type": "boolean"}}}}}},
})
room_id = param("id", "Event id", "uuid")
doc["paths"]["/api/v1/events/{id}/room"] = {
    "parameters": [room_id],
    "get": {"summary": "The event's tables and rounds: setup, plan with its quality, people, the round on now", "operationId": "showRoom",
            "security": bearer, "responses": {**ok("Room"), **err("401", "404")}},
    "put": {"summary": "Set the tables and rounds (keeps pins; a changed table count drops the plan)", "operationId": "saveRoomSetup",
            "security": bearer, "requestBody": body("RoomSetupInput"), "responses": {**ok("Room"), **err("400", "401", "404", "409", "415", "422")}}}
doc["paths"]["/api/v1/events/{id}/room/plan"] = {
    "parameters": [room_id],
    "post": {"summary": "Plan the tables, or re-plan the rounds not yet started for who is here (moving few people)", "operationId": "planRoom",
             "security": bearer, "responses": {**ok("Room"), **err("401", "404", "409", "422")}}}
doc["paths"]["/api/v1/events/{id}/room/moves"] = {
    "parameters": [room_id],
    "post": {"summary": "Move one person to another table in a round not yet started (a free seat, else the best swap); pins them there",
             "operationId": "moveInRoom", "security": bearer, "requestBody": body("RoomMove"),
             "responses": {**ok("Room"), **err("400", "401", "404", "409", "415", "422")}}}
doc["paths"]["/api/v1/events/{id}/room/rounds"] = {
    "parameters": [room_id],
    "post": {"summary": "The presenter: start the next round, pause, resume or finish", "operationId": "pressRoomRound",
             "security": bearer, "requestBody": body("RoomRoundAction"), "responses": {**ok("Room"), **err("400", "401", "404", "409", "415", "422")}}}

# Human bingo: organisers read and (re)generate every card; an attendee reads and ticks their own with
# the manage token. Squares are 0-based, row-major; `text` is the phone's wording in the request's language.
uuid = {"type": "string", "format": "uuid"}
square_kinds = ["jobFamily", "company", "topic", "firstMeetup", "regular", "fact"]
doc["components"]["schemas"].update({
    "BingoGenerate": {"type": "object", "required": ["size"], "properties": {
        "size": {"type": "integer", "enum": [4, 5], "description": "Squares per side; a holder whose room offers too few squares gets a smaller card (3, or 0 with none)"}}},
    "BingoTick": {"type": "object", "required": ["square", "person"], "properties": {
        "square": {"type": "integer", "minimum": 0, "maximum": 24, "description": "0-based index of the square on the card (a 5×5 card has 25)"},
        "person": {**uuid, "description": "The registration id of the person who matches it (one of the card's `people`)"}}},
    "BingoSquare": {"type": "object", "required": ["index", "kind", "value", "label", "text"], "properties": {
        "index": {"type": "integer", "minimum": 0},
        "kind": {"type": "string", "enum": square_kinds},
        "value": {"type": "string", "description": "A job family, company key, topic key or fact; empty for firstMeetup and regular"},
        "label": {"type": "string", "description": "The company or topic as most people typed it; empty for the other kinds"},
        "text": {"type": "string", "description": "\"Find someone who …\" in the request's language"},
        "tickedBy": {"type": ["object", "null"], "description": "Who filled it (the attendee's own card only)",
                     "properties": {"registration": uuid, "firstName": s}}}},
    "BingoCard": {"type": "object", "required": ["holder", "holderName", "size", "squares", "ticked", "lines", "full"], "properties": {
        "holder": {**uuid, "description": "The holder's registration id"}, "holderName": s,
        "size": {"type": "integer", "enum": [0, 3, 4, 5], "description": "0 when too few people shared facts for a card"},
        "squares": {"type": "array", "items": ref("BingoSquare")},
        "ticked": {"type": "array", "items": {"type": "integer"}, "description": "Indices of the ticked squares"},
        "lines": {"type": "integer", "description": "Completed rows, columns and diagonals"}, "full": {"type": "boolean"}}},
    "BingoOverview": {"type": "object", "required": ["eventId", "counts", "cards"], "properties": {
        "eventId": uuid, "size": {"type": ["integer", "null"], "description": "The size chosen; null before any card"},
        "generatedAt": {"type": ["string", "null"], "format": "date-time"},
        "counts": {"type": "object", "required": ["players", "optedIn", "cards", "playableCards", "lines", "fullCards"], "properties": {
            "players": {"type": "integer", "description": "Confirmed registrations"}, "optedIn": {"type": "integer", "description": "Of those, playing (gamesConsent)"},
            "cards": integer, "playableCards": {"type": "integer", "description": "Cards with squares"},
            "lines": {"type": "integer", "description": "Cards with a line announced"}, "fullCards": integer}},
        "cards": {"type": "array", "items": ref("BingoCard"), "description": "Holders in alphabetical order"}}},
    "BingoOwnCard": {"type": "object", "required": ["registrationId", "eventId", "card", "people"], "properties": {
        "registrationId": uuid, "eventId": uuid, "card": ref("BingoCard"),
        "people": {"type": "array", "description": "Who may still fill a square: confirmed, playing, not the holder, not used on this card yet",
                   "items": {"type": "object", "required": ["id", "firstName", "lastName"], "properties": {"id": uuid, "firstName": s, "lastName": s}}},
        "announced": {"type": "array", "items": {"type": "string", "enum": ["line", "full"]},
                      "description": "After a tick: what it announced on the big screen (empty for a repeated tick)"}}},
})
bingo_event = param("id", "Event id", "uuid")
bingo_holder = [param("id", "Registration id", "uuid"),
                {**manage_header, "required": True, "description": "The registration's manage token"}]
doc["paths"]["/api/v1/events/{id}/bingo"] = {
    "parameters": [bingo_event],
    "get": {"summary": "The event's bingo: size, counts and every card with its ticks (organisers)", "operationId": "showBingo",
            "security": bearer, "responses": {**ok("BingoOverview"), **err("401", "404")}},
    "post": {"summary": "Generate every confirmed person's card, replacing earlier cards and their ticks", "operationId": "generateBingo",
             "security": bearer, "requestBody": body("BingoGenerate"), "responses": {**ok("BingoOverview"), **err("400", "401", "404", "415", "422")}}}
doc["paths"]["/api/v1/registrations/{id}/bingo"] = {
    "parameters": bingo_holder,
    "get": {"summary": "The attendee's own card (drawn on first read), with who filled each ticked square", "operationId": "showBingoCard",
            "responses": {**ok("BingoOwnCard"), **err("404"), "409": {"description": "The registration is not confirmed",
                                                                     "content": {"application/json": {"schema": ref("Error")}}}}}}
doc["paths"]["/api/v1/registrations/{id}/bingo/ticks"] = {
    "parameters": bingo_holder,
    "post": {"summary": "Tick a square with the person who matches it; the same tick again answers the same. Not limited per address (a room shares one)",
             "operationId": "tickBingo", "requestBody": body("BingoTick"),
             "responses": {**ok("BingoOwnCard"), **err("400", "404", "415"),
                           "409": {"description": "The registration is not confirmed", "content": {"application/json": {"schema": ref("Error")}}},
                           "422": {"description": "Refused: not on the card, already ticked, yourself, not playing, does not match, or already used on this card; `error` says why in the attendee's language",
                                   "content": {"application/json": {"schema": ref("Error")}}}}}}

# The quiz library: a chapter's quizzes and polls (organisers), and the results of an event's games.
quiz_kinds = ["single", "multiple", "trueFalse", "number", "word"]
doc["components"]["schemas"].update({
    "QuizQuestion": {"type": "object", "required": ["kind", "prompt"], "properties": {
        "kind": {"type": "string", "enum": quiz_kinds},
        "prompt": text(300),
        "choices": {"type": "array", "maxItems": 6, "items": {**text(120), "pattern": f"^[^{forbidden}]*[^\\s*{forbidden}][^{forbidden}]*$", "not": {"pattern": "^\\s*\\*"}},
                    "description": "single and multiple only (2 to 6); empty for the other kinds; a choice may not start with * or hold a line break"},
        "correct": {"type": "array", "maxItems": 6, "items": {"type": "integer", "minimum": 0, "maximum": 5},
                    "description": "Indices of the right choices (trueFalse: 0 is true, 1 is false); empty for a poll question. single: at most one"},
        "answer": {"type": ["number", "null"], "exclusiveMinimum": -1e15, "exclusiveMaximum": 1e15, "description": "number only: the right number; null for a poll"},
        "accepted": {"type": "array", "maxItems": 20, "items": {"type": "string", "maxLength": 40, "pattern": f"^[^,{forbidden}]*$"},
                     "description": "word only: right words, compared without case or accents; empty for a word cloud"},
        "seconds": {"type": "integer", "minimum": 5, "maximum": 240, "default": 20},
        "points": {"type": "integer", "minimum": 0, "maximum": 2000, "default": 1000},
        "imageId": {"type": ["string", "null"], "description": "A picture already in this quiz (uploaded from the quiz page); read-only otherwise"},
        "imageUrl": {"type": "string", "readOnly": True, "description": "Where the picture is served"}},
        # Only a choice question has choices (a true/false, number or word question answers with empty ones).
        "if": {"properties": {"kind": {"enum": ["single", "multiple"]}}, "required": ["kind"]},
        "then": {"required": ["choices"], "properties": {"choices": {"minItems": 2}}}},
    "QuizInput": {"type": "object", "required": ["title", "language"], "properties": {
        "title": text(120), "language": {"type": "string", "enum": ["en", "fr"]},
        "shared": {"type": "boolean", "default": False, "description": "Offered to every chapter of the network as a template"},
        "questions": {"type": "array", "maxItems": 50, "items": ref("QuizQuestion")}}},
    "Quiz": {"type": "object", "required": ["id", "chapter", "title", "language", "shared", "poll", "updatedAt", "questions"], "properties": {
        "id": uuid, "chapter": {"type": "string", "description": "Chapter slug"}, "title": s, "language": {"type": "string", "enum": ["en", "fr"]},
        "shared": {"type": "boolean"}, "poll": {"type": "boolean", "description": "No question has a right answer"}, "updatedAt": dt,
        "questions": {"type": "array", "items": ref("QuizQuestion")}}},
    "QuizSummary": {"type": "object", "required": ["id", "title", "language", "shared", "poll", "questionCount", "updatedAt"], "properties": {
        "id": uuid, "title": s, "language": s, "shared": {"type": "boolean"}, "poll": {"type": "boolean"},
        "questionCount": {"type": "integer"}, "updatedAt": dt}},
    "QuizList": {"type": "object", "required": ["items"], "properties": {"items": {"type": "array", "items": ref("QuizSummary")}}},
    "QuizGame": {"type": "object", "required": ["id", "eventId", "quizId", "title", "code", "phase", "teams", "questionCount"], "properties": {
        "id": uuid, "eventId": uuid, "quizId": uuid, "title": s, "code": {"type": "string", "description": "What players type to join"},
        "phase": {"type": "string", "description": "Where the game is (finished when over)"}, "teams": {"type": "boolean"},
        "questionCount": {"type": "integer"}}},
    "QuizGameList": {"type": "object", "required": ["items"], "properties": {"items": {"type": "array", "items": ref("QuizGame")}}},
    "QuizResults": {"type": "object", "required": ["game", "questions", "players"], "properties": {
        "game": ref("QuizGame"),
        "questions": {"type": "array", "items": {"type": "object", "required": ["index", "kind", "prompt"], "properties": {
            "index": {"type": "integer"}, "kind": {"type": "string", "enum": quiz_kinds}, "prompt": s}}},
        "players": {"type": "array", "description": "In rank order (ties share a rank)", "items": {"type": "object",
            "required": ["id", "rank", "name", "points", "rightAnswers", "answers"], "properties": {
                "id": uuid, "rank": {"type": "integer", "minimum": 1}, "name": s, "team": s, "points": {"type": "integer"},
                "rightAnswers": {"type": "integer"},
                "answers": {"type": "array", "items": {"type": "object", "required": ["question", "answer", "right", "points", "elapsedMs"], "properties": {
                    "question": {"type": "integer", "description": "0-based question index"},
                    "answer": {"type": "string", "description": "As a person reads it: the choices' texts, true or false, the number, the word"},
                    "right": {"type": "boolean"}, "points": {"type": "integer"}, "elapsedMs": {"type": "integer"}}}}}}}}},
})
doc["paths"]["/api/v1/chapters/{slug}/quizzes"] = {
    "parameters": [param("slug", "Chapter slug")],
    "get": {"summary": "The chapter's quizzes and polls, most recently edited first", "operationId": "listQuizzes",
            "security": bearer, "responses": {**ok("QuizList"), **err("401", "404")}},
    "post": {"summary": "Create a quiz (questions checked as in the editor; at most 50)", "operationId": "createQuiz",
             "security": bearer, "requestBody": body("QuizInput"), "responses": {**ok("Quiz", "201", "Created"), **err("400", "401", "404", "413", "415", "422")}}}
doc["paths"]["/api/v1/quizzes/{id}"] = {
    "parameters": [param("id", "Quiz id", "uuid")],
    "get": {"summary": "One quiz with its questions", "operationId": "showQuiz", "security": bearer, "responses": {**ok("Quiz"), **err("401", "404")}},
    "put": {"summary": "Replace the quiz's title, language, sharing and questions", "operationId": "replaceQuiz",
            "security": bearer, "requestBody": body("QuizInput"), "responses": {**ok("Quiz"), **err("400", "401", "404", "413", "415", "422")}},
    "delete": {"summary": "Delete the quiz and its pictures; games already played keep their results", "operationId": "deleteQuiz",
               "security": bearer, "responses": {"204": {"description": "Deleted"}, **err("401", "404")}}}
doc["paths"]["/api/v1/events/{id}/quiz-games"] = {
    "parameters": [param("id", "Event id", "uuid")],
    "get": {"summary": "The quiz games played at the event, newest first", "operationId": "listQuizGames",
            "security": bearer, "responses": {**ok("QuizGameList"), **err("401", "404")}}}
doc["paths"]["/api/v1/events/{id}/quiz-games/{game}"] = {
    "parameters": [param("id", "Event id", "uuid"), param("game", "Game id", "uuid")],
    "get": {"summary": "A game's results: players in rank order with their points and every answer", "operationId": "showQuizGameResults",
            "security": bearer, "responses": {**ok("QuizResults"), **err("401", "404")}}}

# A chapter's audience: following it with an address (double opt-in by mail), unsubscribing with a
# mail's token, and the organisers' messages to followers and/or past attendees, now or scheduled.
audiences = ["followers", "attendees", "both"]
doc["components"]["schemas"].update({
    "FollowInput": {"type": "object", "required": ["email"], "properties": {
        "email": {"type": "string", "format": "email", "maxLength": 254},
        "language": {"type": "string", "enum": ["en", "fr"], "description": "Of the confirmation mail and the news; default: Accept-Language"}}},
    "FollowAccepted": {"type": "object", "required": ["status"], "properties": {"status": {"type": "string", "enum": ["confirmation-sent-unless-following"],
        "description": "The same answer whether or not the address already follows: a confirmation link goes by mail unless it does"}}},
    "UnsubscribeInput": {"type": "object", "required": ["token"], "properties": {"token": {"type": "string", "minLength": 1, "description": "From the unsubscribe link of an announcement or audience message"}}},
    "AudienceMessageInput": {"type": "object", "required": ["subject", "body"], "properties": {
        "subject": text(150), "body": text(5000, multiline=True, description="Paragraphs separated by blank lines; the greeting, the author's name and the footer with its unsubscribe link are added"),
        "audience": {"type": "string", "enum": audiences, "default": "followers", "description": "Past attendees: confirmed at a meetup of the chapter that has begun; each address once; anyone who unsubscribed is left out"},
        "sendAt": {**dt_in, "description": "When to send it (in the future); absent: now. Required when changing a scheduled message"}}},
    "AudienceMessage": {"type": "object", "required": ["id", "subject", "body", "audience", "sendAt", "status", "author", "recipients"], "properties": {
        "id": uuid, "subject": s, "body": s, "audience": {"type": "string", "enum": audiences}, "sendAt": dt,
        "status": {"type": "string", "enum": ["scheduled", "sent", "cancelled"]}, "author": s,
        "recipients": {"type": "integer", "description": "How many addresses it went to (0 until sent)"}, "sentAt": {**dt, "type": ["string", "null"]}}},
    "Audience": {"type": "object", "required": ["followers", "reach", "messages"], "properties": {
        "followers": {"type": "integer", "description": "Confirmed followers"},
        "reach": {"type": "object", "description": "How many addresses each audience reaches now", "properties": {a: {"type": "integer"} for a in audiences}},
        "messages": {"type": "array", "description": "Scheduled first (soonest first), then the latest sent or cancelled", "items": ref("AudienceMessage")}}},
})
conflict = {"409": {"description": "Too late: the message has gone or was cancelled", "content": {"application/json": {"schema": ref("Error")}}}}
doc["paths"]["/api/v1/chapters/{slug}/followers"] = {
    "parameters": [param("slug", "Chapter slug")],
    "post": {"summary": "Follow the chapter: a confirmation link goes to the address (nothing else is sent before it is opened and confirmed). Rate-limited", "operationId": "followChapter",
             "requestBody": body("FollowInput"), "responses": {**ok("FollowAccepted", "202", "Accepted"), **err("400", "404", "413", "415", "422", "429")}}}
doc["paths"]["/api/v1/audience/unsubscribe"] = {
    "post": {"summary": "Stop a chapter's announcements and audience messages for the address a mail's unsubscribe token names (recorded). Rate-limited", "operationId": "unsubscribeAudience",
             "requestBody": body("UnsubscribeInput"), "responses": {"204": {"description": "Unsubscribed"}, **err("400", "404", "413", "415", "422", "429")}}}
doc["paths"]["/api/v1/chapters/{slug}/audience"] = {
    "parameters": [param("slug", "Chapter slug")],
    "get": {"summary": "The chapter's follower count, each audience's reach and its messages", "operationId": "showAudience",
            "security": bearer, "responses": {**ok("Audience"), **err("401", "404")}}}
doc["paths"]["/api/v1/chapters/{slug}/audience/messages"] = {
    "parameters": [param("slug", "Chapter slug")],
    "post": {"summary": "Write to the chapter's audience: sent now, or at `sendAt` by the background sender (exactly once)", "operationId": "createAudienceMessage",
             "security": bearer, "requestBody": body("AudienceMessageInput"), "responses": {**ok("AudienceMessage", "201", "Created"), **err("400", "401", "404", "413", "415", "422")}}}
doc["paths"]["/api/v1/chapters/{slug}/audience/messages/{message}"] = {
    "parameters": [param("slug", "Chapter slug"), param("message", "Message id", "uuid")],
    "put": {"summary": "Change a scheduled message before it goes", "operationId": "updateAudienceMessage", "security": bearer,
            "requestBody": body("AudienceMessageInput"), "responses": {**ok("AudienceMessage"), **err("400", "401", "404", "413", "415", "422"), **conflict}},
    "delete": {"summary": "Cancel a scheduled message before it goes", "operationId": "cancelAudienceMessage", "security": bearer,
               "responses": {"204": {"description": "Cancelled"}, **err("401", "404"), **conflict}}}

# My Rendezvous: an attendee's own data, read with the attendee session cookie (`rv_me`, from the
# one-time link mailed by /me), not with an organiser's bearer token.
doc["components"]["securitySchemes"]["attendeeSession"] = {
    "type": "apiKey", "in": "cookie", "name": "rv_me",
    "description": "An attendee's session: sign in at /me with the one-time link mailed to the address (no password)"}
doc["components"]["schemas"]["MetPerson"] = {"type": "object", "required": ["id", "name", "jobTitle", "company", "note", "state", "event", "eventTitle", "eventStartsAt"], "properties": {
    "id": {"type": "string", "format": "uuid", "description": "The link between the two registrations"},
    "name": s, "jobTitle": s, "company": s,
    "linkedinUrl": {"type": ["string", "null"], "description": "Shown when they share it on their card, or with people they accepted"},
    "email": {"type": ["string", "null"], "description": "Only after they accepted, and only if they chose to share it"},
    "askMeAbout": {"type": ["string", "null"]},
    "note": {"type": "string", "description": "The caller's own private note (never the other side's)"},
    "state": {"type": "string", "enum": ["connected", "waiting", "theySaidYouMet"]},
    "event": {"type": "string", "format": "uuid"}, "eventTitle": s, "eventStartsAt": dt}}
doc["components"]["schemas"]["MetPeople"] = {"type": "object", "required": ["people"], "properties": {"people": {"type": "array", "items": ref("MetPerson")}}}
doc["components"]["schemas"]["AttendeeProfile"] = {"type": "object", "properties": {
    "firstName": s, "lastName": s, "email": s, "jobTitle": s, "company": s, "linkedinUrl": s, "askMeAbout": s,
    "label": {"type": "string", "description": "The form's \"Use my profile\" button, in the language asked with `?in=`"},
    "hint": s}}
attendee = [{"attendeeSession": []}]
doc["paths"]["/me/people.json"] = {
    "get": {"summary": "People I met, newest first: each as the caller may see them (mutual and consent-first), with their own note", "operationId": "peopleIMet",
            "security": attendee, "responses": {**ok("MetPeople"), **err("401")}}}
doc["paths"]["/me/profile.json"] = {
    "get": {"summary": "The caller's saved profile, to fill a registration form (never cached); 204 when not signed in", "operationId": "myProfile",
            "security": attendee + [{}], "parameters": [{"name": "in", "in": "query", "required": False, "schema": {"type": "string", "enum": ["en", "fr"]}}],
            "responses": {**ok("AttendeeProfile"), "204": {"description": "Not signed in"}}}}

# After the evening: its result, the speaker's links, the morning-after mail now, and feedback.
run_schema = {"type": "object", "required": ["due"], "properties": {
    "due": {**dt, "description": "When the run goes: 9:00 in the chapter's time zone, 1 or 14 days after the evening's date"},
    "sentAt": {**dt, "type": ["string", "null"], "description": "When it was queued (null: not yet)"}}}
resource_schema = {"type": "object", "required": ["label", "url"], "properties": {"label": s, "url": {"type": "string", "format": "uri"}}}
doc["components"]["schemas"].update({
    "EveningResult": {"type": "object", "required": ["checkedIn", "answers", "scoreCounts", "comments", "contacts", "acceptedContacts",
                                                     "metAtLeastThree", "morningAfter", "nudge", "resources"], "properties": {
        "checkedIn": {"type": "integer", "description": "People who came (checked in at the door)"},
        "answers": {"type": "integer", "description": "Feedback answers"},
        "averageScore": {"type": ["number", "null"], "description": "Mean 0-10 rating; null without answers"},
        "netPromoterScore": {"type": ["integer", "null"], "description": "Promoters (9-10) minus detractors (0-6), in points"},
        "scoreCounts": {"type": "array", "minItems": 11, "maxItems": 11, "items": {"type": "integer"}, "description": "Answers for each score, 0 through 10"},
        "comments": {"type": "array", "items": s, "description": "Comments, newest first, without names"},
        "contacts": {"type": "integer", "description": "\"We met\" links made at the evening (declined ones left out)"},
        "acceptedContacts": {"type": "integer", "description": "Links both sides accepted"},
        "metAtLeastThree": {"type": "integer", "description": "People linked to at least three others of the evening"},
        "shareMetAtLeastThree": {"type": ["number", "null"], "description": "metAtLeastThree / checkedIn; null when nobody came"},
        "morningAfter": run_schema, "nudge": run_schema,
        "resources": {"type": "array", "items": resource_schema}}},
    "FollowUpLinksInput": {"type": "object", "properties": {"resources": {"type": "string", "maxLength": 3000, "pattern": follow_up_pattern,
        "description": "One link per line: a label then an http(s) address (at most 12 lines); empty removes them"}}},
    "FollowUpLinks": {"type": "object", "required": ["resources"], "properties": {"resources": {"type": "array", "items": resource_schema}}},
    "FollowUpQueued": {"type": "object", "required": ["queued"], "properties": {"queued": {"type": "integer", "description": "Mails queued (people who came and did not stop them)"}}},
    "FeedbackInput": {"type": "object", "required": ["token", "score"], "properties": {
        "token": {"type": "string", "minLength": 1, "description": "The token of the morning-after mail's feedback link (/feedback/{token})"},
        "score": {"type": "integer", "minimum": 0, "maximum": 10, "description": "How likely to recommend the meetup to a colleague"},
        "comment": text(2000, required=False, multiline=True)}},
    "Feedback": {"type": "object", "required": ["score", "comment"], "properties": {"score": {"type": "integer", "minimum": 0, "maximum": 10}, "comment": s}},
})
doc["paths"]["/api/v1/events/{id}/result"] = {
    "parameters": [param("id", "Event id", "uuid")],
    "get": {"summary": "The evening's result: feedback (distribution, mean, NPS, comments), contacts made, share of people who met three others, the follow-up runs",
            "operationId": "showEveningResult", "security": bearer, "responses": {**ok("EveningResult"), **err("401", "404")}}}
doc["paths"]["/api/v1/events/{id}/follow-up"] = {
    "parameters": [param("id", "Event id", "uuid")],
    "put": {"summary": "The speaker's slides and links for the morning-after mail", "operationId": "saveFollowUpLinks", "security": bearer,
            "requestBody": body("FollowUpLinksInput"), "responses": {**ok("FollowUpLinks"), **err("400", "401", "404", "413", "415", "422")}}}
doc["paths"]["/api/v1/events/{id}/follow-up/send"] = {
    "parameters": [param("id", "Event id", "uuid")],
    "post": {"summary": "Send the morning-after mail now instead of at 9:00 (once the evening has started; never twice)", "operationId": "sendMorningAfterNow",
             "security": bearer, "responses": {**ok("FollowUpQueued", "202", "Queued"), **err("401", "404"),
                                               "409": {"description": "Already sent, or the evening has not started", "content": {"application/json": {"schema": ref("Error")}}}}}}
doc["paths"]["/api/v1/feedback"] = {
    "put": {"summary": "Give (or change) one's rating of an evening one came to, with the feedback link's token. Rate-limited", "operationId": "saveFeedback",
            "requestBody": body("FeedbackInput"), "responses": {**ok("Feedback"), **err("400", "403", "404", "413", "415", "422", "429")}}}

# Demand and attendance (issue 15): second evenings from the waitlist, the no-show forecast, overbooking.
doc["components"]["schemas"].update({
    "Forecast": {"type": "object", "required": ["events", "confirmed", "noShows", "rate", "low", "high", "confidence", "sameVenue", "venueChanged", "overbookingRate"], "properties": {
        "events": {"type": "integer", "description": "Past evenings with check-ins used (the chapter's 10 most recent)"},
        "confirmed": {"type": "integer", "description": "People who held a seat on those evenings (cancellations never count)"},
        "noShows": {"type": "integer"}, "rate": {"type": "number", "description": "Pooled no-show rate"},
        "low": {"type": "number", "description": "90 % interval, low end"}, "high": {"type": "number", "description": "90 % interval, high end"},
        "confidence": {"type": "string", "enum": ["none", "low", "medium", "high"]},
        "sameVenue": {"type": "boolean", "description": "Only evenings at this event's venue were used"},
        "venueChanged": {"type": "boolean", "description": "The venue is new to the history: confidence lowered"},
        "overbookingRate": {"type": "number", "description": "The rate overbooking assumes (0 without confidence; the low end when low; at most 0.3)"}}},
    "Overflow": {"type": "object", "required": ["id", "startsAt", "capacity", "offered", "accepted", "moved", "declined", "open"], "properties": {
        "id": {"type": "string", "format": "uuid"}, "startsAt": dt, "capacity": {"type": "integer"},
        "offered": {"type": "integer", "description": "Offers to the original's queue awaiting an answer"},
        "accepted": {"type": "integer"}, "moved": {"type": "integer", "description": "\"Any date\" people confirmed directly"},
        "declined": {"type": "integer", "description": "Declined or expired (their original place kept)"},
        "open": {"type": "boolean", "description": "Still to come and not cancelled: the evening's one open second evening (no other can be opened meanwhile)"}}},
    "Overbooking": {"type": "object", "required": ["enabled", "capacity", "extraSeats", "seatLimit", "allowedExtraSeats"], "properties": {
        "enabled": {"type": "boolean"}, "capacity": {"type": "integer"}, "extraSeats": {"type": "integer"},
        "seatLimit": {"type": "integer", "description": "capacity + extraSeats: where confirmations stop"},
        "venueLimit": nullable_int, "allowedExtraSeats": {"type": "integer", "description": "capacity × (1 + overbookingRate), within venueLimit, from today's forecast"}}},
    "Demand": {"type": "object", "required": ["waitlisted", "threshold", "suggestsOverflow", "overflows", "forecast", "overbooking", "repeatedNoShows", "attendanceChecksSent"], "properties": {
        "waitlisted": {"type": "integer"}, "threshold": {"type": "integer", "description": "The chapter's waitlist threshold"},
        "suggestsOverflow": {"type": "boolean"}, "overflowOf": {"type": ["string", "null"], "format": "uuid", "description": "For a second evening: the original"},
        "overflows": {"type": "array", "items": ref("Overflow")}, "forecast": ref("Forecast"),
        "expectedAttendance": nullable_int, "overbooking": ref("Overbooking"),
        "repeatedNoShows": {"type": "integer", "description": "Confirmed people who missed two evenings before (a count, never who)"},
        "attendanceChecksSent": {"type": "integer"}}},
    "OverflowCreated": {"type": "object", "required": ["event", "offered", "moved"], "properties": {"event": ref("Event"), "offered": {"type": "integer"}, "moved": {"type": "integer"}}},
    "OverbookingInput": {"type": "object", "properties": {
        "enabled": {"type": "boolean", "default": False}, "venueLimit": {"type": "integer", "minimum": 1, "maximum": 200000, "description": "How many people the room physically holds (at least the capacity; required to enable)"}},
        "if": {"required": ["enabled"], "properties": {"enabled": {"const": True}}}, "then": {"required": ["venueLimit"]}},
    "AttendanceChecksQueued": {"type": "object", "required": ["queued"], "properties": {"queued": {"type": "integer"}}},
})
doc["paths"]["/api/v1/events/{id}/demand"] = {
    "parameters": [param("id", "Event id", "uuid")],
    "get": {"summary": "Demand and attendance: the waitlist against the chapter's threshold, second evenings and how their offers were answered, the no-show forecast, overbooking",
            "operationId": "showDemand", "security": bearer, "responses": {**ok("Demand"), **err("401", "404")}}}
doc["paths"]["/api/v1/events/{id}/overflow"] = {
    "parameters": [param("id", "Event id", "uuid")],
    "post": {"summary": "Open a second evening (published) and offer its seats to this event's waitlist in queue order; \"any date\" people are moved directly",
             "operationId": "createOverflow", "security": bearer, "requestBody": body("EventInput"),
             "responses": {**ok("OverflowCreated", "201", "Created"), **err("400", "401", "404", "413", "415", "422"),
                           "409": {"description": "The event is not published, has begun, is itself a second evening, or already has an open second evening (one at a time; see `overflows` in its demand)", "content": {"application/json": {"schema": ref("Error")}}}}}}
doc["paths"]["/api/v1/events/{id}/overbooking"] = {
    "parameters": [param("id", "Event id", "uuid")],
    "put": {"summary": "Turn overbooking on (with the room's physical limit) or off; the seats already given are kept", "operationId": "setOverbooking",
            "security": bearer, "requestBody": body("OverbookingInput"),
            "responses": {**ok("Demand"), **err("400", "401", "404", "413", "415", "422"),
                          "409": {"description": "No forecast yet (too little history)", "content": {"application/json": {"schema": ref("Error")}}}}}}
doc["paths"]["/api/v1/events/{id}/attendance-checks"] = {
    "parameters": [param("id", "Event id", "uuid")],
    "post": {"summary": "Send the friendly \"tell us if you can't come\" note to confirmed people who missed two evenings before (once each)",
             "operationId": "sendAttendanceChecks", "security": bearer, "responses": {**ok("AttendanceChecksQueued", "202", "Queued"), **err("401", "404")}}}

# Insights (issue 15): counts only, never a person.
num_or_null = {"type": ["number", "null"]}
doc["components"]["schemas"].update({
    "EveningInsight": {"type": "object", "required": ["id", "title", "startsAt", "expected", "came", "walkIns", "newcomers", "regulars", "waitlisted", "demand", "feedbackAnswers", "contacts"], "properties": {
        "id": {"type": "string", "format": "uuid"}, "title": s, "startsAt": dt,
        "expected": {"type": "integer", "description": "People who held a seat (walk-ins apart)"}, "came": {"type": "integer", "description": "People checked in, walk-ins included"},
        "walkIns": {"type": "integer"}, "noShowRate": num_or_null,
        "newcomers": {"type": "integer", "description": "Came for the first time to one of the chapter's evenings"}, "regulars": {"type": "integer"},
        "waitlisted": {"type": "integer", "description": "People who joined the waitlist"},
        "demand": {"type": "array", "items": {"type": "integer"}, "description": "Cumulative registrations from 30 days before the evening (index 0) to the day itself (index 30): oldest to newest, as the insights page's chart, table and CSV read", "minItems": 31, "maxItems": 31},
        "feedbackAnswers": {"type": "integer"}, "averageScore": num_or_null, "contacts": {"type": "integer"}, "contactsPerAttendee": num_or_null}},
    "NamedCount": {"type": "object", "required": ["name", "count"], "properties": {"name": s, "count": {"type": "integer"}}},
    "ChapterInsights": {"type": "object", "required": ["chapter", "evenings", "jobFamilies", "companies", "scoreCounts", "heardFrom", "heardFromUnanswered"], "properties": {
        "chapter": s, "evenings": {"type": "array", "items": ref("EveningInsight"), "description": "The last evenings, oldest first"},
        "jobFamilies": {"type": "array", "items": ref("NamedCount")}, "companies": {"type": "array", "items": ref("NamedCount"), "description": "The top companies (counts only)"},
        "scoreCounts": {"type": "array", "items": {"type": "integer"}, "description": "Feedback answers per score, index 0…10"},
        "heardFrom": {"type": "array", "items": ref("NamedCount"),
                      "description": "Registrations to the same evenings (walk-ins apart) per answer to \"How did you hear about us?\": every code (" + ", ".join(heard_from_codes) + "), zeros included"},
        "heardFromUnanswered": {"type": "integer", "description": "Registrations to the same evenings that did not say"}}},
    "ChapterRollup": {"type": "object", "required": ["slug", "name", "countryCode", "evenings", "attendees", "expected", "people", "returning", "contacts", "feedbackAnswers", "rotations", "quizzes", "health"], "properties": {
        "slug": s, "name": s, "countryCode": s, "evenings": {"type": "integer"}, "lastEvening": {"type": ["string", "null"], "format": "date-time"},
        "attendees": {"type": "integer"}, "expected": {"type": "integer"}, "people": {"type": "integer", "description": "Distinct people who came"},
        "returning": {"type": "integer", "description": "Of them, people who came to two evenings or more"}, "returnRate": num_or_null,
        "contacts": {"type": "integer"}, "feedbackAnswers": {"type": "integer"}, "averageScore": num_or_null,
        "rotations": {"type": "integer", "description": "Evenings with a table-rotation plan"}, "quizzes": {"type": "integer", "description": "Evenings with a quiz"},
        "health": {"type": "string", "enum": ["active", "dormant", "struggling", "new"], "description": "Dormant: no evening for six months; struggling: the last three evenings drew under 80 % of the three before"}}},
    "NetworkInsights": {"type": "object", "required": ["chapters", "quarters"], "properties": {
        "chapters": {"type": "array", "items": ref("ChapterRollup")},
        "quarters": {"type": "array", "items": {"type": "object", "required": ["quarter", "evenings", "people"], "properties": {"quarter": s, "evenings": {"type": "integer"}, "people": {"type": "integer"}}}}}},
})
doc["paths"]["/api/v1/chapters/{slug}/insights"] = {
    "parameters": [param("slug", "Chapter slug")],
    "get": {"summary": "A chapter's insights (its organisers): the last evenings' demand curve, attendance and no-shows, newcomers, waitlist, feedback, contacts; job families, top companies and how people heard of the meetup",
            "operationId": "showChapterInsights", "security": bearer, "responses": {**ok("ChapterInsights"), **err("401", "404")}}}
doc["paths"]["/api/v1/network/insights"] = {
    "get": {"summary": "The network rolled up by chapter (network admins): evenings, attendance, return rate, feedback, practices, health; evenings and people per quarter",
            "operationId": "showNetworkInsights", "security": bearer, "responses": {**ok("NetworkInsights"), **err("401", "403")}}}

# The door, attendance and badges (issue 17): door staff and organisers; the same rules as the door page.
uuid_s = {"type": "string", "format": "uuid"}
str_or_null = {"type": ["string", "null"]}
dt_null = {"type": ["string", "null"], "format": "date-time"}
check_in_results = ["admitted", "already", "notConfirmed", "unknown", "otherEvent", "undone", "notToday"]
door_person_fields = {"firstName": s, "lastName": s, "jobTitle": s, "company": s, "walkIn": {"type": "boolean", "description": "Came without registering"},
                      "checkedInAt": {**dt_null, "description": "When they were admitted (null: not yet)"}, "checkedInBy": {**str_or_null, "description": "Who admitted them"}}
doc["components"]["schemas"].update({
    "DoorWindow": {"type": "object", "required": ["hours", "opensAt", "closesAt", "open"], "properties": {
        "hours": {"type": "number", "description": "Hours before the start and after the end during which the door admits"},
        "opensAt": dt, "closesAt": dt, "open": {"type": "boolean", "description": "The door admits now"}}},
    "Door": {"type": "object", "required": ["eventId", "title", "startsAt", "endsAt", "checkedIn", "expected", "walkIns", "capacity", "seatLimit", "overCapacity", "window", "conflicts"], "properties": {
        "eventId": uuid_s, "title": s, "startsAt": dt, "endsAt": dt,
        "checkedIn": {"type": "integer", "description": "Registered people admitted (walk-ins apart)"}, "expected": {"type": "integer", "description": "Confirmed registrations (walk-ins apart)"},
        "walkIns": {"type": "integer"}, "capacity": {"type": "integer"},
        "seatLimit": {"type": "integer", "description": "Seats that can be confirmed: the capacity plus the extra seats of overbooking"},
        "overCapacity": {"type": "boolean", "description": "More people expected (walk-ins included) than seatLimit"}, "window": ref("DoorWindow"),
        "conflicts": {"type": "array", "description": "People two devices admitted while offline", "items": {"type": "object", "required": ["name", "device", "by", "at"],
                      "properties": {"name": s, "device": s, "by": s, "at": dt}}}}},
    "DoorPerson": {"type": "object", "required": ["id", "firstName", "lastName", "jobTitle", "company", "status", "walkIn", "checkedInAt", "checkedInBy", "ticketHash"], "properties": {
        "id": uuid_s, **door_person_fields, "status": {"type": "string", "enum": ["confirmed", "waitlisted", "offered", "cancelled"]},
        "ticketHash": {"type": "string", "description": "SHA-256 (hex) of the ticket's token: recognises a scanned ticket offline without holding it"}}},
    "DoorPeople": {"type": "object", "required": ["items"], "properties": {"items": {"type": "array", "items": ref("DoorPerson")}}},
    "CheckInInput": {"type": "object", "properties": {
        "ticket": {"type": "string", "minLength": 1, "maxLength": 500, "description": "The scanned ticket: its token or its whole address (…/t/{token}). Give this or registrationId"},
        "registrationId": {**uuid_s, "description": "Someone found by name (GET …/door/people)"},
        "nonce": {"type": "string", "maxLength": 100, "description": "The device's retry key: the same nonce gets the first answer back and admits nobody twice (default: a fresh one)"},
        "device": {"type": "string", "maxLength": 64, "description": "Which phone (kept in the check-in log)"},
        "offline": {"type": "boolean", "default": False, "description": "Made offline and synced now: counts at `at` (never later than now)"},
        "at": {**dt, "description": "When it happened, for an offline check-in"}},
        "anyOf": [{"required": ["ticket"]}, {"required": ["registrationId"]}], "description": "A ticket or a registration id (without either: 422 on ticket)"},
    "CheckIn": {"type": "object", "required": ["result", "message", "detail", "conflict"], "properties": {
        "result": {"type": "string", "enum": check_in_results, "description": "admitted: welcome; already: admitted before (when and by whom); notConfirmed: cancelled or waitlisted; unknown: no such ticket; otherEvent: a ticket for another evening; undone; notToday: outside the door's hours"},
        "message": {"type": "string", "description": "What the door page shows, in the caller's language"}, "detail": s,
        "registrationId": {"type": ["string", "null"]}, "firstName": str_or_null, "lastName": str_or_null,
        "status": str_or_null, "checkedInAt": dt_null, "checkedInBy": str_or_null,
        "conflict": {"type": "boolean", "description": "Two devices admitted this person while offline"}}},
    "UndoInput": {"type": "object", "required": ["registrationId"], "properties": {
        "registrationId": uuid_s, "nonce": {"type": "string", "maxLength": 100}, "device": {"type": "string", "maxLength": 64}}},
    "WalkInInput": {"type": "object", "required": ["firstName"], "properties": {
        "firstName": {"type": "string", "maxLength": 80, "pattern": text_pattern}, "lastName": {"type": "string", "maxLength": 80, "pattern": optional_text_pattern},
        "jobTitle": {"type": "string", "maxLength": 100, "pattern": optional_text_pattern}, "company": {"type": "string", "maxLength": 100, "pattern": optional_text_pattern},
        "email": {"type": "string", "format": "email", "maxLength": 254, "description": "Optional; a known address admits the existing registration instead"}}},
    "DoorWindowInput": {"type": "object", "required": ["hours"], "properties": {
        "hours": {"type": ["integer", "null"], "enum": [3, 6, 12, 24, 48, 72, None], "description": "null: the deployment's default (DOOR_WINDOW_HOURS)"}}},
    "AttendanceEntry": {"type": "object", "required": ["registrationId", "firstName", "lastName", "jobTitle", "company", "walkIn", "came", "checkedInAt", "checkedInBy"], "properties": {
        "registrationId": uuid_s, **door_person_fields, "came": {"type": "boolean"}}},
    "Attendance": {"type": "object", "required": ["expected", "came", "showed", "walkIns", "noShows", "noShowRate", "items"], "properties": {
        "expected": {"type": "integer", "description": "Confirmed registrations (walk-ins apart)"}, "came": {"type": "integer", "description": "Checked in, walk-ins included"},
        "showed": {"type": "integer", "description": "Of the expected, those checked in"}, "walkIns": {"type": "integer"}, "noShows": {"type": "integer"},
        "noShowRate": {"type": ["number", "null"], "description": "noShows / expected; null while nobody was checked in"},
        "items": {"type": "array", "items": ref("AttendanceEntry"), "description": "Everyone confirmed, by last name"}}},
    "AttendanceCorrection": {"type": "object", "required": ["came"], "properties": {"came": {"type": "boolean", "description": "true: they came (admitted once, at the start); false: takes the admission back"}}},
})
pdf = {"200": {"description": "The PDF", "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}}}
layouts = ["a4-8", "a4-a6", "letter-6", "roll-62", "label-89x36"]
door_event = [param("id", "Event id", "uuid")]
doc["paths"]["/api/v1/events/{id}/door"] = {"parameters": door_event,
    "get": {"summary": "The door's counts (admitted, expected, walk-ins), its hours and offline conflicts (door staff and organisers)",
            "operationId": "showDoor", "security": bearer, "responses": {**ok("Door"), **err("401", "404")}}}
doc["paths"]["/api/v1/events/{id}/door/people"] = {"parameters": door_event,
    "get": {"summary": "Everyone the door may meet, or those matching q (every word in the name or company, accents and case aside)", "operationId": "listDoorPeople",
            "security": bearer, "parameters": [{"name": "q", "in": "query", "required": False, "schema": {"type": "string", "maxLength": 200}}],
            "responses": {**ok("DoorPeople"), **err("401", "404", "422")}}}
doc["paths"]["/api/v1/events/{id}/door/check-ins"] = {"parameters": door_event,
    "post": {"summary": "Check someone in by ticket or id: once per ticket across devices, refused outside the door's hours and for another evening's ticket; a retried nonce gets the first answer",
             "operationId": "checkIn", "security": bearer, "requestBody": body("CheckInInput"),
             "responses": {**ok("CheckIn", "200", "The answer (result says which)"), **err("400", "401", "404", "413", "415", "422")}}}
doc["paths"]["/api/v1/events/{id}/door/undo"] = {"parameters": door_event,
    "post": {"summary": "Take an admission back (a tap on the wrong name)", "operationId": "undoCheckIn", "security": bearer, "requestBody": body("UndoInput"),
             "responses": {**ok("CheckIn"), **err("400", "401", "404", "413", "415", "422")}}}
doc["paths"]["/api/v1/events/{id}/door/walk-ins"] = {"parameters": door_event,
    "post": {"summary": "Someone who turns up unregistered: confirmed past capacity and admitted at once (a known address admits that registration: 200)",
             "operationId": "addWalkIn", "security": bearer, "requestBody": body("WalkInInput"),
             "responses": {**ok("CheckIn", "201", "Admitted"), **ok("CheckIn"), **err("400", "401", "404", "413", "415", "422")}}}
doc["paths"]["/api/v1/events/{id}/door/window"] = {"parameters": door_event,
    "put": {"summary": "Widen (or narrow back) the hours around the evening during which the door admits (organisers)", "operationId": "setDoorWindow",
            "security": bearer, "requestBody": body("DoorWindowInput"), "responses": {**ok("Door"), **err("400", "401", "404", "413", "415", "422")}}}
doc["paths"]["/api/v1/events/{id}/attendance"] = {"parameters": door_event,
    "get": {"summary": "Who came (organisers): everyone confirmed, checked in or not, and the no-show rate", "operationId": "showAttendance",
            "security": bearer, "responses": {**ok("Attendance"), **err("401", "404")}}}
doc["paths"]["/api/v1/events/{id}/attendance/{registration}"] = {"parameters": door_event + [param("registration", "Registration id", "uuid")],
    "put": {"summary": "Correct whether someone came, once the evening has begun, whatever the door's hours (organisers; recorded in the audit log)",
            "operationId": "correctAttendance", "security": bearer, "requestBody": body("AttendanceCorrection"),
            "responses": {**ok("AttendanceEntry"), **err("400", "401", "404", "413", "415", "422"),
                          "409": {"description": "The evening has not begun, or the person holds no seat", "content": {"application/json": {"schema": ref("Error")}}}}}}
doc["paths"]["/api/v1/events/{id}/badges"] = {"parameters": door_event,
    "get": {"summary": "The evening's badges as one PDF, sorted by last name (organisers), as the badges page prints them", "operationId": "printBadges", "security": bearer,
            "parameters": [{"name": "layout", "in": "query", "required": False, "schema": {"type": "string", "enum": layouts, "default": "a4-8"}},
                           {"name": "include", "in": "query", "required": False, "schema": {"type": "string", "enum": ["confirmed", "seats", "selection"], "default": "confirmed"},
                            "description": "confirmed; seats: also those holding an offer; selection: only the ids"},
                           {"name": "ids", "in": "query", "required": False, "style": "form", "explode": True, "schema": {"type": "array", "items": uuid_s}}],
            "responses": {**pdf, **err("400", "401", "404")}}}
doc["paths"]["/api/v1/events/{id}/badges/{registration}"] = {"parameters": door_event + [param("registration", "Registration id", "uuid")],
    "get": {"summary": "One person's label (a walk-in, a lost badge), as the door page prints it (door staff and organisers)", "operationId": "printBadge", "security": bearer,
            "parameters": [{"name": "layout", "in": "query", "required": False, "schema": {"type": "string", "enum": layouts, "default": "roll-62"}}],
            "responses": {**pdf, **err("400", "401", "404")}}}

# Webhooks for integrators (organisers): endpoints of a chapter, a test ping, the latest deliveries.
# The deliveries themselves (POSTs to the integrator, signed) are described in docs/operations.md.
webhook_types = ["registration.created", "registration.cancelled", "registration.confirmed", "registration.checked_in", "event.published", "event.changed"]
doc["components"]["schemas"].update({
    "WebhookInput": {"type": "object", "required": ["url"], "properties": {
        "url": {"type": "string", "format": "uri", "maxLength": 500, "description": "https, to a public address (private, loopback and link-local addresses are refused unless the deployment sets WEBHOOKS_ALLOW_PRIVATE=1)"},
        "types": {"type": "array", "items": {"type": "string", "enum": webhook_types}, "description": "The events to receive; empty or absent: all"},
        "includeEmail": {"type": "boolean", "default": False, "description": "Put attendees' email addresses in registration events (off: names and ids only)"}}},
    "Webhook": {"type": "object", "required": ["id", "url", "types", "includeEmail", "enabled", "disabledReason", "createdAt"], "properties": {
        "id": uuid, "url": s, "types": {"type": "array", "items": {"type": "string", "enum": webhook_types}, "description": "Empty: all events"},
        "includeEmail": {"type": "boolean"}, "enabled": {"type": "boolean"},
        "disabledReason": {"type": "string", "description": "Why the server turned it off (failing for three days), or empty"},
        "createdAt": dt, "failingSince": {**dt, "type": ["string", "null"]},
        "secret": {"type": "string", "description": "The signing secret: only in the answer that created the endpoint, never again"}}},
    "WebhookList": {"type": "object", "required": ["webhooks"], "properties": {"webhooks": {"type": "array", "items": ref("Webhook")}}},
    "WebhookDelivery": {"type": "object", "required": ["id", "type", "status", "attempts", "lastError", "createdAt"], "properties": {
        "id": uuid, "type": {"type": "string", "enum": webhook_types + ["ping"]}, "status": {"type": "string", "enum": ["pending", "delivered", "failed"]},
        "attempts": {"type": "integer"}, "responseStatus": {"type": ["integer", "null"], "description": "The receiver's HTTP status at the last attempt"},
        "lastError": {"type": "string", "description": "The last error, or the first 200 bytes of the receiver's answer"},
        "createdAt": dt, "lastAttemptAt": {**dt, "type": ["string", "null"]}, "nextAttemptAt": {**dt, "type": ["string", "null"]},
        "deliveredAt": {**dt, "type": ["string", "null"]}}},
    "WebhookDeliveries": {"type": "object", "required": ["deliveries"], "properties": {"deliveries": {"type": "array", "items": ref("WebhookDelivery"), "description": "The latest 50, newest first"}}},
    "WebhookTest": {"type": "object", "required": ["delivery"], "properties": {"delivery": {**uuid, "description": "The ping's delivery id"}}},
})
webhook_params = [param("slug", "Chapter slug"), param("webhook", "Webhook endpoint id", "uuid")]
doc["paths"]["/api/v1/chapters/{slug}/webhooks"] = {
    "parameters": [param("slug", "Chapter slug")],
    "get": {"summary": "The chapter's webhook endpoints (never their secrets)", "operationId": "listWebhooks", "security": bearer,
            "responses": {**ok("WebhookList"), **err("401", "404")}},
    "post": {"summary": "Add a webhook endpoint; the answer carries its signing secret, shown once (at most 10 per chapter)", "operationId": "createWebhook",
             "security": bearer, "requestBody": body("WebhookInput"), "responses": {**ok("Webhook", "201", "Created"), **err("400", "401", "404", "413", "415", "422")}}}
doc["paths"]["/api/v1/chapters/{slug}/webhooks/{webhook}"] = {"parameters": webhook_params,
    "delete": {"summary": "Delete the endpoint and its deliveries", "operationId": "deleteWebhook", "security": bearer,
               "responses": {"204": {"description": "Deleted"}, **err("401", "404")}}}
doc["paths"]["/api/v1/chapters/{slug}/webhooks/{webhook}/test"] = {"parameters": webhook_params,
    "post": {"summary": "Queue a signed `ping` to the endpoint; it shows in the deliveries within seconds", "operationId": "testWebhook", "security": bearer,
             "responses": {**ok("WebhookTest", "202", "Queued"), **err("401", "404")}}}
doc["paths"]["/api/v1/chapters/{slug}/webhooks/{webhook}/deliveries"] = {"parameters": webhook_params,
    "get": {"summary": "The endpoint's latest deliveries: type, state, attempts, the receiver's answer, the next attempt", "operationId": "listWebhookDeliveries",
            "security": bearer, "responses": {**ok("WebhookDeliveries"), **err("401", "404")}}}

# `python3 scripts/openapi.py [FILE]`: the committed document by default; a test writes elsewhere
# and compares, so a hand edit of openapi.json that this script would undo fails make test.
out = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else pathlib.Path(__file__).resolve().parent.parent / "Sources/RendezvousWeb/openapi.json"
out.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
print(f"wrote {out}")
