import PlaceRiskCore

extension CodedColumn {
    /// The rows of `keep`, with the same label table (codes stay valid).
    func filtered(_ keep: [Bool]) -> CodedColumn {
        guard !codes.isEmpty else { return self }
        var c = self
        c.codes = codes.indices.filter { keep[$0] }.map { codes[$0] }
        return c
    }
}

extension DatedIncidents {
    /// The rows whose local start day is in `[fromDay, toDay]` (UK local day numbers; nil = open), the
    /// others counted in the ledger as `filtered_date` (a `--from`/`--to` window in days).
    public func within(fromDay: Int?, toDay: Int?) -> DatedIncidents {
        guard fromDay != nil || toDay != nil else { return self }
        let keep = startDays().map { d in (fromDay.map { d >= $0 } ?? true) && (toDay.map { d <= $0 } ?? true) }
        return filtered(keep, droppedAs: .filteredDate)
    }

    /// The rows of `keep`; the others move from used to `reason` in the ledger.
    public func filtered(_ keep: [Bool], droppedAs reason: SkipReason) -> DatedIncidents {
        precondition(keep.count == count, "DatedIncidents.filtered: mask length differs from row count")
        func pick<T>(_ a: [T]) -> [T] { a.isEmpty ? a : a.indices.filter { keep[$0] }.map { a[$0] } }
        var d = self
        d.start = pick(start); d.end = pick(end); d.timed = pick(timed)
        d.x = pick(x); d.y = pick(y); d.location = pick(location); d.weight = pick(weight); d.line = pick(line)
        d.lsoaCode = lsoaCode.filtered(keep); d.category = category.filtered(keep); d.weapon = weapon.filtered(keep)
        d.locationType = locationType.filtered(keep); d.ageBand = ageBand.filtered(keep); d.agency = agency.filtered(keep)
        d.place = place.filtered(keep)
        let dropped = keep.filter { !$0 }.count
        if dropped > 0 { d.accounting.unuse(dropped, because: reason) }
        return d
    }
}
