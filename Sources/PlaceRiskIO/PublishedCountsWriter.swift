import PlaceRiskCore

/// Keyed counts written safely for publication (`--publish`, the default when a health source is
/// counted): the same CSV layout as `KeyedCountsWriter`, with `SafePublication` applied to the table
/// whose rows are the units (× crime type) and whose columns are the months (one column without a
/// month key). A suppressed count is written `*`; the others are rounded to the nearest 5. Secondary
/// suppression works along each unit's months and each month's units, so neither a unit's total
/// over the period nor a month's total can give a suppressed cell back; those totals are returned
/// (rounded, or nil when suppressed) for the manifest.
public enum PublishedCountsWriter {
    /// Writes the published CSV; returns the rows written and the published table.
    @discardableResult
    public static func writeCSV(_ kc: KeyedCounts, unitLabels: [String], grid: Grid?, zeroFill: Bool, to w: CSVWriter) throws(CSVError) -> (rows: Int, table: PublishedTable) {
        precondition(kc.sums == nil, "PublishedCountsWriter: weighted sums are not published")
        precondition(!kc.key.byCell || grid != nil, "PublishedCountsWriter: cell keys need the grid")
        let nt = kc.typeCount, nm = kc.monthCount
        var m = [[Int]](repeating: [Int](repeating: 0, count: nm), count: kc.unitCount * nt)
        for u in 0 ..< kc.unitCount { for t in 0 ..< nt { for mo in 0 ..< nm {
            m[u * nt + t][mo] = Int(kc.counts[kc.index(unit: u, month: mo, type: t)])
        } } }
        let pub = SafePublication.publish(m)
        try w.writeRow(KeyedCountsWriter.header(for: kc.key, weighted: false))
        let months: [String] = kc.key.byMonth ? kc.months!.map(\.description) : [""]
        let types = kc.key.byCrimeType ? kc.crimeTypes.map(\.label) : [""]
        var rows = 0
        for u in 0 ..< kc.unitCount {
            let prefix = KeyedCountsWriter.unitColumns(u, kc, unitLabels: unitLabels, grid: grid)
            for mo in 0 ..< nm { for t in 0 ..< nt {
                let exact = m[u * nt + t][mo]
                if exact == 0 && !zeroFill { continue }
                var row = prefix
                if kc.key.byMonth { row.append(months[mo]) }
                if kc.key.byCrimeType { row.append(types[t]) }
                row.append(pub.cells[u * nt + t][mo].map(String.init) ?? SafePublication.suppressedMark)
                try w.writeRow(row)
                rows += 1
            } }
        }
        return (rows, pub)
    }
}
