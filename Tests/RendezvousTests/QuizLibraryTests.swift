import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import RendezvousDomain
@testable import RendezvousPersistence
@testable import RendezvousWeb
import Testing

@Suite("Quiz library: organiser pages, pictures, API, results")
struct QuizLibraryTests {
    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 7, count: 64)

    /// A multipart body as a browser posts it: text fields, then optionally one file.
    static func multipart(_ fields: [(String, String)], file: (filename: String, type: String, bytes: [UInt8])? = nil,
                          boundary: String = "----RendezvousBoundary7MA4YWxk") -> [UInt8] {
        var body: [UInt8] = []
        for (name, value) in fields {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        if let file {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"picture\"; filename=\"\(file.filename)\"\r\nContent-Type: \(file.type)\r\n\r\n".utf8)
            body += file.bytes + Array("\r\n".utf8)
        }
        body += Array("--\(boundary)--\r\n".utf8)
        return body
    }

    static func postMultipart(_ client: some TestClientProtocol, _ uri: String, as person: SignedIn, _ fields: [(String, String)],
                              file: (filename: String, type: String, bytes: [UInt8])? = nil, language: String = "en") async throws -> TestResponse {
        var headers = person.headers
        headers[.contentType] = "multipart/form-data; boundary=----RendezvousBoundary7MA4YWxk"
        headers[.acceptLanguage] = language
        return try await client.execute(uri: uri, method: .post, headers: headers,
                                        body: ByteBuffer(bytes: multipart([("_csrf", person.csrf)] + fields, file: file)))
    }

    static func question(_ kind: String, _ prompt: String, stamp: String, choices: String = "", truth: String = "", answer: String = "",
                         accepted: String = "", seconds: String = "20", points: String = "1000") -> [(String, String)] {
        [("stamp", stamp), ("kind", kind), ("prompt", prompt), ("choices", choices), ("truth", truth), ("answer", answer),
         ("accepted", accepted), ("seconds", seconds), ("points", points)]
    }

    static func stamp(_ app: TestApp, _ id: Quiz.ID) async throws -> String {
        QuizLibraryController.stamp(try #require(try await app.persistence.quizzes.quiz(id: id)))
    }

    static func quizID(fromLocation location: String?) throws -> Quiz.ID {
        let path = try #require(location).components(separatedBy: "?")[0]
        return try #require(Quiz.ID(string: String(path.split(separator: "/").last ?? "")))
    }

    // MARK: Creating and editing

    @Test(arguments: DatabaseKind.available)
    func createAQuizAndAddEveryKindOfQuestion(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: ["toulouse"])
            try await app.application.test(.router) { client in
                let library = try await client.get("/organize/toulouse/quizzes", as: organizer)
                #expect(library.status == .ok)
                #expect(library.text.contains("No quiz yet"))
                #expect(try await client.get("/organize/toulouse", as: organizer).text.contains("/organize/toulouse/quizzes"))

                let created = try await client.post("/organize/toulouse/quizzes", as: organizer, ["title": "Brise-glace", "language": "fr", "shared": "on"])
                #expect(created.status == .seeOther)
                let id = try Self.quizID(fromLocation: created.headers[.location])
                let page = "/organize/toulouse/quizzes/\(id)"
                #expect(try await client.get(page + "?done=created", as: organizer).text.contains("Quiz created"))

                let questions: [[(String, String)]] = [
                    Self.question("single", "Capital of Occitania?", stamp: "", choices: "Montpellier\n*Toulouse\nNîmes"),
                    Self.question("multiple", "Pink city bridges?", stamp: "", choices: "*Pont Neuf\r\n*Pont Saint-Pierre\r\nTower Bridge"),
                    Self.question("trueFalse", "The Garonne flows through Toulouse.", stamp: "", truth: "true", seconds: "15"),
                    Self.question("number", "First flight of Concorde?", stamp: "", answer: "1969", points: "500"),
                    Self.question("word", "Violet city flower?", stamp: "", accepted: "violette, violet"),
                    Self.question("word", "One word for tonight?", stamp: "", points: "0"),
                ]
                for fields in questions {
                    var fields = fields
                    fields[0] = ("stamp", try await Self.stamp(app, id))
                    let added = try await Self.postMultipart(client, page + "/questions", as: organizer, fields)
                    #expect(added.status == .seeOther, "\(fields)")
                }
                let quiz = try #require(try await app.persistence.quizzes.quiz(id: id))
                #expect(quiz.chapterID == chapter.id)
                #expect(quiz.shared && quiz.language == .fr && quiz.title == "Brise-glace")
                #expect(quiz.questions.map(\.kind) == [.single, .multiple, .trueFalse, .number, .word, .word])
                #expect(quiz.questions[0].choices == ["Montpellier", "Toulouse", "Nîmes"] && quiz.questions[0].correct == [1])
                #expect(quiz.questions[1].correct == [0, 1] && quiz.questions[1].choices.count == 3)
                #expect(quiz.questions[2].correct == [0] && quiz.questions[2].seconds == 15)
                #expect(quiz.questions[3].answer == 1969 && quiz.questions[3].points == 500)
                #expect(quiz.questions[4].accepted == ["violette", "violet"])
                #expect(!quiz.questions[5].hasRightAnswer)

                // A url-encoded form (no picture) works too, and the page lists everything.
                let plain = try await client.post(page + "/questions", as: organizer,
                                                  Dictionary(uniqueKeysWithValues: Self.question("single", "Poll?", stamp: try await Self.stamp(app, id), choices: "Yes\nNo")))
                #expect(plain.status == .seeOther)
                let shown = try await client.get(page, as: organizer)
                #expect(shown.text.contains("Capital of Occitania?"))
                #expect(shown.text.contains("7 questions (at most 50)"))
                #expect(shown.text.contains("Right answer: 1969"))

                // The settings form renames it.
                #expect(try await client.post(page, as: organizer, ["title": "Rentrée", "language": "en"]).status == .seeOther)
                let renamed = try #require(try await app.persistence.quizzes.quiz(id: id))
                #expect(renamed.title == "Rentrée" && renamed.language == .en && !renamed.shared)
                let listed = try await client.get("/organize/toulouse/quizzes", as: organizer)
                #expect(listed.text.contains("Rentrée") && listed.text.contains("7 questions"))
            }
        }
    }

    @Test(arguments: DatabaseKind.available)
    func errorsShowOnTheRightFieldInTheUsersLanguageWithTheInputKept(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            _ = try await Fixture.chapter(app.persistence)
            let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: ["toulouse"])
            let quiz = Quiz(chapterID: try #require(try await app.persistence.chapters.chapter(slug: "toulouse")).id, title: "Q", language: .fr, updatedAt: Fixture.start)
            try await app.persistence.quizzes.save(quiz)
            let page = "/organize/toulouse/quizzes/\(quiz.id)"
            try await app.application.test(.router) { client in
                let stamp = try await Self.stamp(app, quiz.id)
                let twoRight = try await Self.postMultipart(client, page + "/questions", as: organizer,
                                                            Self.question("single", "Typed <prompt>", stamp: stamp, choices: "*A\n*B", seconds: "999"))
                #expect(twoRight.status == .unprocessableContent)
                let html = twoRight.text
                #expect(html.contains("A single-choice question has one right choice"))
                #expect(html.contains(#"id="f-choices-error""#))
                #expect(html.contains(#"id="f-seconds-error""#))
                #expect(!html.contains(#"id="f-prompt-error""#))
                #expect(!html.contains(#"id="f-points-error""#))
                #expect(html.contains("Typed &lt;prompt&gt;"), "the input is kept, escaped")
                #expect(html.contains("*A\n*B") || html.contains("*A\r\n*B"))

                let french = try await Self.postMultipart(client, page + "/questions", as: organizer,
                                                          Self.question("number", "", stamp: stamp, answer: "beaucoup"), language: "fr")
                #expect(french.status == .unprocessableContent)
                #expect(french.text.contains(#"id="f-prompt-error""#))
                #expect(french.text.contains(#"id="f-answer-error""#))
                #expect(french.text.contains("Saisissez un nombre"))
                #expect(!french.text.contains(#"id="f-choices-error""#))

                let oneChoice = try await Self.postMultipart(client, page + "/questions", as: organizer, Self.question("multiple", "Only one?", stamp: stamp, choices: "*Alone"))
                #expect(oneChoice.text.contains("Give 2 to 6 choices"))
                let truth = try await Self.postMultipart(client, page + "/questions", as: organizer, Self.question("trueFalse", "Maybe?", stamp: stamp, truth: "perhaps"))
                #expect(truth.text.contains(#"id="f-truth-error""#))
                #expect(try await app.persistence.quizzes.quiz(id: quiz.id)?.questions.isEmpty == true)

                // The settings: an empty title is refused on the title field.
                let untitled = try await client.post(page, as: organizer, ["title": " ", "language": "fr"])
                #expect(untitled.status == .unprocessableContent)
                #expect(untitled.text.contains(#"id="f-title-error""#))
                let newUntitled = try await client.post("/organize/toulouse/quizzes", as: organizer, ["title": "", "language": "fr", "shared": "on"])
                #expect(newUntitled.status == .unprocessableContent)
                #expect(newUntitled.text.contains(#"id="f-title-error""#))
            }
        }
    }

    @Test(arguments: DatabaseKind.available)
    func questionsMoveAndDeleteAndAStaleFormChangesNothing(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: ["toulouse"])
            let quiz = Quiz(chapterID: chapter.id, title: "Order", language: .en, questions: ["A", "B", "C"].map {
                QuizQuestion(kind: .trueFalse, prompt: $0, correct: [0])
            }, updatedAt: Fixture.start)
            try await app.persistence.quizzes.save(quiz)
            let page = "/organize/toulouse/quizzes/\(quiz.id)"
            @Sendable func prompts() async throws -> [String] { try #require(try await app.persistence.quizzes.quiz(id: quiz.id)).questions.map(\.prompt) }
            try await app.application.test(.router) { client in
                let first = try await Self.stamp(app, quiz.id)
                #expect(try await client.post(page + "/questions/0/move", as: organizer, ["direction": "down", "stamp": first]).status == .seeOther)
                #expect(try await prompts() == ["B", "A", "C"])
                // The same form again (a double click): refused, nothing moves.
                let again = try await client.post(page + "/questions/0/move", as: organizer, ["direction": "down", "stamp": first])
                #expect(again.headers[.location]?.contains("error=stale") == true)
                #expect(try await prompts() == ["B", "A", "C"])
                #expect(try await client.get(page + "?error=stale", as: organizer).text.contains("The quiz changed in the meantime"))

                #expect(try await client.post(page + "/questions/2/move", as: organizer, ["direction": "up", "stamp": try await Self.stamp(app, quiz.id)]).status == .seeOther)
                #expect(try await prompts() == ["B", "C", "A"])
                #expect(try await client.post(page + "/questions/0/move", as: organizer, ["direction": "up", "stamp": try await Self.stamp(app, quiz.id)]).status == .badRequest)

                let before = try await Self.stamp(app, quiz.id)
                #expect(try await client.post(page + "/questions/1/delete", as: organizer, ["stamp": before]).status == .seeOther)
                #expect(try await prompts() == ["B", "A"])
                _ = try await client.post(page + "/questions/0/delete", as: organizer, ["stamp": before])
                #expect(try await prompts() == ["B", "A"], "a second delete with the old stamp deletes nothing")
                #expect(try await client.post(page + "/questions/5/delete", as: organizer, ["stamp": try await Self.stamp(app, quiz.id)]).status == .notFound)

                // Editing one question: its page shows it, the form saves it in place.
                let edit = try await client.get(page + "/questions/1", as: organizer)
                #expect(edit.status == .ok)
                #expect(edit.text.contains(#"<option value="true" selected>"#))
                let saved = try await Self.postMultipart(client, page + "/questions/1", as: organizer,
                                                         Self.question("single", "A, rewritten", stamp: try await Self.stamp(app, quiz.id), choices: "*x\ny"))
                #expect(saved.status == .seeOther)
                #expect(try await prompts() == ["B", "A, rewritten"])
                let invalid = try await Self.postMultipart(client, page + "/questions/1", as: organizer,
                                                           Self.question("single", "", stamp: try await Self.stamp(app, quiz.id), choices: "*x\ny"))
                #expect(invalid.status == .unprocessableContent)
                #expect(invalid.text.contains(#"id="f-prompt-error""#))
            }
        }
    }

    @Test(arguments: DatabaseKind.available)
    func aQuizHoldsFiftyQuestionsAtMost(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: ["toulouse"])
            let quiz = Quiz(chapterID: chapter.id, title: "Full", language: .en,
                            questions: (0..<Quiz.maxQuestions).map { QuizQuestion(kind: .trueFalse, prompt: "Q\($0)") }, updatedAt: Fixture.start)
            try await app.persistence.quizzes.save(quiz)
            try await app.application.test(.router) { client in
                let page = try await client.get("/organize/toulouse/quizzes/\(quiz.id)", as: organizer)
                #expect(page.text.contains("Delete one to add another"))
                #expect(!page.text.contains(#"id="question-form""#))
                let refused = try await Self.postMultipart(client, "/organize/toulouse/quizzes/\(quiz.id)/questions", as: organizer,
                                                           Self.question("trueFalse", "One more", stamp: try await Self.stamp(app, quiz.id), truth: "true"))
                #expect(refused.status == .conflict)
                #expect(try await app.persistence.quizzes.quiz(id: quiz.id)?.questions.count == Quiz.maxQuestions)
            }
        }
    }

    @Test(arguments: DatabaseKind.available)
    func deletingAQuizAsksFirst(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: ["toulouse"])
            let quiz = Quiz(chapterID: chapter.id, title: "Doomed", language: .en, questions: [QuizQuestion(kind: .word, prompt: "W")], updatedAt: Fixture.start)
            try await app.persistence.quizzes.save(quiz)
            try await app.application.test(.router) { client in
                let confirm = try await client.get("/organize/toulouse/quizzes/\(quiz.id)/delete", as: organizer)
                #expect(confirm.status == .ok)
                #expect(confirm.text.contains("Delete “Doomed”?"))
                #expect(confirm.text.contains("Its 1 question and their pictures will be deleted"))
                #expect(try await app.persistence.quizzes.quiz(id: quiz.id) != nil, "asking deletes nothing")
                let deleted = try await client.post("/organize/toulouse/quizzes/\(quiz.id)/delete", as: organizer)
                #expect(deleted.headers[.location] == "/organize/toulouse/quizzes?done=deleted")
                #expect(try await app.persistence.quizzes.quiz(id: quiz.id) == nil)
                #expect(try await client.get("/organize/toulouse/quizzes/\(quiz.id)", as: organizer).status == .notFound)
            }
        }
    }

    // MARK: Pictures

    @Test(arguments: DatabaseKind.available)
    func picturesAreCheckedByTheirBytesAndServedPublicly(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: ["toulouse"])
            let quiz = Quiz(chapterID: chapter.id, title: "Pictures", language: .en, updatedAt: Fixture.start)
            try await app.persistence.quizzes.save(quiz)
            let page = "/organize/toulouse/quizzes/\(quiz.id)"
            try await app.application.test(.router) { client in
                // A text file named .png and sent as image/png: refused on the picture field, the rest kept.
                let text = Array("just some text, not a picture\n".utf8)
                let fake = try await Self.postMultipart(client, page + "/questions", as: organizer,
                                                        Self.question("trueFalse", "Kept prompt", stamp: try await Self.stamp(app, quiz.id), truth: "true"),
                                                        file: ("photo.png", "image/png", text))
                #expect(fake.status == .unprocessableContent)
                #expect(fake.text.contains(#"id="f-picture-error""#))
                #expect(fake.text.contains("not a PNG, JPEG, WebP or GIF picture"))
                #expect(fake.text.contains("Kept prompt"))
                // Too large, whatever it is.
                let large = try await Self.postMultipart(client, page + "/questions", as: organizer,
                                                         Self.question("trueFalse", "Big", stamp: try await Self.stamp(app, quiz.id), truth: "true"),
                                                         file: ("big.png", "image/png", Self.png + Array(repeating: 0, count: QuizPicture.maxSize)))
                #expect(large.status == .unprocessableContent)
                #expect(large.text.contains("larger than 2 MB"))
                #expect(try await app.persistence.quizzes.quiz(id: quiz.id)?.questions.isEmpty == true)

                // A real PNG (named .txt, sent as octet-stream: the bytes decide).
                let added = try await Self.postMultipart(client, page + "/questions", as: organizer,
                                                         Self.question("trueFalse", "With a picture", stamp: try await Self.stamp(app, quiz.id), truth: "false"),
                                                         file: ("notes.txt", "application/octet-stream", Self.png))
                #expect(added.status == .seeOther)
                let stored = try #require(try await app.persistence.quizzes.quiz(id: quiz.id))
                let imageID = try #require(stored.questions.first?.imageID)
                let served = try await client.execute(uri: "/quiz-images/\(imageID)", method: .get)
                #expect(served.status == .ok)
                #expect(served.headers[.contentType] == "image/png")
                #expect(served.headers[.cacheControl]?.contains("max-age=31536000") == true)
                #expect(served.headers[.xContentTypeOptions] == "nosniff")
                #expect(Array(served.body.readableBytesView) == Self.png)
                #expect(try await client.get(page, as: organizer).text.contains("/quiz-images/\(imageID)"))
                #expect(try await client.execute(uri: "/quiz-images/\(UUID().uuidString.lowercased())", method: .get).status == .notFound)
                #expect(try await client.execute(uri: "/quiz-images/not-an-id", method: .get).status == .notFound)

                // Editing keeps the picture unless it is removed.
                let kept = try await Self.postMultipart(client, page + "/questions/0", as: organizer,
                                                        Self.question("trueFalse", "Still a picture", stamp: try await Self.stamp(app, quiz.id), truth: "false"))
                #expect(kept.status == .seeOther)
                #expect(try await app.persistence.quizzes.quiz(id: quiz.id)?.questions.first?.imageID == imageID)
                let removed = try await Self.postMultipart(client, page + "/questions/0", as: organizer,
                                                           Self.question("trueFalse", "No picture", stamp: try await Self.stamp(app, quiz.id), truth: "false")
                                                           + [("removePicture", "on")])
                #expect(removed.status == .seeOther)
                #expect(try await app.persistence.quizzes.quiz(id: quiz.id)?.questions.first?.imageID == nil)

                // A multipart post without the CSRF token is refused like any other.
                var headers = organizer.headers
                headers[.contentType] = "multipart/form-data; boundary=----RendezvousBoundary7MA4YWxk"
                let forged = try await client.execute(uri: page + "/questions", method: .post, headers: headers,
                                                      body: ByteBuffer(bytes: Self.multipart(Self.question("word", "Forged", stamp: try await Self.stamp(app, quiz.id)))))
                #expect(forged.status == .forbidden)
            }
        }
    }

    @Test func picturesAreRecognisedByTheirFirstBytes() {
        #expect(QuizPicture.contentType(of: Self.png) == "image/png")
        #expect(QuizPicture.contentType(of: [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]) == "image/jpeg")
        #expect(QuizPicture.contentType(of: Array("GIF89a....".utf8)) == "image/gif")
        #expect(QuizPicture.contentType(of: Array("RIFF\u{0}\u{0}\u{0}\u{0}WEBPVP8 ".utf8)) == "image/webp")
        #expect(QuizPicture.contentType(of: Array("RIFF\u{0}\u{0}\u{0}\u{0}WAVEfmt ".utf8)) == nil)
        #expect(QuizPicture.contentType(of: Array("<svg xmlns=\"http://www.w3.org/2000/svg\"/>".utf8)) == nil)
        #expect(QuizPicture.contentType(of: [0x89, 0x50]) == nil)
        #expect(QuizPicture.check(Self.png + Array(repeating: 0, count: QuizPicture.maxSize)) == .failure(.tooLarge))
    }

    // MARK: Multipart

    @Test func multipartReadsFieldsAndFilesStrictly() throws {
        let body = Self.multipart([("_csrf", "tok"), ("prompt", "Line 1\r\nLine 2"), ("name", "Zoë")], file: ("a b.png", "image/png", Self.png))
        let form = try MultipartForm(body, boundary: "----RendezvousBoundary7MA4YWxk")
        #expect(form["_csrf"] == "tok")
        #expect(form["prompt"] == "Line 1\r\nLine 2")
        #expect(form["name"] == "Zoë")
        #expect(form.files["picture"] == .init(filename: "a b.png", contentType: "image/png", bytes: Self.png))

        // An empty file input is no file.
        let empty = Array("--b\r\nContent-Disposition: form-data; name=\"picture\"; filename=\"\"\r\nContent-Type: application/octet-stream\r\n\r\n\r\n--b--\r\n".utf8)
        #expect(try MultipartForm(empty, boundary: "b").files.isEmpty)
        // A file whose bytes hold something like the delimiter, but not it.
        let tricky = Array("--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x\"\r\n\r\n--b\r\n-b--\r\n--b--\r\n".utf8)
        #expect(try MultipartForm(tricky, boundary: "b").files["f"]?.bytes == Array("--b\r\n-b--".utf8))

        #expect(MultipartForm.boundary(contentType: "multipart/form-data; boundary=\"quoted b\"") == "quoted b")
        #expect(MultipartForm.boundary(contentType: "Multipart/Form-Data;boundary=abc") == "abc")
        #expect(MultipartForm.boundary(contentType: "application/x-www-form-urlencoded") == nil)
        #expect(MultipartForm.boundary(contentType: "multipart/form-data") == nil)
        #expect(MultipartForm.boundary(contentType: "multipart/form-data; boundary=" + String(repeating: "x", count: 71)) == nil)

        let unterminated = Array("--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue".utf8)
        #expect(throws: MultipartForm.ParseError.malformed) { try MultipartForm(unterminated, boundary: "b") }
        let nameless = Array("--b\r\nContent-Disposition: form-data\r\n\r\nvalue\r\n--b--".utf8)
        #expect(throws: MultipartForm.ParseError.malformed) { try MultipartForm(nameless, boundary: "b") }
        let notForm = Array("--b\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nvalue\r\n--b--".utf8)
        #expect(throws: MultipartForm.ParseError.malformed) { try MultipartForm(notForm, boundary: "b") }
        let badUTF8: [UInt8] = Array("--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n".utf8) + [0xFF, 0xFE] + Array("\r\n--b--".utf8)
        #expect(throws: MultipartForm.ParseError.malformed) { try MultipartForm(badUTF8, boundary: "b") }
        let many = (0...MultipartForm.maxParts).map { "--b\r\nContent-Disposition: form-data; name=\"f\($0)\"\r\n\r\nx\r\n" }.joined() + "--b--"
        #expect(throws: MultipartForm.ParseError.tooManyParts) { try MultipartForm(Array(many.utf8), boundary: "b") }
    }

    // MARK: Isolation and templates

    @Test(arguments: DatabaseKind.available)
    func anotherChaptersQuizAnswers404Everywhere(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            _ = try await Fixture.chapter(app.persistence)
            let paris = try await Fixture.chapter(app.persistence, slug: "paris")
            let event = try await Fixture.event(app.persistence, chapter: paris, capacity: 5)
            let secret = Quiz(chapterID: paris.id, title: "Secret", language: .fr, questions: [QuizQuestion(kind: .trueFalse, prompt: "Q", correct: [0])],
                              updatedAt: Fixture.start)
            try await app.persistence.quizzes.save(secret)
            let game = try await app.persistence.quizzes.start(secret, event: event.id, teams: false, now: Fixture.start)
            let intruder = try await Accounts.signIn(app, email: "toulouse@example.org", chapters: ["toulouse"])
            let stamp = QuizLibraryController.stamp(secret)
            let fields = ["title": "Hijacked", "language": "en", "stamp": stamp, "direction": "down", "kind": "word", "prompt": "Hijacked"]
            try await app.application.test(.router) { client in
                let routes = OrganizeRoutes.all(app.services).filter { $0.pattern.contains("/quizzes") || $0.pattern.contains("/quiz-results/") }
                #expect(routes.count == 13)
                for route in routes {
                    // With Paris's address, and with the intruder's own chapter and Paris's quiz.
                    for slug in route.pattern.contains(":quiz") ? ["paris", "toulouse"] : ["paris"] {
                        let uri = route.pattern.replacingOccurrences(of: ":slug", with: slug).replacingOccurrences(of: ":quiz", with: secret.id.description)
                            .replacingOccurrences(of: ":index", with: "0").replacingOccurrences(of: ":id", with: event.id.description)
                            .replacingOccurrences(of: ":game", with: game.id.description)
                        let response = route.method == .get ? try await client.get(uri, as: intruder) : try await client.post(uri, as: intruder, fields)
                        #expect(response.status == .notFound, "\(route.method) \(uri)")
                    }
                }
            }
            let unchanged = try #require(try await app.persistence.quizzes.quiz(id: secret.id))
            #expect(unchanged == secret)
            let toulouse = try #require(try await app.persistence.chapters.chapter(slug: "toulouse"))
            #expect(try await app.persistence.quizzes.library(chapter: toulouse.id).isEmpty)
        }
    }

    @Test(arguments: DatabaseKind.available)
    func aTemplateIsCopiedIntoTheChapterWithItsPictures(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let toulouse = try await Fixture.chapter(app.persistence)
            let lyon = try await Fixture.chapter(app.persistence, slug: "lyon")
            let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: ["toulouse"])
            var template = Quiz(chapterID: nil, title: "LinkedIn trivia", language: .en, shared: true, questions: [
                QuizQuestion(kind: .single, prompt: "Launched?", choices: ["2003", "2010"], correct: [0]),
            ], updatedAt: Fixture.start)
            try await app.persistence.quizzes.save(template)
            let image = try await app.persistence.quizzes.addImage(quiz: template.id, contentType: "image/png", bytes: Data(Self.png), now: Fixture.start)
            template.questions[0].imageID = image
            try await app.persistence.quizzes.save(template)
            let saved = template
            let lyonShared = Quiz(chapterID: lyon.id, title: "Lyon’s shared poll", language: .fr, shared: true,
                                  questions: [QuizQuestion(kind: .word, prompt: "Un mot ?")], updatedAt: Fixture.start)
            let lyonPrivate = Quiz(chapterID: lyon.id, title: "Lyon’s own", language: .fr, updatedAt: Fixture.start)
            try await app.persistence.quizzes.save(lyonShared)
            try await app.persistence.quizzes.save(lyonPrivate)
            try await app.application.test(.router) { client in
                let library = try await client.get("/organize/toulouse/quizzes", as: organizer)
                #expect(library.text.contains("LinkedIn trivia"))
                #expect(library.text.contains("Lyon’s shared poll"))
                #expect(library.text.contains("#LinkedInLocal Lyon"))
                #expect(!library.text.contains("Lyon’s own"))
                #expect(library.text.contains("Use this template"))

                let copied = try await client.post("/organize/toulouse/quizzes/\(saved.id)/copy", as: organizer)
                #expect(copied.status == .seeOther)
                let copyID = try Self.quizID(fromLocation: copied.headers[.location])
                let copy = try #require(try await app.persistence.quizzes.quiz(id: copyID))
                #expect(copy.chapterID == toulouse.id && !copy.shared && copy.title == "LinkedIn trivia")
                #expect(copy.questions.map(\.prompt) == saved.questions.map(\.prompt))
                let copiedImage = try #require(copy.questions[0].imageID)
                #expect(copiedImage != image)
                #expect(try await app.persistence.quizzes.image(id: copiedImage)?.bytes == Data(Self.png))
                #expect(try await app.persistence.quizzes.quiz(id: saved.id) == saved, "the template stays as it is")

                #expect(try await client.post("/organize/toulouse/quizzes/\(lyonShared.id)/copy", as: organizer).status == .seeOther)
                #expect(try await client.post("/organize/toulouse/quizzes/\(lyonPrivate.id)/copy", as: organizer).status == .notFound)
                #expect(try await app.persistence.quizzes.library(chapter: toulouse.id).count == 2)
            }
        }
    }

    // MARK: API

    @Test(arguments: DatabaseKind.available)
    func theAPIListsCreatesReadsReplacesAndDeletesQuizzes(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let toulouse = try await Fixture.chapter(app.persistence)
            _ = try await Fixture.chapter(app.persistence, slug: "paris")
            let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: ["toulouse"])
            let stranger = try await Accounts.signIn(app, email: "paris@example.org", chapters: ["paris"])
            let token = try await app.persistence.accounts.issueToken(for: organizer.user.id, now: Fixture.start)
            let strangerToken = try await app.persistence.accounts.issueToken(for: stranger.user.id, now: Fixture.start)
            try await app.application.test(.router) { client in
                let body = """
                    {"title":"API quiz","language":"en","shared":true,"questions":[
                      {"kind":"single","prompt":"Capital?","choices":["Lyon","Toulouse"],"correct":[1]},
                      {"kind":"trueFalse","prompt":"True?","correct":[0],"seconds":15},
                      {"kind":"number","prompt":"How many?","answer":42.5,"points":500},
                      {"kind":"word","prompt":"One word","accepted":["swift"]}
                    ]}
                    """
                let created = try await client.execute(uri: "/api/v1/chapters/toulouse/quizzes", method: .post, headers: jsonHeaders(token), body: ByteBuffer(string: body))
                #expect(created.status == .created)
                let json = try created.json()
                let id = try #require(json["id"] as? String)
                #expect(json["chapter"] as? String == "toulouse")
                #expect((json["questions"] as? [[String: Any]])?.count == 4)
                let quizID = try #require(Quiz.ID(string: id))
                let stored = try #require(try await app.persistence.quizzes.quiz(id: quizID))
                #expect(stored.chapterID == toulouse.id && stored.shared)
                #expect(stored.questions[0].correct == [1] && stored.questions[2].answer == 42.5 && stored.questions[3].accepted == ["swift"])

                let list = try await client.execute(uri: "/api/v1/chapters/toulouse/quizzes", method: .get, headers: jsonHeaders(token))
                let items = try #require(try list.json()["items"] as? [[String: Any]])
                #expect(items.count == 1 && items[0]["questionCount"] as? Int == 4)

                let shown = try await client.execute(uri: "/api/v1/quizzes/\(id)", method: .get, headers: jsonHeaders(token))
                #expect(shown.status == .ok)
                #expect(try shown.json()["title"] as? String == "API quiz")

                let invalid = try await client.execute(uri: "/api/v1/quizzes/\(id)", method: .put, headers: jsonHeaders(token), body: ByteBuffer(string: """
                    {"title":"","language":"de","questions":[{"kind":"single","prompt":"x","choices":["a","b"],"correct":[0,1]},
                      {"kind":"multiple","prompt":"y","choices":["a","b"],"correct":[5]},{"kind":"word","prompt":"z","seconds":1}]}
                    """))
                #expect(invalid.status == .unprocessableContent)
                let fields = try #require(try invalid.json()["fields"] as? [String: String])
                #expect(Set(fields.keys) == ["title", "language", "questions[0].choices", "questions[1].correct", "questions[2].seconds"])

                let replaced = try await client.execute(uri: "/api/v1/quizzes/\(id)", method: .put, headers: jsonHeaders(token), body: ByteBuffer(string: """
                    {"title":"Renamed","language":"fr","questions":[{"kind":"word","prompt":"Un mot ?"}]}
                    """))
                #expect(replaced.status == .ok)
                let after = try #require(try await app.persistence.quizzes.quiz(id: stored.id))
                #expect(after.title == "Renamed" && after.language == .fr && !after.shared && after.questions.count == 1 && after.isPoll)

                // Another chapter's organiser sees nothing.
                #expect(try await client.execute(uri: "/api/v1/quizzes/\(id)", method: .get, headers: jsonHeaders(strangerToken)).status == .notFound)
                #expect(try await client.execute(uri: "/api/v1/quizzes/\(id)", method: .delete, headers: jsonHeaders(strangerToken)).status == .notFound)
                #expect(try await client.execute(uri: "/api/v1/chapters/toulouse/quizzes", method: .get, headers: jsonHeaders(strangerToken)).status == .notFound)
                #expect(try await client.execute(uri: "/api/v1/quizzes/\(id)", method: .get).status == .unauthorized)

                let deleted = try await client.execute(uri: "/api/v1/quizzes/\(id)", method: .delete, headers: jsonHeaders(token))
                #expect(deleted.status == .noContent)
                #expect(try await app.persistence.quizzes.quiz(id: stored.id) == nil)
                #expect(try await client.execute(uri: "/api/v1/quizzes/\(id)", method: .get, headers: jsonHeaders(token)).status == .notFound)
            }
        }
    }

    // MARK: Results

    /// A finished game: two players, one with a name a spreadsheet would run as a formula.
    static func playedGame(_ app: TestApp, event: Event) async throws -> QuizSession {
        let quizzes = app.persistence.quizzes
        let quiz = Quiz(chapterID: event.chapterID, title: "Soirée, \"quiz\"", language: .fr, questions: [
            QuizQuestion(kind: .single, prompt: "Capital?", choices: ["Lyon", "=HYPERLINK(\"x\")"], correct: [0], seconds: 20),
            QuizQuestion(kind: .word, prompt: "Word?", seconds: 20, points: 0),
        ], updatedAt: Fixture.start)
        try await quizzes.save(quiz)
        let session = try await quizzes.start(quiz, event: event.id, teams: true, now: Fixture.start)
        let ana = try await quizzes.join(session: session.id, registration: nil, name: "Ana, \"the\" best", team: "Blue", now: Fixture.start)
        let evil = try await quizzes.join(session: session.id, registration: nil, name: "=cmd|' /C calc'!A0", team: "+Red", now: Fixture.start.addingTimeInterval(1))
        let first = try await quizzes.apply(.next, session: session.id, now: Fixture.start.addingTimeInterval(2)).get()
        _ = try await quizzes.answer(session: first, player: ana.id, index: 0, answer: .choices([0]), received: Fixture.start.addingTimeInterval(3))
        _ = try await quizzes.answer(session: first, player: evil.id, index: 0, answer: .choices([1]), received: Fixture.start.addingTimeInterval(4))
        _ = try await quizzes.apply(.close, session: session.id, now: Fixture.start.addingTimeInterval(5)).get()
        let second = try await quizzes.apply(.next, session: session.id, now: Fixture.start.addingTimeInterval(6)).get()
        _ = try await quizzes.answer(session: second, player: evil.id, index: 1, answer: .word("@SUM(A1)"), received: Fixture.start.addingTimeInterval(7))
        _ = try await quizzes.apply(.finish, session: session.id, now: Fixture.start.addingTimeInterval(8)).get()
        return session
    }

    @Test(arguments: DatabaseKind.available)
    func resultsExportAsCSVWithFormulasDefused(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 10)
            let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: ["toulouse"])
            let game = try await Self.playedGame(app, event: event)
            try await app.application.test(.router) { client in
                let response = try await client.get("/organize/events/\(event.id)/quiz-results/\(game.id)", as: organizer)
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/csv; charset=utf-8")
                #expect(response.headers[.contentDisposition]?.hasPrefix("attachment") == true)
                let lines = response.text.dropFirst(CSV.byteOrderMark.count).components(separatedBy: "\r\n")
                try #require(lines.count == 4, "\(lines)")
                #expect(lines[0] == "Rank,Name,Team,Points,Right answers,1. Capital?,2. Word?")
                #expect(lines[1].hasPrefix("1,\"Ana, \"\"the\"\" best\",Blue,"))
                #expect(lines[1].hasSuffix(",1,Lyon,"))
                #expect(lines[2] == "2,'=cmd|' /C calc'!A0,'+Red,0,0,\"'=HYPERLINK(\"\"x\"\")\",'@SUM(A1)")

                // The game must be this event's.
                let other = try await Fixture.event(app.persistence, chapter: chapter, capacity: 10, title: "Autre")
                #expect(try await client.get("/organize/events/\(other.id)/quiz-results/\(game.id)", as: organizer).status == .notFound)
            }
        }
    }

    @Test(arguments: DatabaseKind.available)
    func theAPIListsAnEventsGamesAndTheirResults(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            _ = try await Fixture.chapter(app.persistence, slug: "paris")
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 10)
            let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: ["toulouse"])
            let stranger = try await Accounts.signIn(app, email: "paris@example.org", chapters: ["paris"])
            let token = try await app.persistence.accounts.issueToken(for: organizer.user.id, now: Fixture.start)
            let strangerToken = try await app.persistence.accounts.issueToken(for: stranger.user.id, now: Fixture.start)
            let game = try await Self.playedGame(app, event: event)
            try await app.application.test(.router) { client in
                let list = try await client.execute(uri: "/api/v1/events/\(event.id)/quiz-games", method: .get, headers: jsonHeaders(token))
                let items = try #require(try list.json()["items"] as? [[String: Any]])
                #expect(items.count == 1 && items[0]["id"] as? String == game.id.description && items[0]["phase"] as? String == "finished")

                let results = try await client.execute(uri: "/api/v1/events/\(event.id)/quiz-games/\(game.id)", method: .get, headers: jsonHeaders(token))
                #expect(results.status == .ok)
                let players = try #require(try results.json()["players"] as? [[String: Any]])
                #expect(players.map { $0["rank"] as? Int } == [1, 2])
                #expect(players[0]["name"] as? String == "Ana, \"the\" best")
                #expect(players[0]["rightAnswers"] as? Int == 1)
                let answers = try #require(players[1]["answers"] as? [[String: Any]])
                #expect(answers.map { $0["answer"] as? String } == ["=HYPERLINK(\"x\")", "@SUM(A1)"])
                #expect(answers.map { $0["question"] as? Int } == [0, 1])

                #expect(try await client.execute(uri: "/api/v1/events/\(event.id)/quiz-games", method: .get, headers: jsonHeaders(strangerToken)).status == .notFound)
                #expect(try await client.execute(uri: "/api/v1/events/\(event.id)/quiz-games/\(game.id)", method: .get, headers: jsonHeaders(strangerToken)).status == .notFound)
            }
        }
    }
}
