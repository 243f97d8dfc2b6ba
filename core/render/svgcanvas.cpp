// The SVG backend: the drawing as SVG text.

#include "render/canvas.h"

namespace bulkhead::render {

namespace {

std::string xmlEscaped(const std::string &text)
{
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        default:
            // XML 1.0 has no place for other control characters.
            if (static_cast<unsigned char>(c) >= 0x20 || c == '\t')
                out += c;
        }
    }
    return out;
}

class SvgCanvas : public Canvas
{
public:
    SvgCanvas(double width, double height)
    {
        width += 2 * kMargin;
        height += 2 * kMargin;
        m_out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\""
                + number(width) + "pt\" height=\"" + number(height) + "pt\" viewBox=\"0 0 "
                + number(width) + ' ' + number(height)
                + "\">\n"
                  "<title>Bulkhead graph</title>\n"
                  "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n"
                  "<g transform=\"translate("
                + number(kMargin) + ',' + number(kMargin) + ")\">\n";
    }
    std::string finish() { return std::move(m_out) + "</g>\n</svg>\n"; }

    void roundedRect(const LayoutRect &rect, double radius, const Pen &pen,
                     const Color &fill) override
    {
        m_out += "<rect x=\"" + number(rect.x) + "\" y=\"" + number(rect.y) + "\" width=\""
                 + number(rect.width) + "\" height=\"" + number(rect.height) + "\" rx=\""
                 + number(radius) + "\" " + fillText(fill) + ' ' + penText(pen) + "/>\n";
    }
    void path(const EdgePath &path, const Pen &pen) override
    {
        std::string d = "M" + point(path.start);
        if (!path.bezier.empty()) {
            d += " L" + point(path.bezier[0]);
            for (size_t i = 1; i + 2 < path.bezier.size(); i += 3)
                d += " C" + point(path.bezier[i]) + ' ' + point(path.bezier[i + 1]) + ' '
                     + point(path.bezier[i + 2]);
        }
        d += " L" + point(path.end);
        m_out += "<path d=\"" + d + "\" fill=\"none\" " + penText(pen) + "/>\n";
    }
    void triangle(const LayoutPoint (&points)[3], const Color &fill) override
    {
        m_out += "<polygon points=\"" + point(points[0]) + ' ' + point(points[1]) + ' '
                 + point(points[2]) + "\" " + fillText(fill) + "/>\n";
    }
    void text(const std::string &text, double x, double y, double size, bool bold, Align align,
              const Color &color) override
    {
        m_out += "<text x=\"" + number(x) + "\" y=\"" + number(y) + "\" font-family=\""
                 + kFontFamily + "\" font-size=\"" + number(size) + "\""
                 + (bold ? " font-weight=\"bold\"" : "")
                 + (align == Align::Centre ? " text-anchor=\"middle\"" : "") + " fill=\""
                 + color.hex() + "\">" + xmlEscaped(text) + "</text>\n";
    }

private:
    static std::string point(const LayoutPoint &p) { return number(p.x) + ',' + number(p.y); }
    static std::string fillText(const Color &fill)
    {
        std::string out = "fill=\"" + fill.hex() + '"';
        if (fill.a < 1)
            out += " fill-opacity=\"" + number(fill.a) + '"';
        return out;
    }
    static std::string penText(const Pen &pen)
    {
        return "stroke=\"" + pen.color.hex() + "\" stroke-width=\"" + number(pen.width) + '"'
               + (pen.dashed ? " stroke-dasharray=\"5,3\"" : "");
    }

    std::string m_out;
};

} // namespace

std::string drawSvg(const GraphModel &graph, const Measured &m, const GraphLayout &layout)
{
    SvgCanvas canvas(layout.boundingBox.width, layout.boundingBox.height);
    draw(canvas, graph, m, layout);
    return canvas.finish();
}

} // namespace bulkhead::render
