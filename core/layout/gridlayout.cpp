#include "layout/gridlayout.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>

namespace bulkhead {

namespace {

constexpr double Gap = 24;        // between cells
constexpr double Margin = 26;     // inside a cluster, around its grid
constexpr double TitleSpace = 22; // above a cluster's grid, for its name
constexpr double ClusterGap = 40; // between clusters

} // namespace

GraphLayout gridLayout(const LayoutInput &input)
{
    const auto started = std::chrono::steady_clock::now();
    GraphLayout result;
    result.engine = LayoutEngine::Grid;
    double cellWidth = 0;
    double cellHeight = 0;
    std::map<std::string, std::vector<int>> members;
    for (size_t i = 0; i < input.nodes.size(); ++i) {
        cellWidth = std::max(cellWidth, input.nodes[i].width);
        cellHeight = std::max(cellHeight, input.nodes[i].height);
        members[input.nodes[i].cluster].push_back(static_cast<int>(i));
    }
    cellWidth += Gap;
    cellHeight += Gap;

    // Each cluster's grid: about square on screen.
    struct Block
    {
        const std::string *name;
        const std::vector<int> *nodes;
        int columns;
        double width;
        double height;
    };
    std::vector<Block> blocks;
    double area = 0;
    for (const auto &[name, nodes] : members) {
        const double count = static_cast<double>(nodes.size());
        const int columns
            = std::max(1, static_cast<int>(std::ceil(std::sqrt(count * cellHeight / cellWidth))));
        const int rows = static_cast<int>((nodes.size() + columns - 1) / columns);
        const Block block{&name, &nodes, columns, columns * cellWidth + 2 * Margin,
                          rows * cellHeight + 2 * Margin + TitleSpace};
        area += (block.width + ClusterGap) * (block.height + ClusterGap);
        blocks.push_back(block);
    }

    // Shelves about as wide as the whole is tall.
    const double shelfWidth = std::sqrt(area);
    result.nodes.resize(input.nodes.size());
    double x = 0, y = 0, shelfHeight = 0, width = 0;
    for (const Block &block : blocks) {
        if (x > 0 && x + block.width > shelfWidth) {
            x = 0;
            y += shelfHeight + ClusterGap;
            shelfHeight = 0;
        }
        const double left = x + Margin;
        const double top = y + Margin + TitleSpace;
        for (size_t k = 0; k < block.nodes->size(); ++k) {
            const int node = (*block.nodes)[k];
            const int column = static_cast<int>(k % block.columns);
            const int row = static_cast<int>(k / block.columns);
            NodePlacement &placement = result.nodes[node];
            placement.centre = {left + (column + 0.5) * cellWidth, top + (row + 0.5) * cellHeight};
            placement.width = input.nodes[node].width;
            placement.height = input.nodes[node].height;
        }
        if (!block.name->empty())
            result.clusters.push_back({*block.name, {x, y, block.width, block.height}});
        x += block.width + ClusterGap;
        width = std::max(width, x - ClusterGap);
        shelfHeight = std::max(shelfHeight, block.height);
    }
    result.boundingBox = {0, 0, width, y + shelfHeight};

    result.edges.reserve(input.edges.size());
    for (const LayoutEdge &edge : input.edges) {
        EdgePath path;
        if (edge.from >= 0 && edge.to >= 0 && edge.from < static_cast<int>(result.nodes.size())
            && edge.to < static_cast<int>(result.nodes.size())) {
            const NodePlacement &from = result.nodes[edge.from];
            const NodePlacement &to = result.nodes[edge.to];
            path.start = from.rect().borderTowards(to.centre);
            path.end = to.rect().borderTowards(from.centre);
        }
        result.edges.push_back(path);
    }
    result.seconds
        = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return result;
}

} // namespace bulkhead
