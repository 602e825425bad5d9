/// A calendar month, the time resolution of police.uk street-level data.
///
/// Months are totally ordered and map to a dense integer index
/// `index = year · 12 + (month − 1)`, so a month range is a contiguous
/// block of integers and panels can be flat arrays.
public struct YearMonth: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    /// 1 … 12.
    public let month: Int

    /// Creates a month. `month` must be 1…12 (programmer error otherwise).
    public init(year: Int, month: Int) {
        precondition((1...12).contains(month), "YearMonth: month must be in 1...12, got \(month)")
        self.year = year
        self.month = month
    }

    /// Creates the month with the given dense index (`year · 12 + month − 1`).
    public init(index: Int) {
        let y = index >= 0 ? index / 12 : (index - 11) / 12
        self.init(year: y, month: index - y * 12 + 1)
    }

    /// Dense index: consecutive months differ by 1.
    @inlinable public var index: Int { year * 12 + (month - 1) }

    /// Parses `YYYY-MM` (exactly 7 ASCII bytes: four digits, '-', two digits, month 01…12).
    public init?(_ text: some StringProtocol) {
        guard let v = YearMonth.parse(Array(text.utf8)[...]) else { return nil }
        self = v
    }

    /// Parses `YYYY-MM` from raw bytes without allocating.
    @inlinable
    public static func parse<C: Collection>(_ bytes: C) -> YearMonth? where C.Element == UInt8 {
        guard bytes.count == 7 else { return nil }
        var y = 0, m = 0, i = 0
        for b in bytes {
            switch i {
            case 0...3:
                guard b >= 48 && b <= 57 else { return nil }
                y = y * 10 + Int(b - 48)
            case 4:
                guard b == 45 else { return nil }
            default:
                guard b >= 48 && b <= 57 else { return nil }
                m = m * 10 + Int(b - 48)
            }
            i += 1
        }
        guard (1...12).contains(m) else { return nil }
        return YearMonth(year: y, month: m)
    }

    public static func < (a: YearMonth, b: YearMonth) -> Bool { a.index < b.index }

    /// `YYYY-MM`.
    public var description: String {
        let y = String(year)
        let yy = String(repeating: "0", count: max(0, 4 - y.count)) + y
        return month < 10 ? "\(yy)-0\(month)" : "\(yy)-\(month)"
    }

    /// The month `n` months later (negative for earlier).
    public func advanced(by n: Int) -> YearMonth { YearMonth(index: index + n) }

    /// Number of months from `self` to `other` (`other.index − index`).
    public func distance(to other: YearMonth) -> Int { other.index - index }
}

/// An inclusive, non-empty range of months.
public struct MonthRange: Hashable, Sendable, Sequence {
    public let first: YearMonth
    public let last: YearMonth

    public init(_ first: YearMonth, _ last: YearMonth) {
        precondition(first <= last, "MonthRange: first month \(first) is after last month \(last)")
        self.first = first
        self.last = last
    }

    /// Number of months in the range (≥ 1).
    public var count: Int { last.index - first.index + 1 }

    public func contains(_ m: YearMonth) -> Bool { m >= first && m <= last }

    /// Position of `m` in the range (0-based), or nil when outside.
    @inlinable public func offset(ofIndex monthIndex: Int) -> Int? {
        let o = monthIndex - first.index
        return o >= 0 && o <= last.index - first.index ? o : nil
    }

    public func makeIterator() -> AnyIterator<YearMonth> {
        var i = first.index
        let end = last.index
        return AnyIterator {
            guard i <= end else { return nil }
            defer { i += 1 }
            return YearMonth(index: i)
        }
    }
}
