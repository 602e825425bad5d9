import Foundation
import Testing
import PlaceRiskCore
import PlaceRiskIO
@testable import PlaceRiskCLI

@Suite("Command line: correlate")
struct CorrelateCLITests {
    static func json(_ path: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
    }

    /// The bundled data against an independent pandas + scipy computation (pandas 2, scipy 1.17, /tmp/peers-venv):
    /// violence rows of the three street files grouped by `LSOA code`, mapped onto the 1,034 LSOAs of the merged
    /// IMD table (zero-filled; 10,169 incidents), rate = count / population × 1000; scipy.stats pearsonr /
    /// spearmanr / kendalltau of the rate with `Income Score (rate)`: r 0.5651115455254432, ρ 0.6030954751658529,
    /// τ-b 0.4277621217143686, Spearman p 1.9720750511793865e-103; D1/D10 by income decile 8.41716347008764.
    /// IMD excluding crime rebuilt in numpy from the six ranks (conventions §7): r 0.5486891455882299, ρ 0.5298847695870695.
    @Test func bundledCorrelationsMatchPandasAndScipy() throws {
        let d = try tempDir()
        let r = run(["correlate", bundledPolice, "--out", d + "/c.json", "--quiet"])
        #expect(r.status == 0, "\(r.err)")
        let j = try Self.json(d + "/c.json")
        #expect(j["n_units"] as? Int == 1034)
        let rows = j["correlations"] as! [[String: Any]]
        #expect(rows.map { $0["domain"] as! String } == ["imd_excluding_crime", "imd", "income", "employment", "education", "health", "crime", "barriers", "living_environment"])
        for row in rows {
            #expect(Set(row.keys).isSuperset(of: ["domain", "n", "pearson", "spearman", "kendall", "p_adjusted", "decile_rate_ratio", "concentration_index"]))
        }
        let income = rows[2]
        let pr = (income["pearson"] as! [String: Any])["r"] as! Double
        let sp = income["spearman"] as! [String: Any]
        let kt = (income["kendall"] as! [String: Any])["tau_b"] as! Double
        let rr = (income["decile_rate_ratio"] as! [String: Any])["estimate"] as! Double
        #expect(abs(pr - 0.5651115455254432) < 1e-9 && abs((sp["rho"] as! Double) - 0.6030954751658529) < 1e-9 && abs(kt - 0.4277621217143686) < 1e-9)
        #expect(abs((sp["p"] as! Double) / 1.9720750511793865e-103 - 1) < 1e-6)
        #expect(abs(rr - 8.41716347008764) < 1e-9)
        let head = rows[0]
        let hr = (head["pearson"] as! [String: Any])["r"] as! Double, hs = (head["spearman"] as! [String: Any])["rho"] as! Double
        #expect(abs(hr - 0.5486891455882299) < 1e-9 && abs(hs - 0.5298847695870695) < 1e-9)
        let units = (j["join"] as! [String: Any])["units"] as! [String: Any]
        #expect(units["matched_imd"] as? Int == 1034)
        let joinRows = (j["join"] as! [String: Any])["rows"] as! [String: Any]
        #expect(joinRows["joined"] as? Int == 10169)
        #expect(r.out.contains("Headline: imd_excluding_crime") && r.out.contains("ecological"))
    }

    /// Table mode against the peers' scipy oracle (Fixtures/corr_areas_n10k_20x20_rate.json, x = rate).
    @Test func tableModeMatchesTheScipyOracle() throws {
        let d = try tempDir()
        let core = repoRoot + "/Tests/PlaceRiskCoreTests/Fixtures/"
        let r = run(["correlate", "--table", core + "areas_n10k_20x20.csv", "--x", "rate", "--y", "dom_income,dom_crime", "--out", d + "/t.json"])
        #expect(r.status == 0, "\(r.err)")
        let oracle = try Self.json(core + "corr_areas_n10k_20x20_rate.json")["results"] as! [[String: Any]]
        let mine = try Self.json(d + "/t.json")["correlations"] as! [[String: Any]]
        for m in mine {
            let o = oracle.first { ($0["y"] as! String) == (m["domain"] as! String) }!
            let oRho = (o["spearman"] as! [String: Any])["rho"] as! Double
            let oTau = (o["kendall_tau_b"] as! [String: Any])["tau"] as! Double
            let mRho = (m["spearman"] as! [String: Any])["rho"] as! Double
            let mTau = (m["kendall"] as! [String: Any])["tau_b"] as! Double
            #expect(abs(oRho - mRho) < 1e-9 && abs(oTau - mTau) < 1e-9)
        }
    }

    /// An explicit study area: --districts (Cornwall E06000052 has 326 LSOAs, Plymouth E06000026 161, by
    /// grep -c on the merged table), or the LSOAs of a --boundaries file (here a two-LSOA GeoJSON).
    @Test func explicitStudyAreasAreUsed() throws {
        let d = try tempDir()
        let r = run(["correlate", bundledPolice, "--districts", "E06000052,E06000026", "--domains", "income", "--out", d + "/c.json", "--quiet"])
        #expect(r.status == 0, "\(r.err)")
        #expect(try Self.json(d + "/c.json")["n_units"] as? Int == 487)
        var geo = try Self.json(repoRoot + "/" + DensityCommand.defaultBoundaries)
        geo["features"] = Array((geo["features"] as! [Any]).prefix(10))
        try JSONSerialization.data(withJSONObject: geo).write(to: URL(fileURLWithPath: d + "/ten.geojson"))
        let g = run(["correlate", bundledPolice, "--boundaries", d + "/ten.geojson", "--domains", "income", "--out", d + "/g.json", "--quiet"])
        #expect(g.status == 0, "\(g.err)")
        #expect(try Self.json(d + "/g.json")["n_units"] as? Int == 10)
        // Cornwall alone has no LSOA in national decile 10 of IMD excluding crime: no D1/D10, but the ratio of
        // its extreme deciles present (D1/D9), equal to the ratio of those deciles' rates in the same JSON
        // (the estimator itself is hand-checked in RatesTests).
        let c = run(["correlate", bundledPolice, "--districts", "Cornwall", "--domains", "imd_excluding_crime", "--out", d + "/k.json", "--quiet"])
        #expect(c.status == 0, "\(c.err)")
        let head = (try Self.json(d + "/k.json")["correlations"] as! [[String: Any]])[0]
        #expect(head["decile_rate_ratio"] is NSNull)
        let present = try #require(head["extreme_deciles_present_rate_ratio"] as? [String: Any])
        #expect(present["most_deprived_decile"] as? Int == 1 && present["least_deprived_decile"] as? Int == 9)
        let rates = (head["deciles"] as! [[String: Any]]).map { $0["rate_per_1000"] as? Double }
        #expect(abs((present["estimate"] as! Double) - rates[0]! / rates[8]!) < 1e-9)
        let b = run(["correlate", bundledPolice, "--districts", "E99999999", "--quiet"])
        #expect(b.status == 64 && b.err.hasPrefix("Error: 'E99999999' is not a district code or name"))
    }

    /// Another force with the default IMD table (now all England): 199 rows of Avon and Somerset 2022-01 (IO
    /// fixture) over Bristol (E06000023, 263 LSOAs by grep -c on datasets/imd2019/imd2019_england_lsoa.csv).
    /// Every study-area LSOA joins; with the former Devon & Cornwall default none did ("only 0 … join").
    @Test func anotherForceJoinsTheDefaultAllEnglandIMD() throws {
        let d = try tempDir()
        let police = repoRoot + "/Tests/PlaceRiskIOTests/Fixtures/police_avon_somerset_2022-01_cut.csv"
        let r = run(["correlate", police, "--crime-type", "all", "--districts", "E06000023", "--domains", "income,crime", "--out", d + "/c.json", "--quiet"])
        #expect(r.status == 0, "\(r.err)")
        let j = try Self.json(d + "/c.json")
        #expect(j["n_units"] as? Int == 263)
        let units = (j["join"] as! [String: Any])["units"] as! [String: Any]
        #expect(units["study_area_lsoas"] as? Int == 263 && units["matched_imd"] as? Int == 263)
    }

    @Test func badInputsAreClearErrors() throws {
        let u = run(["correlate", bundledPolice, "--domains", "income,wealth"])
        #expect(u.status == 64 && u.err.hasPrefix("Error: unknown domain 'wealth'"))
        let m = run(["correlate", bundledPolice, "--imd", "/nonexistent/imd.csv"])
        #expect(m.status == 1 && m.err == "Error: /nonexistent/imd.csv: no such file (--imd)\n")
        let f1 = run(["correlate", bundledPolice, "--imd", repoRoot + "/Tests/PlaceRiskIOTests/Fixtures/imd2019/file1_cut.csv"])
        #expect(f1.status == 1 && f1.err.hasPrefix("Error: the IMD files give no population"))
        let none = run(["correlate"])
        #expect(none.status == 64)
    }
}
