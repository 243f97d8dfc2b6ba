#pragma once

// The drawing shared by the renderers of renderGraph (internal to core/render): a Canvas that the
// SVG (svgcanvas.cpp) and the Cairo (cairocanvas.cpp) backends implement, the measuring and the
// drawing of a laid-out graph onto it (canvas.cpp); the DOT writer (dotwriter.cpp) draws nothing
// but uses the same colours.

#include "graph/graphmodel.h"
#include "graph/palette.h"
#include "layout/graphlayout.h"
#include "util/error.h"

#include <cairo.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

namespace bulkhead::render {

inline std::unexpected<Error> fail(std::string message)
{
    return makeError(std::string(), 0, std::move(message));
}

inline constexpr const char *kFontFamily = "sans-serif";
inline constexpr double kTitleSize = 11;  // points, bold
inline constexpr double kCaptionSize = 9; // points
inline constexpr double kLabelSize = 9;   // edge port labels
inline constexpr double kMargin = 16;     // points around the layout: labels may stick out of it

struct Color
{
    double r = 0.53, g = 0.53, b = 0.53, a = 1;

    static Color rgb(int r, int g, int b) { return {r / 255.0, g / 255.0, b / 255.0, 1}; }
    static Color of(uint32_t rgb)
    {
        return Color::rgb(int(rgb >> 16 & 0xff), int(rgb >> 8 & 0xff), int(rgb & 0xff));
    }
    static Color fromHex(const std::string &hex)
    {
        unsigned value = 0;
        if (hex.size() == 7 && hex[0] == '#' && std::sscanf(hex.c_str() + 1, "%6x", &value) == 1)
            return rgb(int(value >> 16 & 0xff), int(value >> 8 & 0xff), int(value & 0xff));
        return rgb(0x88, 0x88, 0x88);
    }
    Color darker(double factor) const { return {r / factor, g / factor, b / factor, a}; }
    Color withAlpha(double alpha) const { return {r, g, b, alpha}; }
    std::string hex() const
    {
        char text[8];
        std::snprintf(text, sizeof text, "#%02x%02x%02x", int(std::lround(r * 255)),
                      int(std::lround(g * 255)), int(std::lround(b * 255)));
        return text;
    }
    uint32_t rgb8() const
    {
        return uint32_t(std::lround(r * 255)) << 16 | uint32_t(std::lround(g * 255)) << 8
               | uint32_t(std::lround(b * 255));
    }
    // Dark text on light fills, white on dark ones (palette::textOn).
    Color textOn() const { return of(palette::textOn(rgb8())); }
};

struct Pen
{
    Color color;
    double width = 1;
    bool dashed = false;
};

enum class Align { Left, Centre };

// What the drawing needs from a surface; two implementations below (SVG text, cairo pixels), so
// both formats draw the same picture from one piece of code.
class Canvas
{
public:
    virtual ~Canvas() = default;
    virtual void roundedRect(const LayoutRect &rect, double radius, const Pen &pen,
                             const Color &fill)
        = 0;
    virtual void path(const EdgePath &path, const Pen &pen) = 0;
    virtual void triangle(const LayoutPoint (&points)[3], const Color &fill) = 0;
    // Text with its baseline at y, starting at x (Left) or centred on x.
    virtual void text(const std::string &text, double x, double y, double size, bool bold,
                      Align align, const Color &color)
        = 0;
};

// A coordinate as the SVG and DOT texts write it: two decimals.
inline std::string number(double value)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.2f", value);
    return text;
}

// Measured boxes and texts, then Graphviz.
struct Measured
{
    LayoutInput input;
    std::vector<std::string> edgeLabels;
    cairo_font_extents_t title{}, caption{}, label{};
    std::vector<double> labelWidths;
};

// Measures the boxes and labels with Cairo's fonts, the input of the layout.
Measured measure(const GraphModel &graph);
// The colour of a cluster's frame (its zone's) and of an edge (its state).
Color clusterColor(const GraphModel &graph, const std::string &cluster);
Color edgeColor(const GraphModelEdge &edge);
// Draws the laid-out graph: clusters, then edges with their arrowheads and labels, then boxes.
void draw(Canvas &canvas, const GraphModel &graph, const Measured &m, const GraphLayout &layout);

// The backends.
std::string drawSvg(const GraphModel &graph, const Measured &m, const GraphLayout &layout);
Expected<std::string> drawPng(const GraphModel &graph, const Measured &m, const GraphLayout &layout,
                              double scale);
Expected<std::string> writeDot(const GraphModel &graph, const Measured &m,
                               const GraphLayout &layout);

} // namespace bulkhead::render
