import PlaceRiskCore

/// Typed, range-checked option values, each refused with a sentence that names the option, the
/// value and what is expected — before any file is read.
///
/// Limits: distances (cell, band, bandwidth, kernel radius) are finite, positive and at most
/// 100 km — the length of a large county; a neighbour band or kernel is also at most 2,000 cells
/// across, beyond which every cell sees almost the whole grid and the result says nothing local
/// (and the exact sums would run for minutes). Cells are at least 1 m. Seeds are whole numbers
/// 0 … 2⁶⁴ − 1; permutation counts 1 … 1,000,000; FDR and other levels lie strictly between 0 and 1.
enum OptionValue {
    static let maximumDistance = GetisOrd.maximumBand
    static let maximumCellsAcross = GetisOrd.maximumBandCells
    static let minimumCell = 1.0
    static let maximumPermutations = 1_000_000

    /// A distance in metres (cell size, band, radius).
    static func metres(_ name: String, _ text: String) throws -> Double {
        guard let v = Double(text), v.isFinite, v > 0 else {
            throw UsageError("invalid \(name) '\(text)'; expected a positive number of metres")
        }
        guard v <= maximumDistance else {
            throw UsageError("\(name) \(text) m is more than 100 km; a distance that large treats the whole area as one neighbourhood — give at most 100000 metres")
        }
        return v
    }

    /// A cell size in metres (1 m … 100 km).
    static func cell(_ name: String, _ text: String) throws -> Double {
        let v = try metres(name, text)
        guard v >= minimumCell else { throw UsageError("invalid \(name) '\(text)'; cells are at least 1 metre") }
        return v
    }

    /// A neighbour band or kernel radius in metres, also at most 2,000 cells of `cell` metres.
    static func reach(_ name: String, _ value: Double, cell: Double) throws -> Double {
        guard value / cell <= maximumCellsAcross else {
            throw UsageError("\(name) \(value.shortDescription) m is \(Int((value / cell).rounded())) cells of \(cell.shortDescription) m; at most 2000 cells — use larger cells (--cell) or a smaller \(name)")
        }
        return value
    }

    /// A compact kernel's support radius on cells of `cell` metres: at least half the cell's diagonal, the
    /// longest way from a point to its nearest cell centre — below it, points add nothing to the surface.
    static func kernelRadius(_ name: String, _ value: Double, cell: Double) throws -> Double {
        let halfDiagonal = KernelDensity.shortestBandwidthReachingEveryPoint(shape: .quartic, cell: cell).rounded(.up)
        guard value >= halfDiagonal else {
            throw UsageError("\(name) \(value.shortDescription) m is shorter than half the diagonal of a \(cell.shortDescription) m cell (\(halfDiagonal.shortDescription) m): points farther than \(value.shortDescription) m from every cell centre would add nothing to the map — give at least \(halfDiagonal.shortDescription) m or smaller cells (--cell)")
        }
        return try reach(name, value, cell: cell)
    }

    /// A seed: a whole number 0 … 2⁶⁴ − 1.
    static func seed(_ name: String, _ text: String) throws -> UInt64 {
        guard let v = UInt64(text) else { throw UsageError("invalid \(name) '\(text)'; expected a whole number from 0 to 18446744073709551615") }
        return v
    }

    /// A whole number in `range`.
    static func whole(_ name: String, _ text: String, in range: ClosedRange<Int>) throws -> Int {
        guard let v = Int(text), range.contains(v) else {
            throw UsageError("invalid \(name) '\(text)'; expected a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return v
    }

    /// A level strictly between 0 and 1 (FDR, significance).
    static func level(_ name: String, _ text: String) throws -> Double {
        guard let v = Double(text), v > 0, v < 1 else { throw UsageError("invalid \(name) '\(text)'; expected a level between 0 and 1, e.g. 0.05") }
        return v
    }
}

/// The inference options (`--seed`, `--permutations`, `--fdr`), declared once with one default each.
struct InferenceOptions: Sendable {
    static let defaultSeed: UInt64 = 42
    static let defaultPermutations = 999
    static let defaultFDR = 0.05

    var seed: UInt64
    var permutations: Int
    /// The FDR level; nil when not given and the command has no default.
    var fdr: Double?

    init(_ a: ParsedArguments, fdrDefault: Double? = nil, allowZeroPermutations: Bool = false) throws {
        seed = try a.value("--seed").map { try OptionValue.seed("--seed", $0) } ?? Self.defaultSeed
        permutations = try a.value("--permutations").map {
            try OptionValue.whole("--permutations", $0, in: (allowZeroPermutations ? 0 : 1) ... OptionValue.maximumPermutations)
        } ?? Self.defaultPermutations
        fdr = try a.value("--fdr").map { try OptionValue.level("--fdr", $0) } ?? fdrDefault
    }
}

extension OptionSpec {
    /// `--seed`, `--permutations`, `--fdr`: one help text and one default each.
    static let inference: [OptionSpec] = inference()

    /// The same group for a command without an FDR (`fdr: false`) or one with an answer without
    /// permutations (`zeroPermutations`: what 0 gives; 0 allowed, as `InferenceOptions(allowZeroPermutations:)`).
    static func inference(fdr: Bool = true, zeroPermutations: String? = nil) -> [OptionSpec] {
        let low = zeroPermutations.map { "0 (none: \($0))" } ?? "1"
        return (fdr ? [OptionSpec("--fdr", value: "alpha", help: "Benjamini-Hochberg false discovery rate (0 < alpha < 1), e.g. 0.05.")] : []) + [
            OptionSpec("--permutations", value: "N", help: "Number of permutations for pseudo p-values (\(low) to \(OptionValue.maximumPermutations); default \(InferenceOptions.defaultPermutations))."),
            OptionSpec("--seed", value: "N", help: "Seed of the permutations (a whole number >= 0; default \(InferenceOptions.defaultSeed))."),
        ]
    }
}

/// A KDE bandwidth given as a radius in metres or as a rule computed from the points.
enum KDEBandwidthChoice: Sendable {
    case radius(Double)
    case rule(BandwidthRule)
}
