#pragma once

#include "layout/graphlayout.h"

namespace bulkhead {

// A layout for graphs too large for Graphviz to place interactively (thousands of boxes): every
// cluster (sorted by name; nodes without one in a cluster named "") is a near-square grid of
// uniform cells, the nodes in input order; clusters are packed in shelves, left to right, about
// as wide as the whole is tall. Arrows are straight, from border to border. Linear in the size
// of the graph and deterministic; engine is LayoutEngine::Grid, clusters hold every named cluster.
GraphLayout gridLayout(const LayoutInput &input);

} // namespace bulkhead
