import Foundation
import Testing
import PlaceRiskCore
import PlaceRiskIO
@testable import PlaceRiskCLI

@Suite("Command line: fit")
struct FitCLITests {
    static let spector = repoRoot + "/Tests/PlaceRiskCoreTests/Fixtures/spector.csv"

    /// The JSON schema of issue 5 with statsmodels' Spector numbers (Fixtures/spector_reference.json).
    @Test func tableFitWritesTheDocumentedJSON() throws {
        let d = try tempDir()
        let r = run(["fit", "--table", Self.spector, "--outcome", "GRADE", "--features", "GPA,TUCE,PSI", "--json", d + "/fit.json"])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.contains("GPA      2.826113  1.262941   2.237723  0.0252    0.350794   5.301432   16.879715\n"))
        let j = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: d + "/fit.json"))) as! [String: Any]
        #expect(j["family"] as? String == "logistic" && j["n"] as? Int == 32 && j["converged"] as? Bool == true)
        let coefs = j["coefficients"] as! [[String: Any]]
        #expect(coefs.map { $0["name"] as! String } == ["const", "GPA", "TUCE", "PSI"])
        #expect(Set(coefs[0].keys) == ["name", "estimate", "se", "z", "p", "ci_low", "ci_high"])
        #expect(abs((coefs[0]["estimate"] as! Double) - -13.021346858115697) < 1e-6)
        #expect(abs((j["loglik"] as! Double) - -12.889634222131415) < 1e-8 && abs((j["loglik_null"] as! Double) - -20.591729696634204) < 1e-8)
        for key in ["aic", "bic"] { #expect(j[key] is Double) }
    }

    @Test func badTablesAndOptionsAreClearErrors() throws {
        let d = try tempDir()
        try "y,a,b\n0,1,x\n1,2,3\n".write(toFile: d + "/t.csv", atomically: true, encoding: .utf8)
        let r = run(["fit", "--table", d + "/t.csv", "--outcome", "y", "--features", "a,b"])
        #expect(r.status == 1 && r.err == "Error: \(d)/t.csv:2:5: column 'b': 'x' is not a number\n")
        let c = run(["fit", "--table", Self.spector, "--outcome", "GRADE", "--features", "GPA,OBS2"])
        #expect(c.status == 1 && c.err == "Error: \(Self.spector):1:1: header has no column 'OBS2'\n")
        let f = run(["fit", "--table", Self.spector, "--outcome", "GRADE", "--features", "GPA", "--family", "probit"])
        #expect(f.status == 64 && f.err.hasPrefix("Error: invalid --family 'probit'; expected logistic, poisson or negbin\n"))
        let one = run(["fit", "--table", Self.spector, "--outcome", "OBS", "--features", "GPA", "--family", "logistic"])
        #expect(one.status == 1 && one.err == "Error: row 2: outcome 2 is not 0 or 1\n")
    }
}

@Suite("Command line: backtest")
struct BacktestCLITests {
    /// The documented JSON: one row per model per test month plus a `mean` row per model; baselines named
    /// naive-last, mean-past, kde-past; metrics in range; and a plain verdict on stdout.
    @Test func gridBacktestWritesTheDocumentedResults() throws {
        let d = try tempDir()
        let r = run(["backtest", bundledPolice, "--crime-type", "Violence and sexual offences", "--features", "lag_1",
                     "--test-months", "1", "--out", d + "/bt.json", "--quiet"])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.contains("the model beats naive-last (AUC ") || r.out.contains("naive-last (AUC "))
        #expect(r.out.contains("mean-past (AUC ") && r.out.contains("[95 % CI "))
        let j = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: d + "/bt.json"))) as! [String: Any]
        #expect(j["unit"] as? String == "cell" && (j["months"] as? [String]) == ["2020-03"])
        let rows = j["results"] as! [[String: Any]]
        #expect(Set(rows.map { $0["model"] as! String }) == ["model", "naive-last", "mean-past", "kde-past"])
        #expect(rows.count == 8) // 4 models × (1 month + mean)
        // Paired differences against each baseline, each estimate inside its interval's neighbourhood.
        let diffs = (j["comparison"] as! [String: Any])["differences"] as! [[String: Any]]
        #expect(diffs.map { $0["baseline"] as! String } == ["naive-last", "mean-past", "kde-past"])
        #expect(diffs.allSatisfy { ($0["metrics"] as! [[String: Any]]).map { $0["metric"] as! String } == PairedBootstrap.metrics })
        for row in rows {
            for key in ["auc", "brier", "log_loss", "hit_rate_5", "pai_1", "pai_5", "pai_10", "pei_5"] { #expect(row[key] != nil, "\(key)") }
            let auc = row["auc"] as! Double, pei = row["pei_5"] as! Double, hit = row["hit_rate_5"] as! Double
            #expect(auc > 0.5 && auc <= 1 && pei > 0 && pei <= 1 + 1e-12 && hit >= 0.05)
            // The hit-rate curve rises with area to 1 at the whole area; calibration has ten deciles.
            let curve = (row["curve"] as! [[String: Any]]).map { $0["hit_rate"] as! Double }
            #expect(curve.count == 11 && zip(curve, curve.dropFirst()).allSatisfy { $0 <= $1 + 1e-12 } && abs(curve.last! - 1) < 1e-12)
            let cal = row["calibration"] as! [[String: Any]]
            #expect(cal.count == 10 && cal.map { $0["units"] as! Int }.reduce(0, +) > 0)
        }
    }

    @Test func tooFewMonthsIsAClearError() {
        let r = run(["backtest", bundledPolice, "--features", "lag_3", "--out", "/tmp/x.json", "--quiet"])
        #expect(r.status == 1 && r.err == "Error: 3 months cannot hold 3 months of history, a training month and a test month\n")
    }
}


@Suite("Command line: risk model file and scoring")
struct RiskModelCLITests {
    /// fit → model file → score: the file round-trips (coefficients equal the printed fit), scores cover every
    /// study-area cell for the month after the data with ranks 1…n and deciles 1…10, and risk falls with rank.
    @Test func fitWritesAModelThatScoresTheNextMonth() throws {
        let d = try tempDir()
        let f = run(["fit", bundledPolice, "--crime-type", "Violence and sexual offences", "--features", "lag_1,lag_2",
                     "--model-out", d + "/m.json", "--quiet"])
        #expect(f.status == 0, "\(f.err)")
        let model = try RiskModelFile.read(path: d + "/m.json")
        #expect(model.unit == "cell" && model.features == [.lag(1), .lag(2)] && model.names == ["const", "lag_1", "lag_2"])
        #expect(model.crimeTypes == [.violenceAndSexualOffences] && model.grid != nil)
        let s = run(["score", "--model", d + "/m.json", bundledPolice, "--out", d + "/s.csv", "--quiet"])
        #expect(s.status == 0, "\(s.err)")
        let lines = try String(contentsOfFile: d + "/s.csv", encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(lines[0] == ["cell_id", "month", "risk", "expected_count", "ranked_by", "rank", "decile", "top_feature_1", "top_feature_2"])
        let rows = lines.dropFirst()
        #expect(rows.allSatisfy { $0[1] == "2020-04" && $0[4] == "model" })
        #expect(rows.map { Int($0[5])! } == Array(1 ... rows.count))
        #expect(Set(rows.map { Int($0[6])! }) == Set(1 ... 10))
        let risks = rows.map { Double($0[2])! }
        #expect(zip(risks, risks.dropFirst()).allSatisfy { $0 >= $1 })
    }

    /// `--evaluate N` stores the backtest means of the model and the three baselines in the model file.
    @Test func evaluationIsStoredInTheModelFile() throws {
        let d = try tempDir()
        let f = run(["fit", bundledPolice, "--crime-type", "Violence and sexual offences", "--features", "lag_1", "--evaluate", "1",
                     "--model-out", d + "/m.json", "--quiet"])
        #expect(f.status == 0, "\(f.err)")
        let j = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: d + "/m.json"))) as! [String: Any]
        let ev = j["evaluation"] as! [String: Any]
        #expect((ev["months"] as? [String]) == ["2020-03"])
        #expect(((ev["means"] as! [[String: Any]]).map { $0["model"] as! String }) == ["model", "naive-last", "mean-past", "kde-past"])
        let training = j["training"] as! [String: Any]
        let inputs = training["inputs"] as! [[String: Any]]
        #expect(inputs.count == 3 && inputs.allSatisfy { ($0["sha256"] as! String).count == 64 })
    }

    /// Without --features, fit chooses the stacked default from the data, backtests it with paired
    /// intervals and records the method score ranks by; score then ranks by it and gives the past
    /// monthly mean as the expected count (hand check: a unit's mean over 2020-01…03).
    @Test func theDefaultModelRecordsWhichMethodRanksAndScoreUsesIt() throws {
        let d = try tempDir()
        let f = run(["fit", bundledPolice, "--replicates", "50", "--model-out", d + "/m.json", "--quiet"])
        #expect(f.status == 0, "\(f.err)")
        let model = try RiskModelFile.read(path: d + "/m.json")
        #expect(model.features.contains(.log1p(.pastMean)) && model.features.contains(.log1p(.ebRate)) && model.features.contains { if case .log1p(.ewm) = $0 { return true } else { return false } })
        #expect(["model", "mean-past", "kde-past", "naive-last"].contains(model.rankedBy) && model.rankingSentence != nil)
        let j = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: d + "/m.json"))) as! [String: Any]
        #expect(j["format_version"] as? Int == 3)
        let cmp = (j["evaluation"] as! [String: Any])["comparison"] as! [String: Any]
        let diffs = cmp["differences"] as! [[String: Any]]
        #expect(diffs.map { $0["baseline"] as! String } == ["naive-last", "mean-past", "kde-past"])
        let auc = (diffs[1]["metrics"] as! [[String: Any]]).first { $0["metric"] as? String == "auc" }!
        #expect((auc["ci_low"] as! Double) <= (auc["estimate"] as! Double) + 1e-12 && (auc["ci_high"] as! Double) >= (auc["ci_low"] as! Double))
        let s = run(["score", "--model", d + "/m.json", bundledPolice, "--out", d + "/s.csv", "--quiet"])
        #expect(s.status == 0, "\(s.err)")
        let lines = try String(contentsOfFile: d + "/s.csv", encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(lines[0][3] == "expected_count" && lines.dropFirst().allSatisfy { $0[4] == Substring(model.rankedBy) })
        if model.rankedBy == "mean-past" {
            let e = lines.dropFirst().map { Double($0[3])! }
            #expect(zip(e, e.dropFirst()).allSatisfy { $0 >= $1 })
        }
    }

    /// A format-2 file (the shipped model before issue 16, kept as a fixture) still reads: no penalty,
    /// ranked by the model.
    @Test func formatTwoModelFilesStillRead() throws {
        let m = try RiskModelFile.read(path: repoRoot + "/Tests/PlaceRiskIOTests/Fixtures/risk_model_v2_dc_violence_cell500.json")
        #expect(m.l2 == 0 && m.rankedBy == "model" && m.rankingSentence == nil && m.features == [.lag(1), .kdePast])
        let d = try tempDir()
        let s = run(["score", "--model", repoRoot + "/Tests/PlaceRiskIOTests/Fixtures/risk_model_v2_dc_violence_cell500.json", bundledPolice, "--out", d + "/s.csv", "--quiet"])
        #expect(s.status == 0, "\(s.err)")
    }

    @Test func newerOrBrokenModelFilesAreClearErrors() throws {
        let d = try tempDir()
        try #"{"format": "placerisk-risk-model", "format_version": 99}"#.write(toFile: d + "/new.json", atomically: true, encoding: .utf8)
        let r = run(["score", "--model", d + "/new.json", bundledPolice, "--out", d + "/s.csv"])
        #expect(r.status == 1)
        #expect(r.err == "Error: \(d)/new.json: model file format version 99 is newer than this PlaceRisk (0.1.0) reads (3); update PlaceRisk\n")
        try #"{"format": "placerisk-risk-model", "format_version": 1, "unit": "cell"}"#.write(toFile: d + "/bad.json", atomically: true, encoding: .utf8)
        let b = run(["score", "--model", d + "/bad.json", bundledPolice, "--out", d + "/s.csv"])
        #expect(b.status == 1 && b.err == "Error: \(d)/bad.json: the model file's 'grid' is missing or not valid (expected xmin,ymin,cell,ncols,nrows for a cell model)\n", "\(b.err)")
    }
}
