import PlaceRiskCore

extension CodedColumn {
    /// The column of the rows with `keep[i]`, recoded in first-seen order (no label of a dropped row left).
    func keeping(_ keep: [Bool]) -> CodedColumn {
        if codes.isEmpty { return self }
        precondition(keep.count == codes.count, "CodedColumn.keeping: \(keep.count) flags for \(codes.count) rows")
        let l = labels
        var out = CodedColumn()
        out.codes.reserveCapacity(codes.count)
        for i in codes.indices where keep[i] { out.append(l[Int(codes[i])]) }
        return out
    }
}

extension DatedIncidents {
    /// Keeps only the rows with `keep[i]`, in order, in every column (the ledger is not touched: the
    /// caller un-uses the dropped rows with their reasons).
    mutating func keepRows(_ keep: [Bool]) {
        precondition(keep.count == count, "DatedIncidents.keepRows: \(keep.count) flags for \(count) rows")
        func filter<T>(_ a: [T]) -> [T] { a.isEmpty ? a : a.indices.filter { keep[$0] }.map { a[$0] } }
        start = filter(start); end = filter(end); timed = filter(timed)
        x = filter(x); y = filter(y); location = filter(location); weight = filter(weight); line = filter(line)
        lsoaCode = lsoaCode.keeping(keep)
        category = category.keeping(keep); weapon = weapon.keeping(keep); locationType = locationType.keeping(keep)
        ageBand = ageBand.keeping(keep); agency = agency.keeping(keep); place = place.keeping(keep)
    }
}
