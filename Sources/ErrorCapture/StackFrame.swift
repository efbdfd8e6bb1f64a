import Foundation

/// One frame of a Sentry stack trace, read from a `Thread.callStackSymbols` line.
///
/// On Linux a line reads `/path/image(symbol+0xoffset) [0xaddress]`; a symbol shows only
/// when the image exports it (shared libraries do; executables when linked with
/// `-export-dynamic`), otherwise the function is `image+0xoffset`.
struct StackFrame: Sendable, Equatable {
    var function: String
    var package: String?
    var instructionAddress: String?

    var jsonObject: [String: Any] {
        var object: [String: Any] = ["function": function]
        if let package { object["package"] = package }
        if let instructionAddress { object["instruction_addr"] = instructionAddress }
        return object
    }

    static let maxFrames = 100

    /// The stack above the caller of `current`, oldest frame first (Sentry's order).
    ///
    /// Frames are dropped by count, not by name: executables export no symbols, so this
    /// module's own frames often have none. `droppingCallers` is how many frames of this
    /// module called `current` (each of them `@inline(never)`, so the count holds in
    /// optimized builds too); Foundation's stack walk and `current` itself always go.
    @inline(never)
    static func current(droppingCallers callers: Int) -> [StackFrame] {
        let lines = Thread.callStackSymbols.dropFirst(2 + callers)
        return lines.prefix(maxFrames).map(StackFrame.init(line:)).reversed()
    }

    init(function: String, package: String?, instructionAddress: String?) {
        self.function = function
        self.package = package
        self.instructionAddress = instructionAddress
    }

    init(line: String) {
        guard let open = line.firstIndex(of: "("), let close = line[open...].firstIndex(of: ")") else {
            self.init(function: line, package: nil, instructionAddress: nil)
            return
        }
        let image = line[..<open].split(separator: "/").last.map(String.init)
        let inside = line[line.index(after: open)..<close]
        let symbol = inside.range(of: "+0x", options: .backwards).map { inside[..<$0.lowerBound] } ?? inside
        var address: String?
        if let start = line[close...].firstIndex(of: "["), let end = line[start...].firstIndex(of: "]") {
            address = String(line[line.index(after: start)..<end])
        }
        let function = symbol.isEmpty ? (image ?? "?") + inside : Demangler.demangle(String(symbol))
        self.init(function: function, package: image, instructionAddress: address)
    }
}

/// Swift symbol names made readable by the runtime's own `swift_demangle`, looked up
/// once; a name it cannot read (C, C++) stays as it is.
enum Demangler {
    private typealias Function = @convention(c) (
        UnsafePointer<CChar>?, Int, UnsafeMutablePointer<CChar>?, UnsafeMutablePointer<Int>?, UInt32
    ) -> UnsafeMutablePointer<CChar>?

    private static let function: Function? = {
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "swift_demangle") else { return nil }
        return unsafeBitCast(symbol, to: Function.self)
    }()

    static func demangle(_ symbol: String) -> String {
        guard symbol.hasPrefix("$s") || symbol.hasPrefix("_$s"), let function else { return symbol }
        let demangled = symbol.withCString { function($0, strlen($0), nil, nil, 0) }
        guard let demangled else { return symbol }
        defer { free(demangled) }
        return String(cString: demangled)
    }
}
