@testable import Texts
import XCTest

/// The services screens render whole and clean in both languages, with the longest values
/// the form allows, within Telegram's limits.
final class ServicesTextTests: XCTestCase {
    private let longCard = ServiceCardInfo(name: String(repeating: "Щ", count: 100), description: String(repeating: "д", count: 500),
                                           durationMinutes: 480, priceText: String(repeating: "₽", count: 50), amount: "9999999999.99",
                                           state: .active, upcomingBookings: 21, position: 3, inUse: 3)

    func testEveryScreenRendersCleanlyInBothLanguages() {
        let preview = ServicePreviewInfo(creating: false, name: "Massage", description: "", durationMinutes: 90, priceText: "", amount: nil)
        let texts: [ServicesText] = [
            .list(inUse: 0, archived: 0, page: 1, pages: 1, notice: nil),
            .list(inUse: 21, archived: 2, page: 2, pages: 2, notice: .deleted(name: "Yoga")),
            .card(longCard, notice: .hasBookings),
            .card(ServiceCardInfo(name: "Yoga", description: "", durationMinutes: 45, priceText: "", amount: nil, state: .archived,
                                  upcomingBookings: 0, position: nil, inUse: 0), notice: nil),
            .deleteQuestion(name: "Yoga"), .askName, .askDescription, .askDuration, .askPriceText,
            .askAmount(current: nil), .askAmount(current: "1500.50"), .preview(preview), .saved(name: "Yoga", created: true),
            .saved(name: "Yoga", created: false), .notEditable,
        ]
        for text in texts {
            for language in Language.allCases {
                let rendered = text.text(in: language)
                assertClean(rendered, "\(text) \(language)")
                XCTAssertFalse(rendered.contains(".."), "\(text) \(language): \(rendered)")
                XCTAssertLessThanOrEqual(rendered.count, 4096)
                if language == .en { XCTAssertFalse(hasCyrillic(rendered.replacingOccurrences(of: "Щ", with: "")
                                                        .replacingOccurrences(of: "д", with: "")), rendered) }
            }
        }
        XCTAssertTrue(ServicesText.card(longCard, notice: nil).text(in: .ru).contains("Предстоящих записей: 21"))
    }

    func testAServiceButtonFitsALabel() {
        let label = ServicesButton.service(name: String(repeating: "x", count: 100), state: .inactive, durationMinutes: 90).label(in: .ru)
        XCTAssertLessThanOrEqual(label.count, 64)
        XCTAssertTrue(label.hasPrefix("⚪️ xxx"), label)
    }
}
