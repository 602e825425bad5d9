import PlaceRiskCore
import PlaceRiskIO

/// Where a command writes: results to `out` (or files), progress, accounting and errors to `err`.
public struct CLIOutput: Sendable {
    public let out: @Sendable (String) -> Void
    public let err: @Sendable (String) -> Void
    public init(out: @escaping @Sendable (String) -> Void, err: @escaping @Sendable (String) -> Void) {
        self.out = out
        self.err = err
    }
}

/// A failure at run time (exit status 1), with a one-line cause.
public struct RuntimeError: Error, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
}

/// One subcommand: its interface and what it does.
public protocol Subcommand {
    static var spec: CommandSpec { get }
    static func run(_ args: ParsedArguments, io: CLIOutput) throws
}

/// The `placerisk` command line.
public enum PlaceRiskCLI {
    /// Exit statuses (sysexits.h for usage).
    public static let exitOK: Int32 = 0
    public static let exitFailure: Int32 = 1
    public static let exitUsage: Int32 = 64

    /// Subcommands in help order.
    public static var subcommands: [any Subcommand.Type] { [AggregateCommand.self, MergeCommand.self, DensityCommand.self, HotspotsCommand.self, FitCommand.self, ScoreCommand.self, BacktestCommand.self, CorrelateCommand.self, NearRepeatCommand.self, TimeOfDayCommand.self, TriangulateCommand.self, ReportCommand.self, EvaluateCommand.self, PowerCommand.self] }

    public static let rootUsage = "placerisk <subcommand> [options]"

    public static var rootHelp: String {
        var s = """
        OVERVIEW: PlaceRisk \(PlaceRiskVersion.string) - place-based violence-prevention analytics for England.
        Reads police.uk street-level crime files, projects them to British National Grid (EPSG:27700,
        metres), counts them by LSOA, month, crime type or grid cell, and finds where they concentrate
        (exact kernel density, Getis-Ord Gi*, Moran's I and LISA), forecasts next month's risk and
        backtests it against naive baselines, and tests how crime rates follow IMD 2019 deprivation.
        Place-based only: no person data.

        USAGE: \(rootUsage)

        OPTIONS:

        """
        s += HelpFormatter.row("--version", "Show the version.")
        s += HelpFormatter.row("-h, --help", "Show help information.")
        s += "\nSUBCOMMANDS:\n"
        for c in subcommands { s += HelpFormatter.row(c.spec.name, c.spec.abstract) }
        s += "\n  See 'placerisk help <subcommand>' for detailed help.\n"
        return s
    }

    /// Runs the command line `argv` (without the program name) and returns the exit status.
    public static func run(_ argv: [String], io: CLIOutput) -> Int32 {
        guard let first = argv.first else {
            io.err("Error: missing subcommand\nUsage: \(rootUsage)\n  See 'placerisk --help'.\n")
            return exitUsage
        }
        switch first {
        case "-h", "--help":
            io.out(rootHelp); return exitOK
        case "--version":
            io.out(PlaceRiskVersion.string + "\n"); return exitOK
        case "help":
            guard argv.count > 1 else { io.out(rootHelp); return exitOK }
            guard let c = subcommands.first(where: { $0.spec.name == argv[1] }) else {
                io.err("Error: unknown subcommand '\(argv[1])'\nUsage: \(rootUsage)\n  See 'placerisk --help'.\n")
                return exitUsage
            }
            io.out(c.spec.help); return exitOK
        default:
            break
        }
        guard let cmd = subcommands.first(where: { $0.spec.name == first }) else {
            let what = first.hasPrefix("-") ? "unknown option '\(first)'" : "unknown subcommand '\(first)'"
            io.err("Error: \(what)\nUsage: \(rootUsage)\n  See 'placerisk --help'.\n")
            return exitUsage
        }
        let spec = cmd.spec
        do {
            let parsed = try spec.parse(Array(argv.dropFirst()))
            if parsed.helpRequested { io.out(spec.help); return exitOK }
            try OutputGuard.check(parsed)
            try OutputGuard.checkInputsExist(parsed, spec: spec)
            try cmd.run(parsed, io: io)
            return exitOK
        } catch let e as UsageError {
            io.err("Error: \(e.message)\nUsage: \(spec.usage)\n  See 'placerisk \(spec.name) --help'.\n")
            return exitUsage
        } catch let e as RuntimeError {
            io.err("Error: \(e.message)\n"); return exitFailure
        } catch let e as CSVError {
            io.err("Error: \(e.description)\n"); return exitFailure
        } catch let e as GridError {
            io.err("Error: \(e.description)\n"); return exitFailure
        } catch {
            io.err("Error: \(plainDescription(error))\n"); return exitFailure
        }
    }
}
