import XCTest
@testable import Texts

/// The template syntax the catalogs are written in.
final class TemplateTests: XCTestCase {
    private func render(_ template: String, _ values: [String: TemplateValue], _ language: Language = .ru) -> String {
        TemplateRenderer(language: language, values: values).render(template)
    }

    func testArgumentsAreSubstitutedByName() {
        XCTAssertEqual(render("{a} and {b}", ["a": .text("x"), "b": .number(2)]), "x and 2")
        XCTAssertEqual(render("{ a }", ["a": .text("x")]), "x", "spaces inside braces are allowed")
        XCTAssertEqual(render("no arguments", [:]), "no arguments")
    }

    func testAValueIsNeverReadAsSyntax() {
        XCTAssertEqual(render("<{a}>", ["a": .text("{b} # {c, plural, one {x}}"), "b": .text("B")]), "<{b} # {c, plural, one {x}}>")
    }

    func testAMissingValueShowsItsBraces() {
        // Visible to the tests rather than silently dropped.
        XCTAssertEqual(render("Hi {name}!", [:]), "Hi {name}!")
        XCTAssertEqual(render("{n, plural, one {#} other {#}}", [:]), "{n}")
        XCTAssertEqual(render("{n, plural, one {#} other {#}}", ["n": .text("x")]), "{n}", "a plural needs a number")
    }

    func testMalformedSyntaxIsCopiedOut() {
        XCTAssertEqual(render("{", [:]), "{")
        XCTAssertEqual(render("a { b", [:]), "a { b")
        XCTAssertEqual(render("{n, plural, one {x}", ["n": .number(1)]), "{n, plural, one {x}")
        XCTAssertEqual(render("{n, frobnicate, one {x}}", ["n": .number(1)]), "{n, frobnicate, one {x}}")
        XCTAssertEqual(render("}", [:]), "}")
        XCTAssertEqual(render("# alone", [:]), "# alone", "# means the number only inside a plural")
    }

    func testPluralPicksExactThenCategoryThenOther() {
        let template = "{n, plural, =0 {none} one {# one} few {# few} many {# many} other {# other}}"
        XCTAssertEqual(render(template, ["n": .number(0)]), "none")
        XCTAssertEqual(render(template, ["n": .number(1)]), "1 one")
        XCTAssertEqual(render(template, ["n": .number(3)]), "3 few")
        XCTAssertEqual(render(template, ["n": .number(11)]), "11 many")
        XCTAssertEqual(render(template, ["n": .number(1)], .en), "1 one")
        XCTAssertEqual(render(template, ["n": .number(3)], .en), "3 other")
        XCTAssertEqual(render("{n, plural, one {# x} other {# y}}", ["n": .number(3)]), "3 y", "few falls back to other")
    }

    func testSelectAndNesting() {
        let template = "{flag, select, yes {on: {n, plural, one {# item} other {# items}}} other {off}}"
        XCTAssertEqual(render(template, ["flag": .flag(true), "n": .number(1)], .en), "on: 1 item")
        XCTAssertEqual(render(template, ["flag": .flag(true), "n": .number(4)], .en), "on: 4 items")
        XCTAssertEqual(render(template, ["flag": .flag(false), "n": .number(4)], .en), "off")
        XCTAssertEqual(render("{w, select, soon {S} other {O}}", ["w": .text("later")]), "O")
        XCTAssertEqual(render("{a, select, yes {} other {x}}", ["a": .flag(true)]), "", "an empty branch")
        // `#` inside a select inside a plural is still the plural's number.
        XCTAssertEqual(render("{n, plural, other {{f, select, yes {#!} other {#?}}}}", ["n": .number(7), "f": .flag(true)]), "7!")
    }

    func testShapeListsNamesPluralsAndSelects() {
        let shape = TemplateRenderer.shape(of: "{a} {n, plural, one {# {b}} other {#}} {f, select, yes {{c}} other {}}")
        XCTAssertEqual(shape.names, ["a", "n", "b", "f", "c"])
        XCTAssertEqual(shape.plurals, ["n": ["one", "other"]])
        XCTAssertEqual(shape.selects, ["f": ["yes", "other"]])
    }

    func testPluralCategories() {
        XCTAssertEqual([0, 1, 2, 4, 5, 11, 12, 14, 21, 22, 25, 111, 112, 121].map { PluralCategory.of($0, in: .ru) },
                       [.many, .one, .few, .few, .many, .many, .many, .many, .one, .few, .many, .many, .many, .one])
        XCTAssertEqual([0, 1, 2, 21].map { PluralCategory.of($0, in: .en) }, [.other, .one, .other, .other])
    }
}
