#pragma once

#include "util/error.h"

#include <mutex>
#include <string>
#include <vector>

namespace bulkhead {

// Graph layout by Graphviz, in plain structs: the caller (the GUI, the CLI's render) describes
// boxes and arrows, Graphviz places them, and the caller draws. Text stays the caller's: nodes
// have fixed sizes measured by the caller, and edges carry no labels inside Graphviz (labels on
// edges break dot with clusters; draw them at EdgePath::midpoint()).

struct LayoutNode
{
    double width = 72;   // points
    double height = 36;  // points
    std::string cluster; // empty: outside every cluster
};

struct LayoutEdge
{
    int from = -1; // LayoutInput::nodes index
    int to = -1;
    // dot: the arrow leaves (enters) this cluster's frame rather than its box (`from` or `to`
    // must sit in that cluster); empty: the box's border.
    std::string tailCluster;
    std::string headCluster;
};

struct LayoutInput
{
    std::vector<LayoutNode> nodes;
    std::vector<LayoutEdge> edges;
    // The widest edge label (points), which the painters draw on the arrows: dot keeps this much
    // room between ranks of a small graph (an aggregate level) so labels do not pile up.
    double edgeLabelWidth = 0;
};

enum class LayoutEngine {
    Auto, // dot (with clusters) up to LayoutOptions::dotLimit nodes, sfdp up to gridAbove, grid
          // above
    Dot,  // layered; nslimit=1 nslimit1=1 mclimit=0.1; honours clusters
    Sfdp, // force-directed, overlap=scale; for large graphs; no clusters
    Grid, // no Graphviz: boxes in rows inside their clusters, straight arrows (gridlayout.h)
};
std::string_view layoutEngineName(LayoutEngine engine); // "auto", "dot", "sfdp", "grid"

struct LayoutOptions
{
    LayoutEngine engine = LayoutEngine::Auto;
    int dotLimit = 300;
    int gridAbove = 2500; // sfdp takes seconds from here on (2.3 s CPU at 5,000 boxes); grid ~2 ms
    bool leftToRight = true; // dot: ranks from left to right
};

// Qt coordinates: points, origin at the top left of the bounding box, y growing downwards.
struct LayoutPoint
{
    double x = 0;
    double y = 0;
    friend bool operator==(const LayoutPoint &, const LayoutPoint &) = default;
};

struct LayoutRect
{
    double x = 0; // left
    double y = 0; // top
    double width = 0;
    double height = 0;
    bool contains(LayoutPoint p, double tolerance = 0) const
    {
        return p.x >= x - tolerance && p.x <= x + width + tolerance && p.y >= y - tolerance
               && p.y <= y + height + tolerance;
    }
    // Where the segment from the centre towards `towards` leaves the rectangle (the middle of
    // the top side when `towards` is the centre itself): the end of a straight arrow.
    LayoutPoint borderTowards(LayoutPoint towards) const;
};

struct NodePlacement
{
    LayoutPoint centre;
    double width = 0;
    double height = 0;
    LayoutRect rect() const { return {centre.x - width / 2, centre.y - height / 2, width, height}; }
};

// An edge's path from the border of its source node to the border of its target node: start,
// then a cubic bezier (3k+1 points, empty for a straight edge), then end (where the arrowhead's
// tip touches the target). Draw: moveTo(start), lineTo(bezier[0]), cubicTo(...)..., lineTo(end).
struct EdgePath
{
    LayoutPoint start;
    std::vector<LayoutPoint> bezier;
    LayoutPoint end;

    // A point half-way along the path (by control-polygon length): where to put a label.
    LayoutPoint midpoint() const;
    // The point at `fraction` (0 start, 1 end) of the path's control-polygon length.
    LayoutPoint pointAt(double fraction) const;
};

struct ClusterBox
{
    std::string name;
    LayoutRect rect;
};

struct GraphLayout
{
    LayoutEngine engine = LayoutEngine::Dot; // the engine that ran
    std::vector<NodePlacement> nodes;        // index = LayoutInput::nodes index
    std::vector<EdgePath> edges;             // index = LayoutInput::edges index
    std::vector<ClusterBox> clusters;        // sorted by name; empty with sfdp
    LayoutRect boundingBox;                  // (0, 0, width, height)
    double seconds = 0;                      // wall-clock time Graphviz took
};

// Where each edge's label is centred, given the labels' sizes (width, height, by edge index): the
// first of a few points along the edge (half-way, then nearer either end) where the label covers
// no box and no label placed before it; where every point collides, the least covered one. Both
// painters (the application and `render`) place labels with it. Graphs of more than
// `maxEdges` arrows keep the half-way points (the check is quadratic).
std::vector<LayoutPoint> placeEdgeLabels(const GraphLayout &layout,
                                         const std::vector<std::pair<double, double>> &sizes,
                                         size_t maxEdges = 1500);

// Lays the graph out. Synchronous; safe to call from any thread (every Graphviz call is made
// under graphvizMutex()). An Error when Graphviz cannot (a missing layout plugin, say).
Expected<GraphLayout> layoutGraph(const LayoutInput &input, const LayoutOptions &options = {});

// Graphviz is not thread-safe, even with one context per thread: every cgraph/gvc call in the
// process is made holding this mutex.
std::mutex &graphvizMutex();

} // namespace bulkhead
