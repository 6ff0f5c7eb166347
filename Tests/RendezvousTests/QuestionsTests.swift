import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import RendezvousDomain
@testable import RendezvousPersistence
@testable import RendezvousWeb
import Testing

/// Organisers' own registration questions: added for one meetup or the whole chapter, asked on
/// the form (errors on their own field only), kept with the registration, editable from the
/// manage page, shown to organisers and in the CSV, never on a public page.
@Suite("Registration questions")
struct QuestionsTests {
    @Test(arguments: DatabaseKind.available)
    func organisersAskAndReadTheAnswers(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let db = app.persistence
            let chapter = try await Fixture.chapter(db)
            let event = try await Fixture.event(db, chapter: chapter, capacity: 5)
            let other = try await Fixture.event(db, chapter: chapter, capacity: 5, startsIn: 60, title: "Suivante")
            let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: [chapter.slug])
            try await app.application.test(.router) { client in
                func post(_ uri: String, _ fields: [String: String]) async throws -> TestResponse {
                    var (headers, body) = organizer.form(fields)
                    headers[.acceptLanguage] = "en"
                    return try await client.execute(uri: uri, method: .post, headers: headers, body: body)
                }
                let questionsURL = "/organize/events/\(event.id)/questions"
                #expect(try await client.get("/organize/events/\(event.id)", as: organizer).text.contains("href=\"\(questionsURL)\""))
                // A list needs two options: the error is on the options, what was typed stays.
                let refused = try await post(questionsURL, ["label": "Dietary needs?", "kind": "choice", "choices": "Vegetarian", "scope": "event"])
                #expect(refused.status == .unprocessableContent)
                #expect(refused.text.contains("id=\"f-choices-error\""))
                #expect(!refused.text.contains("id=\"f-label-error\""))
                #expect(refused.text.contains("value=\"Dietary needs?\""))
                #expect(try await post(questionsURL, ["label": "Dietary needs?", "kind": "choice", "choices": "None\nVegetarian\nVegan", "required": "on", "scope": "event"]).status == .seeOther)
                #expect(try await post(questionsURL, ["label": "How did you hear of us?", "kind": "text", "scope": "chapter"]).status == .seeOther)
                #expect(try await post(questionsURL, ["label": "Parking?", "kind": "yes-no", "scope": "event"]).status == .seeOther)
                let questions = try await db.questions.questions(forEvent: event.id)
                #expect(questions.map(\.label) == ["How did you hear of us?", "Dietary needs?", "Parking?"])
                #expect(try await db.questions.questions(forEvent: other.id).map(\.label) == ["How did you hear of us?"])
                let diet = questions[1], heard = questions[0], parking = questions[2]

                // The form asks them; a missing required answer is an error on that question only.
                let page = try await client.execute(uri: "/events/\(event.id)", method: .get, headers: [.acceptLanguage: "en"])
                #expect(page.text.contains("<legend>Dietary needs?</legend>"))
                #expect(page.text.contains("name=\"\(diet.fieldName)\" value=\"Vegan\""))
                #expect(page.text.contains("id=\"f-\(heard.fieldName)\""))
                var fields = ["firstName": "Éloïse", "lastName": "Dupré", "email": "eloise@example.org", "jobTitle": "Engineer",
                              "\(heard.fieldName)": "A friend from Airbus", "\(parking.fieldName)": "yes"]
                let headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded", .acceptLanguage: "en"]
                let missing = try await client.execute(uri: "/events/\(event.id)/register", method: .post, headers: headers, body: PageTests.form(fields))
                #expect(missing.status == .unprocessableContent)
                #expect(missing.text.contains("id=\"f-\(diet.fieldName)-error\""))
                #expect(!missing.text.contains("id=\"f-firstName-error\""))
                #expect(missing.text.contains("value=\"A friend from Airbus\""))
                fields[diet.fieldName] = "Pizza"
                let notAnOption = try await client.execute(uri: "/events/\(event.id)/register", method: .post, headers: headers, body: PageTests.form(fields))
                #expect(notAnOption.text.contains("Choose one of the options."))
                fields[diet.fieldName] = "Vegetarian"
                let registered = try await client.execute(uri: "/events/\(event.id)/register", method: .post, headers: headers, body: PageTests.form(fields))
                #expect(registered.status == .seeOther)
                let location = try #require(registered.headers[.location])
                let registration = try #require(try await db.registrations.registrations(of: event.id).first)
                #expect(try await db.questions.answers(of: registration.id) == [diet.id: "Vegetarian", heard.id: "A friend from Airbus", parking.id: "yes"])

                // The manage page shows them and changes them.
                let manage = try await client.execute(uri: location, method: .get, headers: [.acceptLanguage: "en"])
                #expect(manage.text.contains("value=\"Vegetarian\" checked"))
                let token = String(location.dropFirst("/manage/".count).prefix { $0 != "?" })
                fields[diet.fieldName] = "Vegan"
                fields[heard.fieldName] = ""
                fields["consentList"] = "on"
                #expect(try await client.execute(uri: "/manage/\(token)/profile", method: .post, headers: headers, body: PageTests.form(fields)).status == .seeOther)
                #expect(try await db.questions.answers(of: registration.id) == [diet.id: "Vegan", parking.id: "yes"])

                // Organisers see them in the table and the CSV, with a column per question.
                let table = try await client.get("/organize/events/\(event.id)", as: organizer)
                #expect(table.text.contains("Dietary needs? — Vegan"))
                #expect(table.text.contains("Parking? — Yes"))
                let csv = try await client.get("/organize/events/\(event.id)/attendees.csv", as: organizer).text
                let lines = csv.split(whereSeparator: \.isNewline)
                #expect(lines.first?.hasSuffix("How did you hear of us?,Dietary needs?,Parking?") == true)
                #expect(lines.dropFirst().first?.hasSuffix(",,Vegan,Yes") == true)
                // Never public: the attendee list and the contact card show no answer.
                _ = try await post(questionsURL, ["label": "Secret?", "kind": "text", "scope": "event"])
                fields[heard.fieldName] = "Whisper 1234"
                _ = try await client.execute(uri: "/manage/\(token)/profile", method: .post, headers: headers, body: PageTests.form(fields))
                let publicPage = try await client.execute(uri: "/events/\(event.id)", method: .get, headers: [.acceptLanguage: "en"])
                #expect(publicPage.text.contains("Éloïse"))
                #expect(!publicPage.text.contains("Whisper 1234"))

                // Removing asks first, then takes the answers with it.
                let ask = try await post("/organize/events/\(event.id)/questions/\(diet.id)/remove", [:])
                #expect(ask.text.contains("Remove this question?"))
                #expect(ask.text.contains("1 answer"))
                #expect(try await post("/organize/events/\(event.id)/questions/\(diet.id)/remove", ["confirm": "yes"]).status == .seeOther)
                #expect(try await db.questions.answers(of: registration.id)[diet.id] == nil)
                // Moving: the meetup's own questions change places.
                let own = try await db.questions.questions(forEvent: event.id).filter { $0.eventID != nil }
                _ = try await post("/organize/events/\(event.id)/questions/\(own[1].id)/move", ["direction": "up"])
                #expect(try await db.questions.questions(forEvent: event.id).filter { $0.eventID != nil }.map(\.label) == [own[1].label, own[0].label])
                // Another meetup's question cannot be touched from this one.
                let elsewhere = try await post("/organize/events/\(other.id)/questions", ["label": "Only there", "kind": "text", "scope": "event"])
                #expect(elsewhere.status == .seeOther)
                let there = try #require(try await db.questions.questions(forEvent: other.id).first { $0.label == "Only there" })
                #expect(try await post("/organize/events/\(event.id)/questions/\(there.id)/remove", ["confirm": "yes"]).status == .notFound)
            }
        }
    }

    /// The JSON API lists the questions, checks the answers like the form does (an error names
    /// `answers.<id>`), stores them, and shows them to organisers only.
    @Test(arguments: DatabaseKind.available)
    func theAPIAsksAndAnswersToo(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let db = app.persistence
            let (_, token, chapter) = try await APITests.accounts(app)
            let event = try await Fixture.event(db, chapter: chapter, capacity: 5)
            let diet = try await db.questions.add(try RegistrationQuestion.Input(label: "Dietary needs?", kind: "choice", choices: "None\nVegan", required: true, scope: "event").validated().get(),
                                                  chapter: chapter.id, event: event.id, now: Fixture.start)
            try await app.application.test(.router) { client in
                let listed = try await client.execute(uri: "/api/v1/events/\(event.id)/questions", method: .get)
                #expect(listed.status == .ok)
                #expect(listed.text.contains(#""label":"Dietary needs?""#))
                #expect(listed.text.contains(#""choices":["None","Vegan"]"#))
                let person = #"{"firstName":"Ana","lastName":"Lopez","email":"ana@example.org","jobTitle":"Founder","acceptCodeOfConduct":true"#
                let refused = try await client.execute(uri: "/api/v1/events/\(event.id)/registrations", method: .post, headers: jsonHeaders(),
                                                       body: ByteBuffer(string: person + "}"))
                #expect(refused.status == .unprocessableContent)
                #expect(refused.text.contains("answers.\(diet.id.description.lowercased())"))
                let created = try await client.execute(uri: "/api/v1/events/\(event.id)/registrations", method: .post, headers: jsonHeaders(),
                                                       body: ByteBuffer(string: person + #","answers":{"\#(diet.id.description.uppercased())":"Vegan"}}"#))
                #expect(created.status == .created)
                let all = try await client.execute(uri: "/api/v1/events/\(event.id)/registrations", method: .get, headers: jsonHeaders(token))
                #expect(all.text.contains(#""answers":{"\#(diet.id.description.lowercased())":"Vegan"}"#))
            }
        }
    }
}
