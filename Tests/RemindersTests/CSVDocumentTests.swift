import Booking
import Foundation
@testable import Reminders
import Store
import XCTest

/// The export's CSV as Excel reads it: a BOM, a header, RFC 4180 quoting, Cyrillic as
/// UTF-8, and no cell that runs as a formula.
final class CSVDocumentTests: XCTestCase {
    private func text(_ data: Data) -> String { String(decoding: data, as: UTF8.self) }

    func testTheFileStartsWithABOMThenTheHeaderAndEndsEachRowWithCRLF() throws {
        let data = try CSVDocument.make(header: ["Время", "Действие"], rows: [["2026-03-05", "вход"], ["", "b"]])
        XCTAssertEqual(Array(data.prefix(3)), [0xEF, 0xBB, 0xBF])
        XCTAssertEqual(text(data.dropFirst(3)), "Время,Действие\r\n2026-03-05,вход\r\n,b\r\n")
        XCTAssertEqual(text(try CSVDocument.make(header: ["a"], rows: []).dropFirst(3)), "a\r\n", "a header alone")
    }

    func testCommasQuotesAndLineBreaksAreQuotedAndQuotesDoubled() throws {
        let data = try CSVDocument.make(header: ["x"], rows: [["a,b"], [#"say "hi""#], ["two\nlines"], ["cr\r\nlf"], ["plain"],
                                                              [#"{"step": "h"}"#]])
        XCTAssertEqual(text(data.dropFirst(3)), "x\r\n\"a,b\"\r\n\"say \"\"hi\"\"\"\r\n\"two\nlines\"\r\n\"cr\r\nlf\"\r\nplain\r\n"
                       + "\"{\"\"step\"\": \"\"h\"\"}\"\r\n")
    }

    func testCyrillicAndEmojiStayAsUTF8() throws {
        let data = try CSVDocument.make(header: ["Имя"], rows: [["Ольга Ёлкина 🌸"]])
        XCTAssertEqual(data, Data([0xEF, 0xBB, 0xBF]) + Data("Имя\r\nОльга Ёлкина 🌸\r\n".utf8))
    }

    func testCellsThatWouldRunAsFormulasGetAnApostrophe() throws {
        let hostile = ["=HYPERLINK(\"http://x\",\"y\")", "+1+2", "-2+3", "@SUM(A1)", "\tTAB", "\rCR", "=\u{301}1+1"]
        for cell in hostile {
            XCTAssertEqual(CSVDocument.neutralised(cell), "'" + cell, cell.debugDescription)
        }
        for cell in ["", "a=b", "1-2", "Ольга", " =1", "'quoted"] {
            XCTAssertEqual(CSVDocument.neutralised(cell), cell, cell.debugDescription)
        }
        let data = try CSVDocument.make(header: ["=h"], rows: [["=1+1", "a,=b"], ["-5"]])
        XCTAssertEqual(text(data.dropFirst(3)), "'=h\r\n'=1+1,\"a,=b\"\r\n'-5\r\n")
    }

    func testTheAuditColumnsShowLocalTimeTheActorAndTheVerdictInTheLanguage() throws {
        let clock = try XCTUnwrap(BusinessClock(zoneIdentifier: "Europe/Moscow"))
        let at = Date(timeIntervalSince1970: 1_772_708_400)  // 2026-03-05 11:00 UTC
        let entries = [
            AuditEntry(id: 1, time: at, actorID: 5, actorFirstName: "Ольга", actorLastName: "Ким", actorUsername: "olga",
                       action: "export.start", target: "export:audit_export", details: #"{"kind": "audit_export"}"#, allowed: true),
            AuditEntry(id: 2, time: at.addingTimeInterval(61), actorID: 6, actorFirstName: "=cmd", actorLastName: nil, actorUsername: nil,
                       action: "flow.step", target: nil, details: "{}", allowed: false),
        ]
        XCTAssertEqual(text(try AuditExport.csv(entries, language: .ru, clock: clock).dropFirst(3)),
                       "Время,ID сотрудника,Сотрудник,Действие,Объект,Подробности,Разрешено\r\n"
                       + "2026-03-05T14:00:00+03:00,5,Ольга Ким @olga,export.start,export:audit_export,\"{\"\"kind\"\": \"\"audit_export\"\"}\",да\r\n"
                       + "2026-03-05T14:01:01+03:00,6,'=cmd,flow.step,,{},нет\r\n")
        XCTAssertTrue(text(try AuditExport.csv(entries, language: .en, clock: clock)).contains("Time,Actor ID,Actor,Action,Target,Details,Allowed\r\n"))
        XCTAssertEqual(AuditExport.fileName(now: at.addingTimeInterval(13 * 3600), clock: clock), "audit-log-2026-03-06.csv",
                       "the business's date, not UTC's")
    }
}
