import Foundation
import Testing
import PlaceRiskCore
import PlaceRiskIO
@testable import PlaceRiskCLI

@Suite("Command line: risk-model inputs (counts table, covariates, proactive types, families)")
struct RiskModelInputsCLITests {
    static let counts = repoRoot + "/Tests/PlaceRiskIOTests/Fixtures/lsoa_month_counts_cut.csv"
    static let bundledCounts = repoRoot + "/datasets/police_uk_devon_cornwall_lsoa_counts_2022-05_to_2023-12/lsoa_month_counts.csv"
    static let merged = repoRoot + "/datasets/imd2019/imd2019_devon_cornwall_merged.csv"

    /// A lookup where district X holds E01015023…27 and E01015099 (absent from the table) and district Y holds
    /// E01015028 plus two untouched LSOAs: X is touched at 5/6 ≥ 50 % (in), Y at 1/3 (out); E01034157 is a
    /// 2021 code. Every code is accounted for by reason, with its incidents (totals by awk: 463 and 130).
    @Test func countsTableJoinsTheStudyAreaAndAccountsForEveryCode() throws {
        let d = try tempDir()
        var lookup = "LSOA code (2011),Local Authority District code (2019),Local Authority District name (2019)\n"
        for c in ["E01015023", "E01015024", "E01015025", "E01015026", "E01015027", "E01015099"] { lookup += "\(c),X,Xton\n" }
        for c in ["E01015028", "E01015097", "E01015098"] { lookup += "\(c),Y,Yton\n" }
        try lookup.write(toFile: d + "/lookup.csv", atomically: true, encoding: .utf8)
        let r = run(["backtest", Self.counts, "--lookup", d + "/lookup.csv", "--features", "lag_1", "--outcome", "top:0.2",
                     "--test-months", "2", "--out", d + "/bt.json", "--quiet"])
        #expect(r.status == 0, "\(r.err)")
        let j = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: d + "/bt.json"))) as! [String: Any]
        #expect(j["unit"] as? String == "lsoa" && (j["months"] as? [String]) == ["2023-11", "2023-12"])
        let acc = j["accounting"] as! [String: Any]
        #expect(acc["units_used"] as? Int == 5 && acc["rows_read"] as? Int == 140)
        let notUsed = acc["not_used"] as! [String: [String: Any]]
        #expect(notUsed["lsoa_2021_code_not_in_2011_set"]?["count"] as? Int == 1 && notUsed["lsoa_2021_code_not_in_2011_set"]?["incidents"] as? Double == 130)
        #expect(notUsed["outside_study_area"]?["count"] as? Int == 1 && notUsed["outside_study_area"]?["incidents"] as? Double == 463)
        #expect((acc["study_area_lsoas_absent_from_table"] as! [String: Any])["count"] as? Int == 1)
        let models = Set((j["results"] as! [[String: Any]]).map { $0["model"] as! String })
        #expect(models == ["model", "naive-last", "mean-past"])   // no points: no kde-past
    }

    @Test func countsTableRefusesCellsAndKDEPast() {
        let c = run(["backtest", Self.counts, "--unit", "cell", "--out", "/tmp/x.json"])
        #expect(c.status == 64 && c.err.hasPrefix("Error: '\(Self.counts)' is an LSOA counts table; it supports --unit lsoa only\n"))
        let k = run(["backtest", Self.counts, "--features", "lag_1,kde_past", "--out", "/tmp/x.json"])
        #expect(k.status == 64 && k.err.hasPrefix("Error: kde_past needs incident points; '\(Self.counts)' is a counts table\n"))
    }

    /// Proactively detected types are refused without the flag, and modelled with a warning with it.
    @Test func proactiveTypesNeedTheFlagAndWarn() throws {
        let r = run(["fit", bundledPolice, "--crime-type", "Possession of weapons", "--model-out", "/tmp/x.json"])
        #expect(r.status == 64 && r.err.hasPrefix("Error: 'Possession of weapons' is proactively detected"))
        let d = try tempDir()
        let ok = run(["fit", bundledPolice, "--crime-type", "Drugs", "--include-proactive", "--features", "lag_1", "--model-out", d + "/m.json"])
        #expect(ok.status == 0, "\(ok.err)")
        #expect(ok.err.contains("Warning: modelling proactively detected types (Drugs)"))
        #expect(try RiskModelFile.read(path: d + "/m.json").crimeTypes == [.drugs])
        let all = run(["fit", bundledPolice, "--crime-type", "all", "--features", "lag_1", "--model-out", d + "/all.json", "--quiet"])
        #expect(all.status == 0, "\(all.err)")
        let types = try RiskModelFile.read(path: d + "/all.json").crimeTypes ?? []
        #expect(types.count == 11 && !types.contains(where: \.isProactivelyDetected))
    }

    /// cov: features join the merged IMD table; the model file records the covariates with their SHA-256 and
    /// score rebuilds them (LSOA units; GeoJSON output has one polygon per LSOA).
    @Test func covariatesJoinByLSOAAndScoreRebuildsThem() throws {
        let d = try tempDir()
        let f = run(["fit", bundledPolice, "--unit", "lsoa", "--features", "lag_1,cov:income_score,log1p_cov:total_population",
                     "--covariates", Self.merged, "--model-out", d + "/m.json", "--quiet"])
        #expect(f.status == 0, "\(f.err)")
        #expect(f.out.contains("cov:income_score") && f.out.contains("log1p_cov:total_population"))
        let j = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: d + "/m.json"))) as! [String: Any]
        #expect(j["format_version"] as? Int == 3 && j["model_type"] as? String == "logistic")
        let inputs = (j["training"] as! [String: Any])["inputs"] as! [[String: Any]]
        #expect(inputs.contains { ($0["path"] as? String) == Self.merged })
        let s = run(["score", "--model", d + "/m.json", bundledPolice, "--out", d + "/s.geojson", "--quiet"])
        #expect(s.status == 0, "\(s.err)")
        let g = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: d + "/s.geojson"))) as! [String: Any]
        let feats = g["features"] as! [[String: Any]]
        #expect(feats.count == 1034)
        let props = feats[0]["properties"] as! [String: Any]
        #expect(props["rank"] as? Double == 1 && props["month"] as? String == "2020-04" && props["lsoa_code"] is String)
    }

    /// A covariate file missing some LSOAs: they are dropped and reported, never silently.
    @Test func missingCovariateRowsAreReported() throws {
        let d = try tempDir()
        let text = try String(contentsOfFile: Self.merged, encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        lines.removeSubrange(1 ... 3)   // drop the first three LSOAs (E01015023, E01015024, E01015025)
        try lines.joined(separator: "\n").write(toFile: d + "/cov.csv", atomically: true, encoding: .utf8)
        let f = run(["fit", bundledPolice, "--unit", "lsoa", "--features", "lag_1,cov:income_score", "--covariates", d + "/cov.csv"])
        #expect(f.status == 0, "\(f.err)")
        #expect(f.err.contains("Warning: 3 of 1034 LSOAs have no complete covariate row in \(d)/cov.csv and are dropped (e.g. E01015023, E01015024, E01015025)"))
        let bad = run(["fit", bundledPolice, "--unit", "lsoa", "--features", "lag_1,cov:no_such", "--covariates", Self.merged])
        #expect(bad.status == 1 && bad.err.contains("header has no column 'no_such'"))
        let cell = run(["fit", bundledPolice, "--features", "lag_1,cov:income_score", "--covariates", Self.merged])
        #expect(cell.status == 64 && cell.err.hasPrefix("Error: covariates are joined by LSOA code; use --unit lsoa\n"))
    }

    /// A Poisson risk model scores expected counts; --month scores a month inside the data from earlier months.
    @Test func poissonModelScoresExpectedCountsForAChosenMonth() throws {
        let d = try tempDir()
        let f = run(["fit", bundledPolice, "--family", "poisson", "--features", "lag_1", "--model-out", d + "/p.json", "--quiet"])
        #expect(f.status == 0, "\(f.err)")
        let model = try RiskModelFile.read(path: d + "/p.json")
        #expect(model.family == .poisson && model.outcome == "count")
        let s = run(["score", "--model", d + "/p.json", bundledPolice, "--month", "2020-03", "--out", d + "/s.csv", "--quiet"])
        #expect(s.status == 0, "\(s.err)")
        let rows = try String(contentsOfFile: d + "/s.csv", encoding: .utf8).split(separator: "\n")
        #expect(rows[0] == "cell_id,month,expected_count,ranked_by,rank,decile,top_feature_1,top_feature_2")
        let first = rows[1].split(separator: ",", omittingEmptySubsequences: false)
        #expect(first[1] == "2020-03")
        // expected count = exp(b0 + b1 · lag_1): positive, and the top cell's count in 2020-02 is the largest lag.
        #expect(Double(first[2])! > 1)
        let late = run(["score", "--model", d + "/p.json", bundledPolice, "--month", "2020-06", "--out", d + "/s.csv"])
        #expect(late.status == 1 && late.err.hasPrefix("Error: the data cover 2020-01…2020-03; --month 2020-06 must be after the first month and at most 2020-04\n"))
    }

    /// A constant feature (month_sin with one target month) and a one-class outcome are typed errors with a sentence.
    @Test func constantFeatureAndOneClassOutcomeAreClearErrors() {
        let c = run(["fit", bundledPolice, "--features", "lag_1,lag_2,month_sin", "--quiet"])
        #expect(c.status == 1 && c.err.contains("month_sin") && c.err.hasPrefix("Error: fitting the model: "))
        let one = run(["fit", bundledPolice, "--features", "lag_1", "--outcome", "atleast:1000", "--quiet"])
        #expect(one.status == 1 && one.err.hasPrefix("Error: fitting the model: ") && one.err.contains("the outcome takes only the value 0"))
    }
}
