import PlaceRiskCore

/// The compact all-England IMD 2019 table, `datasets/imd2019/imd2019_england_lsoa.csv`: one row per
/// English LSOA (all 32,844, 2011 codes), written by `datasets/imd2019/make_imd2019_england_lsoa.py`
/// from MHCLG IoD 2019 Files 1, 2 and 6, the NHSRpopulation IMD scores, the mySociety income and
/// employment scores, the ONS LSOA 2011 → MSOA 2011 lookup and the House of Commons Library MSOA
/// names 1.20 (sources and licences: `datasets/README.md`).
///
/// The table is recognised by its header: it begins with the six `idColumns` (compared as
/// `IMDColumns.normalise` does). Other columns are read by the short names of `IMDColumns`, with two
/// rules of this table:
/// - `income_score` and `employment_score` are **rates** (0…1, File 7's `Score (rate)`, 3 dp), not
///   the percentages that the same names mean in the mySociety file;
/// - the seven domain deciles are not written: each is `decile(ofRank:)` of the domain rank, the
///   IoD 2019 rule, which File 2 follows for all 32,844 LSOAs and seven domains (the script asserts
///   it on every row). `IMDTable` derives them, so a loaded table has every decile.
///
/// Not in the table, because no source was found: the scores of the education, health, crime,
/// barriers and living-environment domains (only their ranks are published in Files 1–6).
public enum IMDCompactTable {
    /// The columns that open the header and mark the layout.
    public static let idColumns = ["lsoa_code", "lsoa_name", "la_code", "la_name", "msoa_code", "msoa_name"]

    /// The header the script writes, in order.
    public static let header: [String] = idColumns
        + ["imd_score", "imd_rank", "imd_decile", "income_score", "income_rank", "employment_score", "employment_rank"]
        + ["education_rank", "health_rank", "crime_rank", "barriers_rank", "living_environment_rank", "total_population"]

    /// Whether `header` is the compact table's: its first columns are `idColumns`.
    public static func isCompact(header: [String]) -> Bool {
        header.count > idColumns.count
            && zip(header, idColumns).allSatisfy { IMDColumns.normalise($0) == $1 }
    }

    /// The IoD 2019 decile of a rank: ⌈10 · rank / count⌉ (decile 1 = ranks 1 … 3,284 of 32,844).
    public static func decile(ofRank rank: Int, count: Int = IMDComposite.englandLSOACount) -> Int {
        (10 * rank + count - 1) / count
    }
}
