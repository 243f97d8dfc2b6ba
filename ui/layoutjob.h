#pragma once

#include "layout/graphlayout.h"
#include "layout/stablelayout.h"

#include <QString>

#include <string>
#include <vector>

namespace bulkhead::ui {

// What one background layout gives: the layout, or why there is none.
struct LayoutOutcome
{
    GraphLayout layout;
    QString error;
};

// The layout of one view, off the GUI thread: `kept` reused when it places every box, else a
// fresh layout (made readable) with the boxes `kept` knows put back where they were.
LayoutOutcome runLayout(const LayoutInput &input, const std::vector<std::string> &keys,
                        const KeptLayout &kept);

} // namespace bulkhead::ui
