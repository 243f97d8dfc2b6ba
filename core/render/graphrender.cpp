#include "render/graphrender.h"

#include "layout/readablelayout.h"
#include "render/canvas.h"

#include <algorithm>

namespace bulkhead {

using render::kMargin;

std::optional<RenderFormat> renderFormatForFile(std::string_view path)
{
    const size_t dot = path.rfind('.');
    if (dot == std::string_view::npos || path.find('/', dot) != std::string_view::npos)
        return std::nullopt;
    std::string extension(path.substr(dot + 1));
    std::transform(extension.begin(), extension.end(), extension.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    if (extension == "svg")
        return RenderFormat::Svg;
    if (extension == "png")
        return RenderFormat::Png;
    if (extension == "dot" || extension == "gv")
        return RenderFormat::Dot;
    return std::nullopt;
}

Expected<RenderedGraph> renderGraph(const GraphModel &graph, RenderFormat format,
                                    const RenderOptions &options)
{
    const render::Measured m = render::measure(graph);
    auto layout = layoutGraph(m.input, options.layout);
    if (!layout)
        return std::unexpected(layout.error());
    if (options.layout.engine == LayoutEngine::Auto) // as the desktop application: no sliver
        *layout = readableLayout(std::move(*layout), m.input);
    RenderedGraph out;
    switch (format) {
    case RenderFormat::Svg: {
        out.bytes = render::drawSvg(graph, m, *layout);
        break;
    }
    case RenderFormat::Png: {
        const double longest
            = std::max(layout->boundingBox.width, layout->boundingBox.height) + 2 * kMargin;
        out.pngScale = std::min(options.pngScale,
                                longest > 0 ? options.pngMaxPixels / longest : options.pngScale);
        auto png = render::drawPng(graph, m, *layout, out.pngScale);
        if (!png)
            return std::unexpected(png.error());
        out.bytes = std::move(*png);
        break;
    }
    case RenderFormat::Dot: {
        auto dot = render::writeDot(graph, m, *layout);
        if (!dot)
            return std::unexpected(dot.error());
        out.bytes = std::move(*dot);
        break;
    }
    }
    out.layout = std::move(*layout);
    return out;
}

} // namespace bulkhead
