/// The nearest-rank percentile of values sorted ascending (`p` from 0 to 1); NaN when
/// there are none. The bench's and the chaos run's figures both use it.
public func percentile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return .nan }
    let rank = Int((p * Double(sorted.count)).rounded(.up)) - 1
    return sorted[min(max(rank, 0), sorted.count - 1)]
}
