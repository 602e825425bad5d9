/// A hand-written command-line parser (the package takes no third-party dependencies), following
/// swift-argument-parser's conventions: `--name value` or `--name=value`, flags, repeatable
/// options, positional arguments, `--` to end options, `-h`/`--help` anywhere.

/// One option of a subcommand.
public struct OptionSpec: Sendable {
    public let name: String
    /// Placeholder for the value (`<metres>`); nil for a flag.
    public let value: String?
    public let help: String
    public let repeatable: Bool
    public let required: Bool

    public init(_ name: String, value: String? = nil, help: String, repeatable: Bool = false, required: Bool = false) {
        precondition(name.hasPrefix("--"), "OptionSpec: option names start with --")
        self.name = name
        self.value = value
        self.help = help
        self.repeatable = repeatable
        self.required = required
    }

    var isFlag: Bool { value == nil }

    /// `--out <file>` or `--zero-fill`.
    var synopsis: String { value.map { "\(name) <\($0)>" } ?? name }
}

/// A subcommand's interface: what it takes and how its help reads.
public struct CommandSpec: Sendable {
    public let name: String
    public let abstract: String
    public let discussion: String?
    /// Positional argument placeholder (`inputs`), nil for none.
    public let positional: String?
    public let positionalHelp: String?
    public let positionalRequired: Bool
    public let options: [OptionSpec]

    public init(name: String, abstract: String, discussion: String? = nil, positional: String? = nil,
                positionalHelp: String? = nil, positionalRequired: Bool = true, options: [OptionSpec]) {
        self.name = name
        self.abstract = abstract
        self.discussion = discussion
        self.positional = positional
        self.positionalHelp = positionalHelp
        self.positionalRequired = positionalRequired
        self.options = options
    }

    /// `USAGE:` line: positional first, then required options, then `[options]` when there are others.
    public var usage: String {
        var parts = ["placerisk", name]
        if let p = positional { parts.append(positionalRequired ? "<\(p)>..." : "[<\(p)>...]") }
        for o in options where o.required { parts.append(o.synopsis + (o.repeatable ? "..." : "")) }
        if options.contains(where: { !$0.required }) { parts.append("[options]") }
        return parts.joined(separator: " ")
    }

    /// The full `--help` text.
    public var help: String {
        var s = "OVERVIEW: \(abstract)\n"
        if let d = discussion { s += "\n" + d + "\n" }
        s += "\nUSAGE: \(usage)\n"
        if let p = positional {
            s += "\nARGUMENTS:\n" + HelpFormatter.row("<\(p)>", positionalHelp ?? "")
        }
        s += "\nOPTIONS:\n"
        for o in options {
            var h = o.help
            if o.repeatable { h += " (repeatable)" }
            if o.required { h += " (required)" }
            s += HelpFormatter.row(o.synopsis, h)
        }
        s += HelpFormatter.row("-h, --help", "Show help information.")
        return s
    }
}

/// Column layout shared by every help text.
enum HelpFormatter {
    static let nameWidth = 26
    static let width = 100

    /// `  name                  help…` wrapped at `width`, continuation lines indented.
    static func row(_ name: String, _ help: String) -> String {
        let indent = String(repeating: " ", count: nameWidth + 2)
        var lines: [String] = []
        var current = ""
        for word in help.split(separator: " ") {
            if !current.isEmpty, indent.count + current.count + 1 + word.count > width {
                lines.append(current); current = String(word)
            } else {
                current += current.isEmpty ? String(word) : " " + word
            }
        }
        if !current.isEmpty { lines.append(current) }
        var s = "  " + name
        if name.count + 2 >= nameWidth + 2 {
            s += "\n" + indent
        } else {
            s += String(repeating: " ", count: nameWidth - name.count)
        }
        s += lines.first ?? ""
        s += "\n"
        for l in lines.dropFirst() { s += indent + l + "\n" }
        return s
    }
}

/// A usage error: printed as `Error: <message>` plus the usage, exit status 64.
public struct UsageError: Error, Equatable, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
}

/// Parsed arguments of one subcommand.
public struct ParsedArguments: Sendable {
    public var positionals: [String] = []
    public var values: [String: [String]] = [:]
    public var flags: Set<String> = []
    public var helpRequested = false

    public func value(_ name: String) -> String? { values[name]?.last }
    public func all(_ name: String) -> [String] { values[name] ?? [] }
    public func flag(_ name: String) -> Bool { flags.contains(name) }
}

extension CommandSpec {
    /// Parses `args` (after the subcommand name). Throws `UsageError` for unknown options, missing
    /// values, repeated single options and missing required options or arguments.
    public func parse(_ args: [String]) throws(UsageError) -> ParsedArguments {
        var p = ParsedArguments()
        var i = 0
        var optionsEnded = false
        while i < args.count {
            let a = args[i]
            i += 1
            if optionsEnded || !a.hasPrefix("-") || a == "-" {
                guard positional != nil else { throw UsageError("unexpected argument '\(a)'") }
                p.positionals.append(a)
                continue
            }
            if a == "--" { optionsEnded = true; continue }
            if a == "-h" || a == "--help" { p.helpRequested = true; return p }
            var name = a, inline: String?
            if let eq = a.firstIndex(of: "=") {
                name = String(a[..<eq])
                inline = String(a[a.index(after: eq)...])
            }
            guard let spec = options.first(where: { $0.name == name }) else {
                throw UsageError("unknown option '\(name)'")
            }
            if spec.isFlag {
                if inline != nil { throw UsageError("option '\(name)' takes no value") }
                p.flags.insert(name)
                continue
            }
            let v: String
            if let inl = inline {
                v = inl
            } else {
                guard i < args.count, !(args[i].hasPrefix("--") && args[i].count > 2) else {
                    throw UsageError("missing value for '\(name) <\(spec.value!)>'")
                }
                v = args[i]
                i += 1
            }
            if !spec.repeatable, p.values[name] != nil {
                throw UsageError("option '\(name)' given more than once")
            }
            p.values[name, default: []].append(v)
        }
        if let pos = positional, positionalRequired, p.positionals.isEmpty, p.all("--incidents").isEmpty || options.allSatisfy({ $0.name != "--incidents" }) {
            throw UsageError("missing argument '<\(pos)>'")
        }
        for o in options where o.required && p.values[o.name] == nil {
            throw UsageError("missing required option '\(o.synopsis)'")
        }
        return p
    }
}
