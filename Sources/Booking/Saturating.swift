extension Int {
    /// `value` rounded down and held within Int's range; NaN is 0.
    ///
    /// `Int(someDouble)` traps when the Double is out of range or NaN, and a trap kills
    /// the worker: any Double computed from outside input (button data, update fields,
    /// stored instants) goes through this instead.
    public init(saturatingFloor value: Double) {
        if value.isNaN {
            self = 0
        } else if value >= 9_223_372_036_854_775_808.0 {  // 2^63, the first Double past Int.max
            self = .max
        } else if value <= -9_223_372_036_854_775_808.0 {
            self = .min
        } else {
            self = Int(value.rounded(.down))
        }
    }
}
