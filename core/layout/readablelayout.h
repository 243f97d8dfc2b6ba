#pragma once

#include "layout/graphlayout.h"

namespace bulkhead {

// dot ranks a namespace whose hundreds of workloads all talk to the same few boxes into one
// sliver (one rank hundreds of boxes long). When a layout of more than 40 boxes is over four
// times longer one way than the other, the cluster grids (gridlayout.h) read better: returns
// those instead, else `layout` unchanged.
GraphLayout readableLayout(GraphLayout layout, const LayoutInput &input);

} // namespace bulkhead
