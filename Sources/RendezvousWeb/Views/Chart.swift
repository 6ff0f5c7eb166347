import Foundation
import Mustache
import RendezvousDomain

/// A chart drawn on the server as SVG (no JavaScript): a title and a description for screen
/// readers, the same numbers in a table beside it, and its data as a CSV download. Grouped
/// vertical bars (one group per evening), horizontal bars (categories) or lines (a curve per
/// evening). Rendered by `partials/chart.mustache` as a card of its own, or by
/// `partials/chart-figure.mustache` (the figure and its table) inside another card.
struct Chart: Sendable {
    /// Where a text is drawn: at every width, only on a wide chart, or only on a narrow one (a phone).
    enum Shown: String, Sendable { case always = "", wide = "on-wide", narrow = "on-narrow" }
    struct Bar: Sendable { var x: Int; var y: Int; var width: Int; var height: Int; var series: Int; var value: String; var valueX: Int; var valueY: Int; var valueShown: Shown? }
    struct Label: Sendable { var x: Int; var y: Int; var text: String; var anchor: String; var shown: Shown = .always }
    struct Line: Sendable { var points: String; var series: Int }
    struct Legend: Sendable { var name: String; var series: Int }
    struct Row: Sendable { var header: String; var cells: [String] }

    var id: String
    var title: String
    var description: String
    var width = 640
    var height = 220
    var bars: [Bar] = []
    var labels: [Label] = []
    var lines: [Line] = []
    var legend: [Legend] = []
    var axisY = 0
    /// The table: column headers (the first heads the row headers), then one row per category.
    var columns: [String] = []
    var rows: [Row] = []
    var csvURL: String
    var csvLabel: String
    /// Whether the card offers the data as CSV (a chart inside another page's card may not).
    var hasCSV = true
    var empty: String?
    var hasLegend = false
    var hasAxis = false

    /// The data as CSV rows (header first), spreadsheet-safe through `CSV.write`.
    var csvRows: [[String]] { [columns] + rows.map { [$0.header] + $0.cells } }
    /// A table of more than three columns goes below its chart rather than beside it (laptop width).
    var hasWideTable: Bool { columns.count > 3 }

    private static let top = 18, bottom = 32, left = 8, right = 8

    // The picture is drawn across whatever width it gets (Chart+HTML.swift): its shapes stretch
    // sideways, its texts keep their size in CSS pixels. Positions are computed on a `width` of 640;
    // what fits is decided for the two sizes the style sheet gives the texts (app.css): a narrow chart
    // (a phone: from `narrowWidth` pixels, 12-pixel text) and a wide one (from `wideWidth`, the
    // container query's 36rem, 15-pixel text, 14 for the values).
    static let narrowWidth = 256, wideWidth = 576
    static let narrowFont = 12.0, wideFont = 15.0, wideValueFont = 14.0

    /// About how wide `text` is drawn at `font` pixels: 0.6 em a character for bold digits, less for dates and words.
    static func textWidth(_ text: String, font: Double, em: Double = 0.6) -> Double { Double(text.count) * em * font }

    /// `units` of the 640-wide drawing in pixels, on a chart `pixels` wide.
    static func pixels(_ units: Int, on pixels: Int) -> Double { Double(units) * Double(pixels) / 640 }

    /// Which sizes a bar's value fits above it without touching its neighbours' (`spacing` units apart).
    static func valueShown(_ value: String, spacing: Int) -> Shown? {
        let narrow = textWidth(value, font: narrowFont) + 2 <= pixels(spacing, on: narrowWidth)
        let wide = textWidth(value, font: wideValueFont) + 2 <= pixels(spacing, on: wideWidth)
        return narrow && wide ? .always : narrow ? .narrow : wide ? .wide : nil
    }

    /// Labels under evenly spaced categories (`spacing` units apart): every one where they fit, else
    /// every second, third…, decided for each size; a label is drawn where either size shows it.
    static func axisLabels(_ texts: [String], x: (Int) -> Int, y: Int, spacing: Int) -> [Label] {
        let longest = texts.max { $0.count < $1.count } ?? ""
        func step(font: Double, on width: Int) -> Int {
            let needed = textWidth(longest, font: font, em: 0.55) + 6
            return max(1, Int((needed / max(1, pixels(spacing, on: width))).rounded(.up)))
        }
        let narrow = step(font: narrowFont, on: narrowWidth), wide = step(font: wideFont, on: wideWidth)
        return texts.enumerated().compactMap { index, text in
            let inNarrow = index % narrow == 0, inWide = index % wide == 0
            guard inNarrow || inWide else { return nil }
            return Label(x: x(index), y: y, text: text, anchor: "middle", shown: inNarrow && inWide ? .always : inNarrow ? .narrow : .wide)
        }
    }

    /// Vertical bars grouped by category (an evening), one bar per series.
    static func grouped(id: String, title: String, description: String, categories: [String], series: [(name: String, values: [Int])],
                        axisLabels: [String]? = nil, csvURL: String, csvLabel: String, empty: String) -> Chart {
        var chart = Chart(id: id, title: title, description: description, csvURL: csvURL, csvLabel: csvLabel)
        chart.columns = [""] + series.map(\.name)
        chart.rows = categories.enumerated().map { index, category in Row(header: category, cells: series.map { String($0.values[index]) }) }
        chart.legend = series.enumerated().map { Legend(name: $1.name, series: $0) }
        chart.hasLegend = series.count > 1
        guard !categories.isEmpty, series.contains(where: { $0.values.contains { $0 > 0 } }) else { chart.empty = empty; return chart }
        let plot = chart.height - top - bottom
        chart.axisY = chart.height - bottom
        chart.hasAxis = true
        let maximum = max(1, series.flatMap(\.values).max() ?? 1)
        let group = (chart.width - left - right) / categories.count
        let barWidth = max(4, min(40, (group - 8) / max(1, series.count)))
        for (index, category) in categories.enumerated() {
            let start = left + index * group + (group - barWidth * series.count) / 2
            for (s, line) in series.enumerated() {
                let value = line.values[index]
                let height = value == 0 ? 0 : max(2, value * plot / maximum)
                let x = start + s * barWidth
                // A value above its bar where it fits at that size (next to the next bar's, or the next group's).
                chart.bars.append(Bar(x: x, y: chart.axisY - height, width: barWidth - 2, height: height, series: s, value: String(value),
                                      valueX: x + (barWidth - 2) / 2, valueY: chart.axisY - height - 3,
                                      valueShown: value > 0 ? valueShown(String(value), spacing: series.count > 1 ? barWidth : group) : nil))
            }
        }
        chart.labels = Self.axisLabels(axisLabels ?? categories, x: { left + $0 * group + group / 2 }, y: chart.height - 10, spacing: group)
        return chart
    }

    /// `text` cut to `limit` characters with an ellipsis: what fits left of the bars on a phone.
    static func shortened(_ text: String, to limit: Int) -> String {
        text.count <= limit ? text : text.prefix(limit - 1).trimmingCharacters(in: .whitespaces) + "…"
    }

    /// Horizontal bars, one per category, longest first (job families, companies, scores).
    static func horizontal(id: String, title: String, description: String, header: (String, String), items: [(label: String, value: Int)],
                           csvURL: String, csvLabel: String, empty: String) -> Chart {
        var chart = Chart(id: id, title: title, description: description, csvURL: csvURL, csvLabel: csvLabel)
        chart.columns = [header.0, header.1]
        chart.rows = items.map { Row(header: $0.label, cells: [String($0.value)]) }
        guard items.contains(where: { $0.value > 0 }) else { chart.empty = empty; return chart }
        let rowHeight = 30, labelWidth = 230
        chart.height = top + items.count * rowHeight + 4
        let maximum = max(1, items.map(\.value).max() ?? 1)
        // Room right of the longest bar for the largest value, at either size.
        let digits = items.map { String($0.value).count }.max() ?? 1
        let widest = String(repeating: "0", count: digits)
        let room = max(56, Int(max((textWidth(widest, font: narrowFont) + 8) / pixels(1, on: narrowWidth),
                                   (textWidth(widest, font: wideValueFont) + 8) / pixels(1, on: wideWidth)).rounded(.up)))
        let span = chart.width - labelWidth - right - room
        // A long name (a company) is shortened in the picture to what its column holds at each size
        // (letters are about half an em wide on average), whole in the table beside it.
        func fits(font: Double, on width: Int) -> Int { Int(pixels(labelWidth - 6, on: width) / textWidth("x", font: font, em: 0.5)) }
        let narrowLimit = fits(font: narrowFont, on: narrowWidth), wideLimit = fits(font: wideFont, on: wideWidth)
        for (index, item) in items.enumerated() {
            let y = top + index * rowHeight
            let width = item.value == 0 ? 0 : max(2, item.value * span / maximum)
            let narrow = Self.shortened(item.label, to: narrowLimit), wide = Self.shortened(item.label, to: wideLimit)
            if narrow == wide {
                chart.labels.append(Label(x: labelWidth - 6, y: y + 19, text: wide, anchor: "end"))
            } else {
                chart.labels.append(Label(x: labelWidth - 6, y: y + 19, text: narrow, anchor: "end", shown: .narrow))
                chart.labels.append(Label(x: labelWidth - 6, y: y + 19, text: wide, anchor: "end", shown: .wide))
            }
            chart.bars.append(Bar(x: labelWidth, y: y, width: width, height: rowHeight - 6, series: 0, value: String(item.value),
                                  valueX: labelWidth + width + 8, valueY: y + 19, valueShown: .always))
        }
        return chart
    }

    /// One line per series over the same x positions (the demand curve: days before each evening).
    static func lines(id: String, title: String, description: String, xLabels: [String], series: [(name: String, values: [Int])],
                      tick: (Int) -> Bool, columns: [String], rows: [Row], csvURL: String, csvLabel: String, empty: String) -> Chart {
        var chart = Chart(id: id, title: title, description: description, csvURL: csvURL, csvLabel: csvLabel)
        chart.columns = columns
        chart.rows = rows
        chart.legend = series.enumerated().map { Legend(name: $1.name, series: $0) }
        chart.hasLegend = series.count > 1
        guard xLabels.count > 1, series.contains(where: { $0.values.contains { $0 > 0 } }) else { chart.empty = empty; return chart }
        let plot = chart.height - top - bottom
        chart.axisY = chart.height - bottom
        chart.hasAxis = true
        let maximum = max(1, series.flatMap(\.values).max() ?? 1)
        let step = Double(chart.width - left - right - 20) / Double(xLabels.count - 1)
        func x(_ index: Int) -> Int { left + 10 + Int((Double(index) * step).rounded()) }
        chart.lines = series.enumerated().map { s, line in
            Line(points: line.values.enumerated().map { "\(x($0)),\(chart.axisY - $1 * plot / maximum)" }.joined(separator: " "), series: s)
        }
        chart.labels = xLabels.enumerated().filter { tick($0.offset) }.map { Label(x: x($0.offset), y: chart.height - 10, text: $0.element, anchor: "middle") }
        chart.labels.append(Label(x: left, y: top - 4, text: String(maximum), anchor: "start"))
        return chart
    }
}

// Looked up by name, not by reflection (Mustache's Mirror lookup was more than half of the chapter
// insights page's time, measured with perf); the figure and the table are written by
// `figureHTML` and `tableHTML` (Chart+HTML.swift). Any other name (`chrome…`) is looked up further
// up the stack.
extension Chart: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "id": id
        case "title": title
        case "csvURL": csvURL
        case "csvLabel": csvLabel
        case "hasCSV": hasCSV
        case "hasWideTable": hasWideTable
        case "figureHTML": figureHTML
        case "tableHTML": tableHTML
        default: nil
        }
    }
}
