import Foundation

/// A table of escaped strings: a header row, body rows and numeric alignment.
public struct HTMLTable: Sendable, Equatable {
    /// Column headings.
    public var header: [String]
    /// Body rows of plain text (escaped on output).
    public var rows: [[String]]
    /// Columns to right-align with tabular figures; nil = detect (every non-empty cell numeric).
    public var numericColumns: Set<Int>?
    /// Optional caption above the table.
    public var caption: String?

    /// A table; every row should have `header.count` cells (short rows are padded).
    public init(header: [String], rows: [[String]], numericColumns: Set<Int>? = nil, caption: String? = nil) {
        self.header = header; self.rows = rows; self.numericColumns = numericColumns; self.caption = caption
    }

    /// Columns whose non-empty cells all read as numbers ("1,234", "−0.5", "12 %", "n/a" allowed).
    public var detectedNumericColumns: Set<Int> {
        Set(header.indices.filter { c in
            let cells = rows.compactMap { c < $0.count ? $0[c] : nil }.filter { !$0.isEmpty && $0 != "n/a" && $0 != "–" }
            return !cells.isEmpty && cells.allSatisfy(HTMLTable.looksNumeric)
        })
    }

    static func looksNumeric(_ s: String) -> Bool {
        var t = s.replacingOccurrences(of: ",", with: "").replacingOccurrences(of: "−", with: "-")
        t = t.trimmingCharacters(in: .whitespaces)
        for suffix in ["%", "×"] where t.hasSuffix(suffix) { t = String(t.dropLast()).trimmingCharacters(in: .whitespaces) }
        return Double(t) != nil
    }
}

/// One block of content inside a section.
public enum HTMLBlock: Sendable, Equatable {
    /// A paragraph of plain text (escaped).
    case paragraph(String)
    /// A bulleted list of plain-text items (escaped).
    case list([String])
    /// A table.
    case table(HTMLTable)
    /// A neutral note box (escaped).
    case note(String)
    /// A warning box (escaped), for caveats that must not be missed.
    case warning(String)
    /// A figure: an inline SVG produced by this module (trusted markup) and a caption (escaped).
    case figure(svg: String, caption: String)
    /// Trusted markup inserted as is — only for HTML built by this module.
    case trustedHTML(String)
}

/// A section with an id (for the contents list and links), a heading and blocks.
public struct HTMLSection: Sendable, Equatable {
    /// Anchor id (sanitised).
    public var id: String
    /// Heading text.
    public var heading: String
    /// Content, in order.
    public var blocks: [HTMLBlock]

    /// A section; `id` is reduced to [A-Za-z0-9_-] (other characters become "-").
    public init(id: String, heading: String, blocks: [HTMLBlock] = []) {
        self.id = HTMLDocument.sanitizedID(id); self.heading = heading; self.blocks = blocks
    }
}

/// One self-contained HTML page: inline CSS, a title, an optional contents list and sections. No
/// JavaScript and no external fetches (no fonts, images or stylesheets by URL), so the file can be
/// archived, e-mailed and opened offline; SVG figures are inline.
public struct HTMLDocument: Sendable, Equatable {
    /// Page title and top heading.
    public var title: String
    /// Lines under the title (data period, generation time, version).
    public var subtitle: [String]
    /// Sections, in order.
    public var sections: [HTMLSection]
    /// Whether to list the sections at the top.
    public var tableOfContents = true

    /// An empty document.
    public init(title: String, subtitle: [String] = [], sections: [HTMLSection] = []) {
        self.title = title; self.subtitle = subtitle; self.sections = sections
    }

    /// Appends a section.
    public mutating func append(_ section: HTMLSection) { sections.append(section) }

    /// The page as a string (UTF-8 when written).
    public func render() -> String {
        var s = "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n"
        s += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        s += "<title>\(HTMLEscape.text(title))</title>\n<style>\(HTMLDocument.css)</style>\n</head>\n<body>\n<main>\n"
        s += "<h1>\(HTMLEscape.text(title))</h1>\n"
        for line in subtitle { s += "<p class=\"subtitle\">\(HTMLEscape.text(line))</p>\n" }
        if tableOfContents && sections.count > 1 {
            s += "<nav><h2>Contents</h2><ul>"
            for sec in sections { s += "<li><a href=\"#\(sec.id)\">\(HTMLEscape.text(sec.heading))</a></li>" }
            s += "</ul></nav>\n"
        }
        for sec in sections {
            s += "<section id=\"\(sec.id)\">\n<h2>\(HTMLEscape.text(sec.heading))</h2>\n"
            for b in sec.blocks { s += HTMLDocument.render(b, section: sec.heading) + "\n" }
            s += "</section>\n"
        }
        return s + "</main>\n</body>\n</html>\n"
    }

    static func render(_ b: HTMLBlock, section: String? = nil) -> String {
        switch b {
        case .paragraph(let t): return "<p>\(HTMLEscape.text(t))</p>"
        case .list(let items): return "<ul>" + items.map { "<li>\(HTMLEscape.text($0))</li>" }.joined() + "</ul>"
        case .note(let t): return "<div class=\"note\">\(HTMLEscape.text(t))</div>"
        case .warning(let t): return "<div class=\"warning\" role=\"note\"><strong>Caution: </strong>\(HTMLEscape.text(t))</div>"
        case .figure(let svg, let caption): return "<figure>\(svg)<figcaption>\(HTMLEscape.text(caption))</figcaption></figure>"
        case .trustedHTML(let h): return h
        case .table(let t): return table(t, section: section)
        }
    }

    /// A table; every table gets a `<caption>` (its own, else "Table: " and the section heading or
    /// the column headings) so screen readers can name it.
    static func table(_ t: HTMLTable, section: String? = nil) -> String {
        let numeric = t.numericColumns ?? t.detectedNumericColumns
        func cell(_ tag: String, _ text: String, _ c: Int) -> String {
            "<\(tag)\(numeric.contains(c) ? " class=\"num\"" : "")>\(HTMLEscape.text(text))</\(tag)>"
        }
        var s = "<div class=\"table-wrap\"><table>"
        let caption = t.caption ?? "Table: " + (section ?? t.header.joined(separator: ", "))
        s += "<caption>\(HTMLEscape.text(caption))</caption>"
        s += "<thead><tr>" + t.header.enumerated().map { cell("th", $1, $0) }.joined() + "</tr></thead><tbody>"
        for row in t.rows {
            s += "<tr>" + t.header.indices.map { cell("td", $0 < row.count ? row[$0] : "", $0) }.joined() + "</tr>"
        }
        return s + "</tbody></table></div>"
    }

    /// `id` reduced to [A-Za-z0-9_-], starting with a letter ("s-" prepended otherwise).
    static func sanitizedID(_ id: String) -> String {
        var out = String(id.unicodeScalars.map { u -> Character in
            (("a" ... "z").contains(u) || ("A" ... "Z").contains(u)
                || ("0" ... "9").contains(u) || u == "-" || u == "_") ? Character(u) : "-"
        })
        if out.isEmpty || !(out.unicodeScalars.first.map { ("a" ... "z").contains($0) || ("A" ... "Z").contains($0) } ?? false) {
            out = "s-" + out
        }
        return out
    }

    /// The page's stylesheet: readable measure, tabular figures in numeric columns, and a print
    /// stylesheet (A4 with 15 mm margins, each top-level section on a new page, figures and table
    /// rows never split across pages, the first section under the title, no contents list, SVGs scaled to the page width). Every text
    /// colour meets WCAG AA (≥ 4.5:1) on every background used (`textColors`, `backgrounds`).
    static let css = """
    body{margin:0;background:#fafafa;color:#1f1f1f;font:15px/1.5 Helvetica,Arial,sans-serif}\
    main{max-width:1000px;margin:0 auto;padding:24px 28px;background:#ffffff}\
    h1{font-size:26px;margin:8px 0 4px}h2{font-size:20px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}\
    .subtitle{color:#555555;margin:2px 0}nav ul{columns:2;margin:4px 0 0;list-style:none;padding-left:0}a{color:#1a5a96}\
    table{border-collapse:collapse;margin:8px 0;font-size:13px}caption{text-align:left;font-weight:bold;padding:4px 0}\
    th,td{border-bottom:1px solid #e4e4e4;padding:4px 10px;text-align:left;vertical-align:top}th{background:#f3f3f3}\
    .num{text-align:right;font-variant-numeric:tabular-nums}.table-wrap{overflow-x:auto}\
    .note{background:#eef4fb;border-left:4px solid #2166ac;padding:8px 12px;margin:10px 0}\
    .warning{background:#fdf0ec;border-left:4px solid #b2182b;padding:8px 12px;margin:10px 0}\
    figure{margin:14px 0}figure svg{max-width:100%;height:auto}figcaption{font-size:13px;color:#444444;margin-top:4px}\
    @media print{@page{size:A4;margin:15mm}\
    body{background:#ffffff;font-size:10.5pt}main{max-width:none;margin:0;padding:0}nav{display:none}\
    main>section{break-before:page;page-break-before:always}\
    main>section:first-of-type{break-before:auto;page-break-before:auto}\
    h2{break-after:avoid;page-break-after:avoid}\
    figure,svg,.map,.note,.warning{break-inside:avoid;page-break-inside:avoid}\
    figure svg{width:100%;max-width:100%;height:auto;max-height:245mm}\
    tr,thead{break-inside:avoid;page-break-inside:avoid}thead{display:table-header-group}\
    .table-wrap{overflow:visible}a{color:#1f1f1f;text-decoration:none}}
    """

    /// Text colours the stylesheet and the SVG writers use (for the contrast test).
    static let textColors = ["#1f1f1f", "#555555", "#444444", "#1a5a96", "#222222"]
    /// Backgrounds text is drawn on.
    static let backgrounds = ["#ffffff", "#fafafa", "#f3f3f3", "#eef4fb", "#fdf0ec"]
}
