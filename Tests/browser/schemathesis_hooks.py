"""What the OpenAPI document cannot say, for Schemathesis' positive examples.

JSON Schema has no rule across two fields and none relative to the clock, so three rules of the API
live in the document's descriptions only. Schemathesis' schema-valid (positive) requests are brought
within them here, and `positive_data_acceptance` then holds every handler to everything else the
document says (lengths, patterns, ranges, formats, required fields):

- an evening ends after it starts (EventInput.endsAt);
- a quiz question's right answers are indices of its choices (true/false: 0 or 1; one at most for
  a single-choice or true/false question), and its picture is one already in the quiz
  (QuizQuestion.correct, imageId);
- a scheduled audience message is sent in the future (AudienceMessageInput.sendAt);
- a second evening (overflow) starts in the future;
- a room's smaller tables and names are among its `tables`, with at most `seats` (RoomSetupInput);

and two that depend on what is already stored:

- a new chapter's slug is not taken (ChapterInput.slug);
- the room's physical limit is at least the event's capacity (OverbookingInput.venueLimit; any
  capacity is at most 100,000).

Loaded with SCHEMATHESIS_HOOKS=schemathesis_hooks (test_openapi_schemathesis.py sets it)."""
import copy
import datetime
import uuid

import schemathesis

EVENT_INPUTS = {"/api/v1/chapters/{slug}/events", "/api/v1/events/{id}/overflow"}
QUIZ_INPUTS = {"/api/v1/chapters/{slug}/quizzes", "/api/v1/quizzes/{id}"}
AUDIENCE_INPUTS = {"/api/v1/chapters/{slug}/audience/messages", "/api/v1/chapters/{slug}/audience/messages/{message}"}


def parse(text):
    try:
        return datetime.datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None


@schemathesis.hook
def map_case(context, case):
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive or not isinstance(case.body, dict):
        return case
    # A copy: the generated value may be shared with Hypothesis (two workers draw at once).
    path, body = case.operation.path, copy.deepcopy(case.body)
    case.body = body
    if path in EVENT_INPUTS:
        start, end = parse(body.get("startsAt")), parse(body.get("endsAt"))
        now = datetime.datetime.now(datetime.timezone.utc)
        if path == "/api/v1/events/{id}/overflow" and start and start.tzinfo is not None and start <= now + datetime.timedelta(hours=1):
            # A second evening is to come (the server refuses one in the past, 422 on startsAt).
            start = (now + datetime.timedelta(days=30)).replace(microsecond=0)
            body["startsAt"] = start.isoformat()
        if start and end and end <= start:
            body["endsAt"] = (start + datetime.timedelta(hours=2)).isoformat()
    elif path in QUIZ_INPUTS:
        for question in body.get("questions") or []:
            if not isinstance(question, dict):
                continue
            kind = question.get("kind")
            choices = question.get("choices") if isinstance(question.get("choices"), list) else []
            bound = 2 if kind == "trueFalse" else len(choices)
            right = [index for index in question.get("correct") or [] if isinstance(index, (int, float)) and index < bound]
            question["correct"] = right[:1] if kind in ("single", "trueFalse") else right
            question["imageId"] = None
    elif path == "/api/v1/chapters" and case.method.upper() == "POST" and isinstance(body.get("slug"), str):
        body["slug"] = (body["slug"][:40].rstrip("-") + "-" + uuid.uuid4().hex[:12]).lstrip("-") or uuid.uuid4().hex[:12]
    elif path == "/api/v1/events/{id}/overbooking" and isinstance(body.get("venueLimit"), (int, float)) and not isinstance(body["venueLimit"], bool):
        # An integer may come as 12.0 (JSON does not tell them apart).
        body["venueLimit"] = max(int(body["venueLimit"]), 100_000)
    elif path == "/api/v1/events/{id}/room":
        tables, seats = body.get("tables"), body.get("seats")
        if isinstance(body.get("names"), list) and isinstance(tables, (int, float)):
            body["names"] = body["names"][:int(tables)]
        if isinstance(body.get("smaller"), dict) and isinstance(tables, (int, float)) and isinstance(seats, (int, float)):
            body["smaller"] = {key: value for key, value in body["smaller"].items()
                               if key.isdigit() and int(key) <= tables and isinstance(value, (int, float)) and value <= seats}
    elif path in AUDIENCE_INPUTS:
        when = parse(body.get("sendAt"))
        now = datetime.datetime.now(datetime.timezone.utc)
        if when and (when.tzinfo is None or when <= now + datetime.timedelta(minutes=5)):
            body["sendAt"] = (now + datetime.timedelta(days=1)).replace(microsecond=0).isoformat()
    return case
