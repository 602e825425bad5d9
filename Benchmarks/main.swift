// placerisk-bench: times PlaceRisk's hot paths on given input files and prints one JSON line per
// measurement in the peers' schema (../shared/peers/_common.py timing_record):
//   {"grid", "input", "library", "median_s", "method", "op", "repeats", "size", "times_s", ...}
// so a peer and PlaceRisk can be run side by side on the same file and compared as ratios.
//
// This file only dispatches `placerisk-bench <suite> [options]`; each suite is in Suites/, the shared
// timing helpers (warm-up, median, peak RSS, the JSON record, blackHole) in Support/Timing.swift and
// the option parsing in Support/Options.swift. Every suite builds its inputs before timing, runs the
// timed body once untimed (warm-up) and keeps every result alive. Timings exclude file I/O for `bin`
// and `corr` (as the peers do) and include it for `ingest` (that is the op) and `report` (the whole command).

import Foundation

let argv = Array(CommandLine.arguments.dropFirst())
guard let suite = argv.first else { fail("missing suite (bin, ingest, kde, gistar, lisa, logit, corr, report, timeofday or stream)") }
if suite == "-h" || suite == "--help" { print(benchUsage); exit(0) }
let options = Options(Array(argv.dropFirst()), usage: benchUsage)
switch suite {
case "bin": BinSuite.run(options)
case "ingest": IngestSuite.run(options)
case "kde": KDESuite.run(options)
case "gistar": GiStarSuite.run(options)
case "lisa": LISASuite.run(options)
case "logit": LogitSuite.run(options)
case "corr": CorrSuite.run(options)
case "report": ReportSuite.run(options)
case "timeofday": TimeOfDaySuite.run(options)
case "stream": StreamSuite.run(options)
default: fail("unknown operation '\(suite)'")
}
