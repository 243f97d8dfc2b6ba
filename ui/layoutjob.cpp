#include "layoutjob.h"

#include "layout/readablelayout.h"

#include <QElapsedTimer>

namespace bulkhead::ui {

LayoutOutcome runLayout(const LayoutInput &input, const std::vector<std::string> &keys,
                        const KeptLayout &kept)
{
    QElapsedTimer timer;
    timer.start();
    if (auto reused = reuseLayout(input, keys, kept)) {
        reused->seconds = timer.elapsed() / 1000.0;
        return {std::move(*reused), {}};
    }
    auto layout = layoutGraph(input);
    if (!layout)
        return {{}, QString::fromStdString(layout.error().toString())};
    const double seconds = layout->seconds;
    GraphLayout stable
        = stabilizeLayout(readableLayout(std::move(*layout), input), input, keys, kept);
    stable.seconds = seconds;
    return {std::move(stable), {}};
}

} // namespace bulkhead::ui
