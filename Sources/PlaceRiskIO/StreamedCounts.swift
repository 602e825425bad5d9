import PlaceRiskCore

extension StreamingAggregation {
    /// Plain `aggregate`'s load, streamed: police.uk files (found as `PoliceStreetLoader.load` finds
    /// them, in path order) counted at the finest grain, unit × month × crime type, with what the
    /// in-memory loader's table would also tell (`LoadInfo`: months, LSOA codes and crime types of the
    /// loaded rows, repeated Crime IDs) and its diagnostics in its own words (`loader`). Memory grows
    /// with the keys and the distinct Crime IDs (24 bytes each), not with the rows.
    public struct Counts: Sendable {
        /// One row per key: LSOA code (LSOA units) or cell id, month index, crime type, incidents.
        public var lsoaCodes: [String] = []
        public var cellIDs: [Int64] = []
        public var monthIndex: [Int] = []
        public var crimeTypes: [CrimeType] = []
        public var n: [Int64] = []
        /// Ledger (the unit's skips included), files, timing and the whole-load facts.
        public var result: Result
        /// The loader's result without a table: per-file rows read and loaded, unknown crime types,
        /// repeated Crime IDs and swapped-coordinate files, so its `warnings` and `AccountingReport.json`
        /// read as the in-memory loader's.
        public var loader: PoliceStreetLoader.Result
    }

    public static func counts(paths: [String], unit: Unit, filter: PoliceFilter, lenient: Bool) throws -> Counts {
        let files = try FileDiscovery.files(from: paths, suffix: PoliceStreetLoader.fileSuffix)
        guard !files.isEmpty else {
            throw CSVError(.io("no police.uk '*\(PoliceStreetLoader.fileSuffix)' files found"), file: paths.joined(separator: " "), line: 0, column: 0)
        }
        let sources = files.map { ArchiveDiscovery.Source(path: $0, force: nil, month: nil, archive: "") }
        var rows: [PartitionRows] = []
        let r = try run(sources, Request(unit: unit, partitionBy: [], filter: filter, lenient: lenient, keyBudget: Int.max, loadInfo: true)) { rows += $0 }
        var c = Counts(result: r, loader: PoliceStreetLoader.Result(table: IncidentTable(), accounting: r.accounting,
                                                                      files: zip(r.files, r.load.rowsLoaded).map { ($0.path, $0.rowsRead, $1) }))
        var typeOf: [String: CrimeType] = [:]
        for t in r.load.crimeTypes { typeOf[t.label] = t }
        for p in rows {
            c.lsoaCodes += p.unitLabels
            c.cellIDs += p.cellIDs
            var cache: (String, Int) = ("", 0)
            c.monthIndex += p.months.map { m in
                if m == cache.0 { return cache.1 }
                cache = (m, YearMonth(m)!.index)
                return cache.1
            }
            c.crimeTypes += p.crimeTypes.map { typeOf[$0] ?? CrimeType(label: $0) }
            c.n += p.n
        }
        c.loader.unknownCrimeTypes = r.unknownCrimeTypes
        c.loader.duplicateCrimeIDs = r.load.duplicateCrimeIDs
        c.loader.duplicateCrimeIDExamples = r.load.duplicateCrimeIDExamples
        c.loader.swappedCoordinateFiles = r.load.swappedCoordinateFiles
        c.loader.swappedCoordinateMessages = r.load.swappedCoordinateMessages
        return c
    }
}
