import Booking
@testable import Conversation
import Foundation
import Texts
import XCTest

/// Blocking against the store's seam: the preview reads the bookings by interval, the
/// confirm asks the store to block only those shown, the request is checked again at
/// commit, and typed times are read before any arithmetic.
final class BlockingFlowTests: ConversationTestCase {
    private var range: TimeRange { TimeRange(start: msk(12, 10, 10, 30), end: msk(12, 10, 14)) }

    private func staffStore(roleAtCommit: Role = .moderator) -> StoreFixture {
        store {
            $0.roleAtCommit = roleAtCommit
            $0.blocksNow = self.now
            $0.allBookings = [(5, 10), (6, 11), (7, 14)].map { id, hour in
                StaffBooking(booking: self.booking(self.msk(12, 10, hour), id: id), client: self.annaInfo, state: .confirmed)
            }
        }
    }

    private func state(_ draft: BlockingFlow.State) throws -> ConversationState {
        ConversationState(flow: BlockingFlow.id, messageID: 900, draft: String(decoding: try JSONEncoder().encode(draft), as: UTF8.self))
    }

    private func decoded(_ turn: Turn) -> BlockingFlow.State? {
        turn.state.draft.flatMap { try? JSONDecoder().decode(BlockingFlow.State.self, from: Data($0.utf8)) }
    }

    private var asking: BlockingFlow.State {
        BlockingFlow.State(kind: .hours, day: date(range.start).dayNumber, start: MinuteStamp.of(range.start), end: MinuteStamp.of(range.end),
                           asking: .reason)
    }

    func testThePreviewNamesTheBookingsByIntervalAndConfirmBlocksOnlyThoseShown() throws {
        let store = staffStore()
        let preview = turn(.text("  Plumbing  ", from: anna), state: try state(asking), store: store, role: .moderator)
        XCTAssertEqual(store.readsAsked, [.confirmedOverlapping(range)])
        XCTAssertEqual(store.changesAsked, [], "a preview changes nothing")
        XCTAssertTrue(screen(preview).text.contains("2 confirmed bookings will be cancelled"), screen(preview).text)
        var shown = asking
        (shown.asking, shown.reason, shown.expected) = (nil, "Plumbing", [5, 6])
        XCTAssertEqual(decoded(preview), shown, "the one that began before the block counts; the one after it does not")

        let confirm = turn(press(BlockingFlow.Action.confirm), state: try state(shown), store: store, role: .moderator)
        XCTAssertEqual(store.changesAsked, [.block(range, reason: "Plumbing", expected: [5, 6])])
        XCTAssertEqual(store.audited, [.blockCreated(block: 1, range: range, reason: "Plumbing", cancelled: 2, outcome: .done)])
        XCTAssertTrue(screen(confirm).text.contains("2 bookings cancelled"), screen(confirm).text)
        XCTAssertEqual(store.allBookings.map(\.state), [.cancelled, .cancelled, .confirmed])
    }

    func testBookingsChangedSinceThePreviewBlockNothingAndShowTheNewPreview() throws {
        let store = staffStore()
        var shown = asking
        (shown.asking, shown.reason, shown.expected) = (nil, "Plumbing", [5])
        let changed = turn(press(BlockingFlow.Action.confirm), state: try state(shown), store: store, role: .moderator)
        XCTAssertEqual(store.blocks, [])
        XCTAssertEqual(store.audited, [.blockCreated(block: nil, range: range, reason: "Plumbing", cancelled: 0,
                                                     outcome: .refused("bookings_changed"))])
        XCTAssertTrue(screen(changed).text.contains("changed while you looked"), screen(changed).text)
        XCTAssertEqual(decoded(changed)?.expected, [5, 6])
    }

    func testARequestIsCheckedAgainAtCommit() throws {
        let bad: [(TimeRange, String, BlockRequest.Problem)] = [
            (TimeRange(start: msk(12, 2, 10), end: msk(12, 2, 12)), "Plumbing", .past),
            (TimeRange(start: msk(12, 10, 10), end: msk(12, 10, 10)), "Plumbing", .empty),
            (TimeRange(start: msk(12, 10, 10), end: msk(12, 10, 10).addingTimeInterval(3 * 366 * 86_400)), "Plumbing", .tooFar),
            (range, "🎉🎉", .badReason), (range, String(repeating: "x", count: 501), .badReason), (range, " padded ", .badReason),
        ]
        for (range, reason, problem) in bad {
            var shown = asking
            (shown.start, shown.end, shown.asking, shown.reason, shown.expected) =
                (MinuteStamp.of(range.start), MinuteStamp.of(range.end), nil, reason, [])
            let store = staffStore()
            _ = turn(press(BlockingFlow.Action.confirm), state: try state(shown), store: store, role: .moderator)
            XCTAssertEqual(store.changesAsked, [], "\(problem)")
            if problem == .empty {
                XCTAssertEqual(store.audited, [], "an empty range is no draft: nothing to confirm")
            } else {
                XCTAssertEqual(store.audited.count, 1)
                XCTAssertEqual(store.audited.first?.details["outcome"], .text("refused:\(problem.rawValue)"))
            }
        }
    }

    func testARoleRevokedBeforeTheConfirmIsAuditedAsRefused() throws {
        let store = staffStore(roleAtCommit: .client)
        var shown = asking
        (shown.asking, shown.reason, shown.expected) = (nil, "Plumbing", [5, 6])
        _ = turn(press(BlockingFlow.Action.confirm), state: try state(shown), store: store, role: .moderator)
        XCTAssertEqual(store.changesAsked, [])
        XCTAssertEqual(store.refusals, [.blockCreated(block: nil, range: range, reason: "Plumbing", cancelled: 0, outcome: .refused("no_access"))])
    }

    func testTypedTimesAreReadBeforeAnyArithmetic() {
        let day = date(msk(12, 10, 12))
        func parse(_ text: String) -> Result<TimeRange, BlockTimesProblem> {
            BlockTimes.parse(text, on: day, clock: clock, now: now, maxLength: BlockingFlow.timesLength)
        }
        XCTAssertEqual(try parse("10:30-14:00").get(), range)
        XCTAssertEqual(try parse(" 10:30 — 14 ").get(), range)
        XCTAssertEqual(try parse("0-24").get(), TimeRange(start: clock.startOfDay(day), end: clock.startOfDay(day.adding(days: 1))))
        for text in ["", "🎉", "25:99-26:00", "24:30-25:00", "10:60-11:00", "-5:00-10:00", "10:00", "1:2:3-4", "9223372036854775807-1",
                     String(repeating: "1", count: 5000), "10:00-11:00-12:00", "１０:00-11:00", "an hour"] {
            XCTAssertEqual(parse(text), .failure(.format), text)
        }
        XCTAssertEqual(parse("14:00-10:00"), .failure(.reversed))
        XCTAssertEqual(parse("24:00-24:00"), .failure(.reversed))
        XCTAssertEqual(BlockTimes.parse("10:00-11:00", on: today.adding(days: -1), clock: clock, now: now, maxLength: 40), .failure(.past))
    }

    func testTheListShowsBlocksNotYetOverSoonestFirst() {
        let store = staffStore()
        store.blocks = [BlockInfo(id: 1, range: range, reason: "Later"),
                        BlockInfo(id: 2, range: TimeRange(start: msk(12, 2, 10), end: msk(12, 2, 11)), reason: "Over"),
                        BlockInfo(id: 3, range: TimeRange(start: msk(12, 5, 10), end: msk(12, 5, 11)), reason: "Sooner")]
        let list = turn(press(BlockingFlow.Action.list(0)), store: store, role: .moderator)
        let data = screen(list).buttons.flatMap { $0 }.map(\.data)
        let cards = [Int64(3), 1].map { CallbackEnvelope.encode(BlockingFlow.Action.card($0), issuedAt: now) }
        XCTAssertEqual(Array(data.prefix(2)), cards)
        XCTAssertFalse(data.contains(CallbackEnvelope.encode(BlockingFlow.Action.card(2), issuedAt: now)))
    }
}
