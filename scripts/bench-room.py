#!/usr/bin/env python3
"""make bench: sets up an evening of 70 at 10 tables of 7 for 4 rounds through the JSON API, plans
it, starts round 1, and prints one attendee's manage token: wrk then polls that phone's table
(/manage/{token}/room.json), the request every phone in the room repeats every two seconds."""
import json, sys, urllib.request

host, port, token = sys.argv[1], sys.argv[2], sys.argv[3]
base = f"http://{host}:{port}"

def call(method, path, body=None, bearer=True):
    request = urllib.request.Request(base + path, method=method, data=json.dumps(body).encode() if body is not None else None)
    request.add_header("Content-Type", "application/json")
    if bearer:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read())

event = call("POST", "/api/v1/chapters/toulouse/events", {
    "title": "Room bench", "startsAt": "2099-02-20T18:30:00+01:00", "endsAt": "2099-02-20T21:30:00+01:00", "capacity": 80})
titles = ["Consultante", "Fondateur", "Développeuse", "Recruteuse", "Commercial", "Data analyst", "Avocate"]
manage = None
for i in range(70):
    created = call("POST", f"/api/v1/events/{event['id']}/registrations", {
        "acceptCodeOfConduct": True, "firstName": f"P{i}", "lastName": "Bench", "email": f"room{i}@example.org", "jobTitle": titles[i % 7],
        "company": f"Company {i % 20}"}, bearer=False)
    manage = manage or created["manageToken"]
call("PUT", f"/api/v1/events/{event['id']}/room", {"tables": 10, "seats": 7, "rounds": 4, "roundMinutes": 15})
room = call("POST", f"/api/v1/events/{event['id']}/room/plan")
assert room["plan"]["quality"]["repeatedPairs"] == 0
call("POST", f"/api/v1/events/{event['id']}/room/rounds", {"action": "next", "version": room["version"]})
print(manage)
