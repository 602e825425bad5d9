/// Why an input row was not used. Every row read is either used or skipped for one of these.
public enum SkipReason: String, CaseIterable, Sendable, Comparable {
    /// The row could not be parsed (wrong field count, bad month, unparseable number, broken quoting).
    case malformed
    /// Excluded by a `--crime-type` filter.
    case filteredCrimeType = "filtered_crime_type"
    /// Outside the `--from`/`--to` month range.
    case filteredMonth = "filtered_month"
    /// Excluded by a force ("Falls within") filter.
    case filteredForce = "filtered_force"
    /// Longitude/latitude empty (police.uk: crimes with no location).
    case noCoordinates = "no_coordinates"
    /// Longitude/latitude outside British National Grid's area of use.
    case outsideBNG = "outside_bng_validity"
    /// Projected point outside the analysis grid or bounding box.
    case outsideGrid = "outside_grid"
    /// LSOA (or point) outside the study area (core districts, `--study-area`).
    case outsideStudyArea = "outside_study_area"
    /// An LSOA-keyed output was asked for but the row has no LSOA code.
    case noLSOA = "no_lsoa"
    /// A non-empty LSOA code that is not one: ONS GSS codes for LSOAs are `E01` (England) or `W01`
    /// (Wales) followed by six digits (ONS, "Code History Database" / GSS coding policy).
    case invalidLSOA = "invalid_lsoa_code"
    /// A second or later row with a Crime ID already loaded (police.uk IDs are unique per crime);
    /// only when duplicates are asked to be dropped.
    case duplicateCrimeID = "duplicate_crime_id"
    /// A dated source: the date or time is unparseable or impossible (2024-02-30, 25:00).
    case invalidDate = "invalid_date"
    /// A dated source: the date column is empty.
    case noDate = "no_date"
    /// A dated source: a window (from … to) that ends before it starts.
    case reversedWindow = "window_ends_before_start"
    /// A home-located record (e.g. ISTV location type "home"): it keeps its LSOA for area counts
    /// but is never drawn as a point, so point analyses (near-repeats, maps) do not use it.
    case homeLocation = "home_location_not_drawn"
    /// Outside the `--from`/`--to` date range of a dated source.
    case filteredDate = "filtered_date"
    /// A dated source's free-text place (`place` column) is not in the gazetteer, exactly or normalised.
    case placeNotInGazetteer = "place_not_in_gazetteer"
    /// A dated source's place matches several gazetteer places once abbreviations are expanded.
    case placeAmbiguous = "place_ambiguous_in_gazetteer"
    /// An LSOA 2021 code formed by merging several 2011 LSOAs (ONS change indicator M): no single
    /// 2011 code (IMD 2019, the 2011 boundaries) can be assigned.
    case lsoaMerged = "lsoa_2021_merged_no_single_2011"
    /// An LSOA 2021 code with an irregular, fragmented relation to 2011 LSOAs (ONS change indicator X).
    case lsoaIrregular = "lsoa_2021_irregular_no_single_2011"
    /// An LSOA code that the 2011↔2021 lookup does not list (in the vintage the source is said to use).
    case lsoaNotInLookup = "lsoa_not_in_lookup"

    /// A short human label for tables.
    public var label: String {
        switch self {
        case .malformed: return "malformed"
        case .filteredCrimeType: return "filtered out: crime type"
        case .filteredMonth: return "filtered out: month range"
        case .filteredForce: return "filtered out: force"
        case .noCoordinates: return "no coordinates"
        case .outsideBNG: return "outside BNG area of use"
        case .outsideGrid: return "outside grid/bbox"
        case .outsideStudyArea: return "outside study area"
        case .noLSOA: return "no LSOA code"
        case .invalidLSOA: return "invalid LSOA code"
        case .duplicateCrimeID: return "duplicate Crime ID"
        case .invalidDate: return "invalid date or time"
        case .noDate: return "no date"
        case .reversedWindow: return "window ends before it starts"
        case .homeLocation: return "home location (never drawn as a point)"
        case .filteredDate: return "filtered out: date range"
        case .placeNotInGazetteer: return "place not in gazetteer"
        case .placeAmbiguous: return "place ambiguous in gazetteer"
        case .lsoaMerged: return "LSOA 2021 from a merge (no single 2011 code)"
        case .lsoaIrregular: return "LSOA 2021 irregular change (no single 2011 code)"
        case .lsoaNotInLookup: return "LSOA code not in the 2011/2021 lookup"
        }
    }

    public static func < (a: SkipReason, b: SkipReason) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// The row ledger: `rowsRead = rowsUsed + Σ skipped`, always. Nothing disappears silently.
public struct RowAccounting: Sendable, Equatable {
    public private(set) var rowsRead: Int = 0
    public private(set) var rowsUsed: Int = 0
    public private(set) var skipped: [SkipReason: Int] = [:]
    /// The first few messages about rows skipped for a defect (malformed, invalid LSOA code):
    /// file, line, column, reason, for the user.
    public private(set) var examples: [String] = []
    public static let maximumExamples = 10

    public init() {}

    public var rowsSkipped: Int { skipped.values.reduce(0, +) }

    /// Whether the ledger balances (it always should; tests assert it).
    public var isBalanced: Bool { rowsRead == rowsUsed + rowsSkipped }

    public mutating func read(_ n: Int = 1) { rowsRead += n }
    public mutating func use(_ n: Int = 1) { rowsUsed += n }

    public mutating func skip(_ reason: SkipReason, _ n: Int = 1, example: String? = nil) {
        guard n > 0 else { return }
        skipped[reason, default: 0] += n
        if let e = example, examples.count < RowAccounting.maximumExamples { examples.append(e) }
    }

    /// Moves `n` rows counted as used into a skip reason (a later stage could not use them).
    public mutating func unuse(_ n: Int, because reason: SkipReason, example: String? = nil) {
        precondition(n <= rowsUsed, "RowAccounting.unuse: cannot un-use \(n) of \(rowsUsed) rows")
        rowsUsed -= n
        skip(reason, n, example: example)
    }

    /// Adds another ledger (e.g. a second file or a second worker's share).
    public mutating func merge(_ other: RowAccounting) {
        rowsRead += other.rowsRead
        rowsUsed += other.rowsUsed
        for (k, v) in other.skipped { skipped[k, default: 0] += v }
        for e in other.examples where examples.count < RowAccounting.maximumExamples { examples.append(e) }
    }

    /// Skips in a stable order, zero reasons omitted.
    public var orderedSkips: [(reason: SkipReason, rows: Int)] {
        skipped.filter { $0.value > 0 }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}
