#pragma once

#include "graph/graphmodel.h"
#include "layout/graphlayout.h"
#include "util/error.h"

#include <optional>
#include <string>
#include <string_view>

namespace bulkhead {

// The graph as a file, without Qt: `bulkhead-cli render`. Boxes are measured with cairo's text
// metrics, laid out by Graphviz (layoutGraph, the engine the desktop application would choose),
// and drawn like the application draws them: zone clusters, boxes in their zone's colour, arrows
// with their ports, denied arrows dashed grey, blocked ones dashed red, flagged ones orange,
// hand-added ones blue.

enum class RenderFormat { Svg, Png, Dot };

// By the file name's extension (.svg, .png, .dot or .gv, any case); nothing for other names.
std::optional<RenderFormat> renderFormatForFile(std::string_view path);

struct RenderOptions
{
    LayoutOptions layout;
    double pngScale = 2;      // pixels per point
    int pngMaxPixels = 16384; // the longer side of a PNG is scaled down to this
};

struct RenderedGraph
{
    std::string bytes;   // the file's content
    GraphLayout layout;  // where everything went (points, y down)
    double pngScale = 0; // the scale used for a PNG (smaller than asked on huge graphs)
};

// Lays out and draws. An Error when Graphviz or cairo fail.
Expected<RenderedGraph> renderGraph(const GraphModel &graph, RenderFormat format,
                                    const RenderOptions &options = {});

} // namespace bulkhead
