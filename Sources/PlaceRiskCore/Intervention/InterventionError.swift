/// Why an evaluation cannot be run on the data given. Each case reads as a sentence.
public enum InterventionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An area (intervention, displacement, comparison …) has no unit at all.
    case emptyArea(role: String)
    /// Two roles share units (e.g. the intervention area overlaps its comparison areas).
    case overlappingAreas(first: String, second: String, units: [String])
    /// The first treated month is outside the data.
    case startOutsideData(start: YearMonth, first: YearMonth, last: YearMonth)
    /// Fewer than `minimum` months before (or after) the start.
    case tooFewMonths(period: String, months: Int, minimum: Int)
    /// Every count of an area is zero over the window: nothing can change.
    case zeroCounts(role: String)
    /// Automatic matching found no comparison unit for a treated unit.
    case cannotMatch(unit: String, reason: String)
    /// A count model could not be fitted.
    case fit(String)

    public var description: String {
        switch self {
        case .emptyArea(let r): return "the \(r) area is empty: it names no area of the data"
        case .overlappingAreas(let a, let b, let u):
            let eg = u.prefix(5).joined(separator: ", ") + (u.count > 5 ? ", …" : "")
            return "the \(a) area and the \(b) area overlap in \(u.count) area(s) (\(eg)); an area can play one role only"
        case .startOutsideData(let s, let f, let l): return "the start month \(s) is outside the data (\(f)…\(l))"
        case .tooFewMonths(let p, let n, let m):
            return "only \(n) month(s) \(p) the start; at least \(m) are needed \(p) it to estimate an effect"
        case .zeroCounts(let r): return "the \(r) area has zero incidents in every month of the window: there is nothing whose change could be measured"
        case .cannotMatch(let u, let why): return "no comparison area could be matched to \(u): \(why); give --comparison"
        case .fit(let why): return "the count model could not be fitted: \(why)"
        }
    }
}
