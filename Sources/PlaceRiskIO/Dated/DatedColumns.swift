/// The columns a dated read stores beside the times and weights (`start`, `end`, `timed`, `weight`, which
/// it always stores). The row rules are the same whatever is kept: every field is checked, every row used
/// or skipped with the same reason, line and column, and the ledger and the whole-file checks (mixed
/// coordinate systems, swapped longitude/latitude, months only) are the same; a column not kept is
/// empty in the result. A command that reads only some columns (`timeofday`: the types and age bands)
/// asks for those (`nearrepeat`: the points), and skips storing — and interning — the rest: less memory
/// written, the same rows.
///
/// A schema whose "where" steps run after the read (a `place` column matched against a gazetteer, LSOA
/// codes mapped through a lookup) keeps every column: those steps read the places, codes, points and lines.
public struct DatedColumns: OptionSet, Sendable, Hashable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// `x`, `y` and `location` (BNG points, home and no-coordinate rows).
    public static let points = DatedColumns(rawValue: 1 << 0)
    /// `line`: each row's file line.
    public static let lines = DatedColumns(rawValue: 1 << 1)
    public static let lsoa = DatedColumns(rawValue: 1 << 2)
    public static let category = DatedColumns(rawValue: 1 << 3)
    public static let weapon = DatedColumns(rawValue: 1 << 4)
    public static let locationType = DatedColumns(rawValue: 1 << 5)
    public static let ageBand = DatedColumns(rawValue: 1 << 6)
    public static let agency = DatedColumns(rawValue: 1 << 7)
    public static let place = DatedColumns(rawValue: 1 << 8)

    public static let all: DatedColumns = [.points, .lines, .lsoa, .category, .weapon, .locationType, .ageBand, .agency, .place]
    /// What `timeofday` reads: the types (`--by`) and the age bands (school hours).
    public static let timeOfDay: DatedColumns = [.category, .ageBand]

    /// The columns a read of `schema` keeps when `self` is asked for: all of them when the schema has
    /// "where" steps after the read.
    public func effective(for schema: IncidentSchema) -> DatedColumns {
        schema.columns[.place] != nil || schema.lsoaVintage != nil || schema.lsoaLookupPath != nil ? .all : self
    }
}
