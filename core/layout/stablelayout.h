#pragma once

#include "layout/graphlayout.h"

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace bulkhead {

// A stable picture (docs/gui.md, "A stable picture"): after a design change the boxes that stay
// keep their places and new boxes are placed around them; only an explicit re-layout starts over.

struct KeptBox
{
    std::string cluster; // empty: any (read from a project file)
    LayoutPoint centre;
    double width = 0; // 0: unknown (read from a project file)
    double height = 0;
};

// Where the boxes of one view were, by box key (GraphModelNode::key), and their arrows by their
// ends as drawn (arrowEnds); the cluster frames by name. The project saves the centres; arrows
// and frames are kept only within a session.
struct KeptLayout
{
    std::map<std::string, KeptBox> boxes;
    std::map<std::pair<std::string, std::string>, EdgePath> arrows;
    std::map<std::string, LayoutRect> clusters;
    bool empty() const { return boxes.empty(); }
};

// An arrow's ends as drawn: "b:" and the box key, or "c:" and the cluster name for an arrow that
// leaves (enters) a cluster's frame (LayoutEdge::tailCluster/headCluster). A folded arrow of two
// clusters keeps its name whichever box of the cluster it is tied to in Graphviz.
std::pair<std::string, std::string> arrowEnds(const LayoutEdge &edge,
                                              const std::vector<std::string> &keys);

// What `layout` of `input` (boxes named by `keys`) looks like as a KeptLayout.
KeptLayout keepLayout(const LayoutInput &input, const std::vector<std::string> &keys,
                      const GraphLayout &layout);

// `fresh` (a layout of `input`) with every box that `kept` knows in the same cluster put back at
// its kept centre; every other box where `fresh` put it, moved down (in steps) off any box already
// placed. An arrow keeps the fresh path when both its ends are where fresh put them, its kept path
// when both ends are kept (same size) and it was kept, else runs straight from border to border.
// An arrow of a cluster's frame keeps its kept route while its box end (if any) stays, its ends
// moved with the frame's sides when the frame changed (a box in it grew or was added).
// Cluster boxes are drawn again around their members. Unchanged when `kept` is empty.
GraphLayout stabilizeLayout(GraphLayout fresh, const LayoutInput &input,
                            const std::vector<std::string> &keys, const KeptLayout &kept);

// The kept layout itself when it knows every box of `input` (same cluster and size): no Graphviz
// run at all (arrows it does not know run straight). Nothing otherwise.
std::optional<GraphLayout>
reuseLayout(const LayoutInput &input, const std::vector<std::string> &keys, const KeptLayout &kept);

} // namespace bulkhead
