/// `UKLocalTime.components(utc:)` for many instants, with the UK clock's offset read from a table of UTC
/// days: on a day without a clock change the offset is the same all day (0 s in GMT, 3600 s in BST); the
/// changes fall at 01:00 UTC on the last Sundays of March and October, so a day's offset is constant
/// exactly when its first and last seconds agree. Change days, and days more than `span / 2` from the
/// first day asked about, go through `UKLocalTime.components` itself, so every answer is its answer
/// (`UKClockDaysTests`: every quarter hour of 2023–2025 and random instants over 1890–2210).
///
/// ```
/// kind(u)   = GMT  if ¬BST(86400·u) ∧ ¬BST(86400·u + 86399)
///             BST  if  BST(86400·u) ∧  BST(86400·u + 86399)
///             change otherwise
/// local(t)  = t + 3600·[kind(⌊t / 86400⌋) = BST]        (kind ≠ change)
/// ```
/// A value per worker (it caches as it goes); looking a day up the first time costs two
/// `UKLocalTime.isSummerTime` calls.
public struct UKClockDays {
    /// Days the table covers (about 16 years), centred on the first day asked about.
    public static let span = 16 * 366
    private var base = Int64.min
    /// Per day from `base`: 0 not looked up yet, 1 GMT all day, 2 BST all day, 3 a change day.
    private var kinds: [UInt8]

    public init() { kinds = [UInt8](repeating: 0, count: Self.span) }

    /// Local day number, hour (0–23) and ISO weekday (0 = Monday) of a UTC instant: `UKLocalTime.components`.
    @inline(__always)
    public mutating func components(utc t: Int64) -> (days: Int, hour: Int, weekday: Int) {
        let u = UKLocalTime.floorDiv(t, 86400)
        if base == .min { base = u - Int64(Self.span / 2) }
        let k = u &- base
        guard k >= 0, k < Int64(Self.span) else { return UKLocalTime.components(utc: t) }
        var kind = kinds[Int(k)]
        if kind == 0 { kind = Self.kind(day: u); kinds[Int(k)] = kind }
        if kind == 3 { return UKLocalTime.components(utc: t) }
        let l = kind == 2 ? t + 3600 : t
        let d = UKLocalTime.floorDiv(l, 86400)
        return (Int(d), Int((l - d * 86400) / 3600), CivilDate.weekday(days: Int(d)))
    }

    /// The kind of UTC day `u` (see the type).
    static func kind(day u: Int64) -> UInt8 {
        let a = UKLocalTime.isSummerTime(utc: u * 86400), b = UKLocalTime.isSummerTime(utc: u * 86400 + 86399)
        return a != b ? 3 : a ? 2 : 1
    }
}
