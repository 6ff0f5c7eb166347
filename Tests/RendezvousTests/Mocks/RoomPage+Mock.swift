import Foundation
import RendezvousDomain
@testable import RendezvousWeb

// The room page with fixed values: seven people at three tables, round 1 of 2 running.

extension Mock {
    static let roomPeople: [RoomPerson] = [
        ("Marie", "Quinquies", "Consultante"), ("Karim", "Benali", "Founder"), ("Zoé", "Martin", ""), ("Дмитрий", "Petrov", "Developer"),
        ("王芳", "Wang", "Designer"), ("Léa", "Durand", "Product manager"), ("Tom", "<b>Bold</b>", "Sales"),
    ].enumerated().map { index, person in
        RoomPerson(registrationID: String(format: "00000000-0000-4000-8000-%012d", index + 1), firstName: person.0, lastName: person.1,
                   jobTitle: person.2, company: "", askMeAbout: "", newcomer: index % 2 == 0, checkedIn: true)
    }

    static var roomState: RoomState {
        let ids = roomPeople.map(\.registrationID)
        let plan = """
            {"rounds": [[["\(ids[0])", "\(ids[1])", "\(ids[2])"], ["\(ids[3])", "\(ids[4])"], ["\(ids[5])", "\(ids[6])"]],
                        [["\(ids[0])", "\(ids[3])", "\(ids[5])"], ["\(ids[1])", "\(ids[6])"], ["\(ids[2])", "\(ids[4])"]]],
             "quality": {"repeatedPairs": 0, "colleaguePairs": 0, "keptApartTogether": 0, "metBeforeTogether": 1, "mixPenalty": 12,
                         "lowerBound": {"repeatedPairs": 0, "colleaguePairs": 0, "mixPenalty": 10}, "mixScore": 87, "moved": 3, "unmetPins": 0, "seconds": 0.01}}
            """
        var setup = RoomSetup(tables: [RoomTable(name: "1", seats: 3), RoomTable(name: "Window", seats: 3), RoomTable(name: "3", seats: 2)],
                              rounds: 2, roundMinutes: 20)
        setup.pin(ids[0], round: 1, table: 0)
        setup.keepApart(ids[1], ids[2])
        return RoomState(eventID: event, setup: setup, plan: try! JSONDecoder().decode(RotationPlan.self, from: Data(plan.utf8)),
                         plannedAt: Date(timeIntervalSince1970: 1_802_539_000), currentRound: 0, phase: .running,
                         roundStartedAt: Date(timeIntervalSince1970: 1_802_539_800), left: [], version: 7)
    }
}

extension RoomPage {
    static var mock: RoomPage {
        var page = RoomPage(chrome: .organizer("Tables & rounds", path: OrganizeRoute.room(Mock.event).path), csrf: Mock.csrf, event: Mock.meetup,
                            state: Mock.roomState, people: Mock.roomPeople, now: Date(timeIntervalSince1970: 1_802_539_800 + 425), language: .en,
                            notice: "The tables are planned.")
        page.screenURL = "/screen/\(Mock.event)?key=bW9jay1zY3JlZW4"
        return page
    }

    static var mockSetupErrors: RoomPage {
        var errors = ValidationErrors()
        errors.add("seats", .outOfRange(min: 2, max: 20))
        errors.add("smaller", .outOfRange(min: 1, max: 8))
        return RoomPage(chrome: .organizer("Tables & rounds", path: OrganizeRoute.room(Mock.event).path), csrf: Mock.csrf, event: Mock.meetup,
                        state: nil, people: Mock.roomPeople, now: Date(timeIntervalSince1970: 1_802_539_800), language: .en,
                        input: RoomSetupInput(tables: "8", seats: "40", names: "", smaller: "9:4", rounds: "3", minutes: "20"), errors: errors)
    }
}
