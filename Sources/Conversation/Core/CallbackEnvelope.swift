import Foundation

/// Why callback data was not accepted. Each gets its own answer, and none changes anything.
public enum CallbackRejection: String, Error, Sendable {
    /// Not data this bot makes (garbage, forged, truncated, an unknown flow or action).
    case malformed
    /// Made by a version of the bot whose format is gone.
    case unsupportedVersion = "unsupported_version"
    /// The message is older than CALLBACK_TTL_HOURS.
    case stale
}

/// The text form of a button: `2.<issued>.<flow>.<code>[.<number>…]` — version 2, the
/// minute the button was made (base 36, since 2024-01-01 UTC), the flow that owns it, the
/// flow's action code and its numbers in base 36. Version 1 (`1.<issued>.<code>[…]`,
/// before flows had names) is still read for as long as its buttons can be fresh: each
/// of its codes belongs to one flow (`legacyFlows`).
///
/// Parsing here is syntax only and strict (anything else is `malformed`, never a guess);
/// the router then checks the numbers against the flow's `shapes`, and only then the age,
/// so forged data never reads as "out of date".
public enum CallbackEnvelope {
    public static let version = "2"
    public static let maxBytes = 64
    static let epoch = Date(timeIntervalSince1970: 1_704_067_200)  // 2024-01-01T00:00:00Z
    /// A button dated this far in the future is forged (clocks of workers differ a little).
    static let allowedSkew: TimeInterval = 300

    /// Callback data, split and checked for syntax.
    public struct Parsed: Sendable, Equatable {
        public var flow: FlowID
        public var button: ButtonCode
        public var issuedAt: Date
    }

    public static func encode<Action: FlowAction>(_ action: Action, issuedAt: Date) -> String {
        let encoded = action.encoded
        assert(Action.shapes[encoded.code]?.count == encoded.numbers.count, "\(Action.self).shapes lacks \(encoded.code)")
        return encode(flow: Action.flow, encoded, issuedAt: issuedAt)
    }

    /// Any flow's code and numbers (the tests press every registered shape with it).
    public static func encode(flow: FlowID, _ code: ButtonCode, issuedAt: Date) -> String {
        let minutes = max(0, Int(saturatingFloor: issuedAt.timeIntervalSince(epoch) / 60))
        let text = ([version, base36(minutes), flow.rawValue, code.code] + code.numbers.map(base36)).joined(separator: ".")
        precondition(text.utf8.count <= maxBytes, "callback data over \(maxBytes) bytes: \(text)")
        return text
    }

    public static func parse(_ text: String, now: Date) -> Result<Parsed, CallbackRejection> {
        guard !text.isEmpty, text.utf8.count <= maxBytes else { return .failure(.malformed) }
        let fields = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard fields.count >= 3 else { return .failure(.malformed) }
        let flow: FlowID
        let rest: ArraySlice<String>
        switch fields[0] {
        case version:
            guard fields.count >= 4, let id = FlowID(rawValue: fields[2]) else { return .failure(.malformed) }
            (flow, rest) = (id, fields.dropFirst(3))
        case "1":
            guard let id = legacyFlows[fields[2]] else { return .failure(.malformed) }
            (flow, rest) = (id, fields.dropFirst(2))
        default:
            return !fields[0].isEmpty && fields[0].allSatisfy(\.isNumber) ? .failure(.unsupportedVersion) : .failure(.malformed)
        }
        guard let minutes = number(fields[1]) else { return .failure(.malformed) }
        let issuedAt = epoch.addingTimeInterval(Double(minutes) * 60)
        guard issuedAt <= now.addingTimeInterval(allowedSkew), let code = rest.first, !code.isEmpty,
              code.allSatisfy({ ("a"..."z").contains($0) }) else { return .failure(.malformed) }
        var numbers: [Int] = []
        for field in rest.dropFirst() {
            guard let value = number(field) else { return .failure(.malformed) }
            numbers.append(value)
        }
        return .success(Parsed(flow: flow, button: ButtonCode(code, numbers), issuedAt: issuedAt))
    }

    /// The action a button of `Action`'s flow carries, whatever its age (tests and tools
    /// read the screens they are shown); nil for anything else.
    public static func decode<Action: FlowAction>(_ text: String, as type: Action.Type, now: Date) -> Action? {
        guard case .success(let parsed) = parse(text, now: now), parsed.flow == Action.flow else { return nil }
        let today = Int(saturatingFloor: now.timeIntervalSince1970 / 86_400)
        return Action.decode(code: parsed.button.code, numbers: parsed.button.numbers, today: today)
    }

    /// Version 1's action codes and the flows that own them now (the codes are unchanged).
    static let legacyFlows: [String: FlowID] = [
        "m": StartFlow.id, "hw": StartFlow.id,
        "bn": BookingFlow.id, "sl": BookingFlow.id, "s": BookingFlow.id, "c": BookingFlow.id, "d": BookingFlow.id,
        "t": BookingFlow.id, "k": BookingFlow.id,
        "my": MyBookingsFlow.id, "ca": CancelFlow.id, "cc": CancelFlow.id,
        "mv": MoveFlow.id, "mc": MoveFlow.id, "md": MoveFlow.id, "mt": MoveFlow.id, "mk": MoveFlow.id,
        "r": ReviewFlow.id, "rs": ReviewFlow.id,
        "x": CoreAction.flow, "n": CoreAction.flow,
    ]

    private static func base36(_ value: Int) -> String { String(value, radix: 36) }

    /// A canonical base-36 number: lowercase digits, no sign, no leading zero, ≤ 13 digits
    /// (Int64.max has 13); nil past Int's range.
    private static func number(_ text: String) -> Int? {
        guard (1...13).contains(text.count), text == "0" || !text.hasPrefix("0"),
              text.allSatisfy({ ("0"..."9").contains($0) || ("a"..."z").contains($0) }) else { return nil }
        return Int(text, radix: 36)
    }
}
