import RendezvousDomain

/// A chart's figure (its SVG and legend) and its table, written straight into a string: what
/// `partials/chart-figure.mustache` used to spell out. A chapter's insights draw hundreds of bars,
/// labels and cells, and rendering them through Mustache's lookups was about a third of that
/// page's time (measured with perf under `make bench`). Every text is HTML-escaped as Mustache
/// escapes it; numbers are written as they are.
extension Chart {
    var figureHTML: String {
        var html = HTMLWriter()
        if let empty {
            html.raw("<p class=\"meta\">"); html.text(empty); html.raw("</p>\n")
        } else {
            // The picture takes the width it is given: its shapes are drawn in a 640-wide frame that
            // stretches sideways (`preserveAspectRatio="none"`, lines keep their thickness), its texts
            // are placed in per cent of the width and keep their size in CSS pixels, so a phone shows
            // them as large as a laptop does. Which ones each width shows: `Chart.Shown`, app.css.
            html.raw("<figure class=\"chart\">\n")
            html.raw("  <svg width=\"100%\" height=\"\(height)\" role=\"img\" aria-labelledby=\"")
            html.text(id); html.raw("-title "); html.text(id); html.raw("-desc\" class=\"bar-chart insight-chart\">\n")
            html.raw("    <title id=\""); html.text(id); html.raw("-title\">"); html.text(title); html.raw("</title>\n")
            html.raw("    <desc id=\""); html.text(id); html.raw("-desc\">"); html.text(description); html.raw("</desc>\n")
            html.raw("    <svg viewBox=\"0 0 \(width) \(height)\" width=\"100%\" height=\"\(height)\" preserveAspectRatio=\"none\">\n")
            if hasAxis { html.raw("    <line x1=\"4\" y1=\"\(axisY).5\" x2=\"\(width)\" y2=\"\(axisY).5\" class=\"axis\" vector-effect=\"non-scaling-stroke\"/>\n") }
            if !bars.isEmpty {
                html.raw("    ")
                for bar in bars {
                    html.raw("<rect x=\"\(bar.x)\" y=\"\(bar.y)\" width=\"\(bar.width)\" height=\"\(bar.height)\" class=\"chart-bar series-\(bar.series)\"/>")
                }
                html.raw("\n")
            }
            for line in lines {
                html.raw("    <polyline points=\""); html.text(line.points)
                html.raw("\" class=\"chart-line series-\(line.series)\" fill=\"none\" vector-effect=\"non-scaling-stroke\"/>\n")
            }
            html.raw("    </svg>\n")
            if bars.contains(where: { $0.valueShown != nil }) {
                html.raw("    ")
                for bar in bars {
                    guard let shown = bar.valueShown else { continue }
                    html.raw("<text x=\""); html.percent(bar.valueX, of: width); html.raw("\" y=\"\(bar.valueY)\" class=\"count")
                    if shown != .always { html.raw(" \(shown.rawValue)") }
                    html.raw("\">"); html.text(bar.value); html.raw("</text>")
                }
                html.raw("\n")
            }
            if !labels.isEmpty {
                html.raw("    ")
                for label in labels {
                    html.raw("<text x=\""); html.percent(label.x, of: width); html.raw("\" y=\"\(label.y)\" text-anchor=\""); html.text(label.anchor)
                    if label.shown != .always { html.raw("\" class=\"\(label.shown.rawValue)") }
                    html.raw("\">"); html.text(label.text); html.raw("</text>")
                }
                html.raw("\n")
            }
            html.raw("  </svg>\n")
            if hasLegend {
                html.raw("  <figcaption><ul class=\"legend\">")
                for item in legend {
                    html.raw("<li><span class=\"swatch series-\(item.series)\" aria-hidden=\"true\"></span>"); html.text(item.name); html.raw("</li>")
                }
                html.raw("</ul></figcaption>\n")
            }
            html.raw("</figure>\n")
        }
        html.table(self, compact: true)
        return html.result
    }

    /// The table alone, for a page that shows only it (the network's every-chapter table).
    var tableHTML: String {
        var html = HTMLWriter(capacity: 256 * rows.count)
        html.table(self, compact: false)
        return html.result
    }
}

/// HTML written piece by piece: `raw` as it is, `text` escaped by `HTMLText`.
struct HTMLWriter {
    private(set) var result = ""

    init(capacity: Int = 4096) { result.reserveCapacity(capacity) }

    mutating func raw(_ html: String) { result += html }

    /// `units` of a drawing `width` wide as a percentage of it, to the hundredth ("35.94%").
    mutating func percent(_ units: Int, of width: Int) {
        let hundredths = (units * 10_000 + width / 2) / max(1, width)
        let fraction = hundredths % 100
        result += "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)%"
    }

    /// A chart's numbers as a table, in its horizontal scroller; a compact one (beside its
    /// figure) names the chart in a caption for screen readers. The scroller is a named region
    /// that takes the keyboard's focus, so a table wider than a phone can be scrolled without a mouse.
    mutating func table(_ chart: Chart, compact: Bool) {
        raw("<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\""); text(chart.title); raw("\">\n")
        raw(compact ? "<table class=\"data compact\">\n  <caption class=\"visually-hidden\">" : "<table class=\"data\">\n")
        if compact { text(chart.title); raw("</caption>\n") }
        raw("  <thead><tr>")
        for column in chart.columns { raw("<th scope=\"col\">"); text(column); raw("</th>") }
        raw("</tr></thead>\n  <tbody>")
        for row in chart.rows {
            raw("<tr><th scope=\"row\">"); text(row.header); raw("</th>")
            for cell in row.cells { raw("<td>"); text(cell); raw("</td>") }
            raw("</tr>")
        }
        raw("</tbody>\n</table>\n</div>")
    }

    mutating func text(_ text: String) { HTMLText.append(text, to: &result) }
}
