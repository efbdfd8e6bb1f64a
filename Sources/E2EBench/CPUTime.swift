import Foundation

/// One process's line of /proc/<pid>/stat: its parent and its CPU time in clock ticks.
struct ProcStat: Equatable {
    var pid: Int32
    var parent: Int32
    /// utime + stime: the process's own time.
    var ownTicks: Int
    /// cutime + cstime: the time of its children it has reaped (a PostgreSQL backend that
    /// ended, a Redis rewrite child).
    var reapedChildTicks: Int

    var ticks: Int { ownTicks + reapedChildTicks }

    /// Parses the line; nil when it is not one. The command name (field 2) is in
    /// parentheses and may hold spaces and parentheses itself: fields are counted after
    /// the last ")".
    static func parse(_ line: String) -> ProcStat? {
        guard let open = line.firstIndex(of: "("), let close = line.lastIndex(of: ")"), open < close,
              let pid = Int32(line[..<open].trimmingCharacters(in: .whitespaces)) else { return nil }
        // Field 3 (state) is the first after the name; utime is field 14.
        let fields = line[line.index(after: close)...].split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count >= 15, let parent = Int32(fields[1]) else { return nil }
        var numbers: [Int] = []
        for field in fields[11...14] {
            // Ticks fit an Int for millennia; anything else is not a stat line.
            guard let value = Int(field), value >= 0, value < Int(Int32.max) * 1000 else { return nil }
            numbers.append(value)
        }
        return ProcStat(pid: pid, parent: parent, ownTicks: numbers[0] + numbers[1], reapedChildTicks: numbers[2] + numbers[3])
    }

    static func read(_ pid: Int32) -> ProcStat? {
        (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)).flatMap(parse)
    }

    /// Every process's stat now (those that end while being read are left out).
    static func all() -> [ProcStat] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return names.compactMap { Int32($0) }.compactMap(read)
    }
}

/// The processes whose CPU time the bench reports, each group's total in ticks at one moment.
struct CPUGroups {
    /// A named set of processes: its roots, and (when `withChildren`) their live children.
    struct Group {
        var name: String
        var roots: [Int32]
        var withChildren = false
    }

    var groups: [Group]

    /// Each group's ticks so far: the roots' own and reaped children's time plus, for a
    /// group with children, the live children's. A child that ends moves its time into its
    /// parent's reaped share, so the sum only grows and a delta between two samples counts
    /// every process of the group exactly once. Nil for a group none of whose roots could be read.
    func sample() -> [String: Int?] {
        let needsScan = groups.contains { $0.withChildren }
        let everyone = needsScan ? ProcStat.all() : []
        var totals: [String: Int?] = [:]
        for group in groups {
            let roots = group.roots.compactMap(ProcStat.read)
            guard !roots.isEmpty else {
                totals[group.name] = .some(nil)
                continue
            }
            var sum = roots.reduce(0) { $0 + $1.ticks }
            if group.withChildren {
                let parents = Set(roots.map(\.pid))
                sum += everyone.filter { parents.contains($0.parent) && !parents.contains($0.pid) }.reduce(0) { $0 + $1.ticks }
            }
            totals[group.name] = sum
        }
        return totals
    }

    static let ticksPerSecond: Double = {
        let value = sysconf(Int32(_SC_CLK_TCK))
        return value > 0 ? Double(value) : 100
    }()

    /// Milliseconds of CPU per update between two samples, per group (nil where unknown).
    static func millisecondsPerUpdate(from start: [String: Int?], to end: [String: Int?], updates: Int) -> [String: Double?] {
        var result: [String: Double?] = [:]
        for (name, before) in start {
            guard let before, let after = end[name] ?? nil, after >= before, updates > 0 else {
                result[name] = .some(nil)
                continue
            }
            result[name] = Double(after - before) / ticksPerSecond * 1000 / Double(updates)
        }
        return result
    }
}
