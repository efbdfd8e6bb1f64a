/// A process's memory in KiB, as its /proc/<pid>/status tells it.
///
/// Resident memory is two different things. `anonymous` is what the process allocated
/// (heap, stacks): a leak grows it. `file` is pages of files it maps, mostly its own
/// executable's code and read-only data (ICU's tables among them in a static Swift
/// binary): they come in the first time a path runs, are shared with every other process
/// of the same binary, and the kernel drops them under pressure and reads them back.
public struct ResidentMemory: Sendable, Equatable {
    /// The most it was ever resident (VmHWM).
    public var peak: Int
    /// Resident now (VmRSS = anonymous + file + shared memory).
    public var resident: Int
    public var anonymous: Int
    public var file: Int

    /// Parsed from the text of /proc/<pid>/status; nil when a field is missing.
    public init?(status: String) {
        var fields: [Substring: Int] = [:]
        for line in status.split(separator: "\n") {
            let parts = line.split(whereSeparator: { $0 == ":" || $0 == " " || $0 == "\t" })
            if parts.count >= 2, let kib = Int(parts[1]) { fields[parts[0]] = kib }
        }
        guard let peak = fields["VmHWM"], let resident = fields["VmRSS"], let anonymous = fields["RssAnon"],
              let file = fields["RssFile"] else { return nil }
        (self.peak, self.resident, self.anonymous, self.file) = (peak, resident, anonymous, file)
    }
}
