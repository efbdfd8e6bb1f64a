import Foundation
@testable import Telegram
import XCTest

/// The byte-exact slicing that keeps updates and results as Telegram sent them.
final class RawJSONTests: XCTestCase {
    func testElementsKeepTheirExactBytes() throws {
        let first = #"{"update_id":1,"message":{"text":"a ] } \" [ { , \\ \u0041"}}"#
        let second = #"{ "update_id" : 2 , "x" : [ 1, 2 ] }"#
        let data = Data("[ \(first) ,\n\t\(second)]".utf8)
        let elements = try XCTUnwrap(RawJSON.elements(of: data))
        XCTAssertEqual(elements.map { String(decoding: $0, as: UTF8.self) }, [first, second])
        XCTAssertEqual(RawJSON.elements(of: Data("[]".utf8)), [])
        for malformed in ["[}", "[1,}", "[,,:"] {
            XCTAssertNil(RawJSON.elements(of: Data(malformed.utf8)), "\(malformed) is malformed, read without looping")
        }
        XCTAssertEqual(RawJSON.elements(of: Data("[1, true, null, -2.5e3]".utf8))?.map { String(decoding: $0, as: UTF8.self) },
                       ["1", "true", "null", "-2.5e3"])
    }

    func testMemberFindsTheTopLevelKeyOnly() throws {
        let data = Data(#"{"ok":true,"nested":{"result":0},"description":"has \"result\": inside","result":{"a":[1,"]"]}}"#.utf8)
        XCTAssertEqual(RawJSON.member("result", of: data).map { String(decoding: $0, as: UTF8.self) }, #"{"a":[1,"]"]}"#)
        XCTAssertEqual(RawJSON.member("ok", of: data).map { String(decoding: $0, as: UTF8.self) }, "true")
        XCTAssertNil(RawJSON.member("missing", of: data))
    }

    func testTruncatedInputGivesNil() {
        XCTAssertNil(RawJSON.elements(of: Data(#"[{"a":1}"#.utf8)))
        XCTAssertNil(RawJSON.elements(of: Data(#"[{"a":"1}]"#.utf8)))
        XCTAssertNil(RawJSON.member("b", of: Data(#"{"a":{"b":1}"#.utf8)))
        XCTAssertNil(RawJSON.elements(of: Data(#"{"a":1}"#.utf8)))
    }
}
