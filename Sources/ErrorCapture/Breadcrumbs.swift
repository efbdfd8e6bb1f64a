import Foundation
import Logging

/// The last log lines of the work in hand on this thread, which an event carries as its
/// breadcrumbs: a worker loop starts a fresh trail for each update (`begin`), so an
/// event of that update shows what the update did before it failed.
public enum Breadcrumbs {
    static let capacity = 20
    private static let key = "bookingbot.breadcrumbs"

    /// A trail for one thread; only that thread touches it.
    private final class Trail {
        var items: [Breadcrumb] = []
    }

    /// Starts a new trail on this thread (a new update).
    public static func begin() {
        trail.items.removeAll(keepingCapacity: true)
    }

    /// This thread's trail, oldest first.
    public static var current: [Breadcrumb] { trail.items }

    /// Leaves a step of the work on the trail (ids and kinds only, never user text).
    public static func leave(_ message: String, category: String) {
        record(Breadcrumb(message: message, category: category))
    }

    static func record(_ crumb: Breadcrumb) {
        let trail = self.trail
        trail.items.append(crumb)
        if trail.items.count > capacity { trail.items.removeFirst(trail.items.count - capacity) }
    }

    private static var trail: Trail {
        let dictionary = Thread.current.threadDictionary
        if let trail = dictionary[key] as? Trail { return trail }
        let trail = Trail()
        dictionary[key] = trail
        return trail
    }
}

extension Breadcrumb.Level {
    init(_ level: Logger.Level) {
        switch level {
        case .trace, .debug: self = .debug
        case .info, .notice: self = .info
        case .warning: self = .warning
        case .error: self = .error
        case .critical: self = .fatal
        }
    }
}
