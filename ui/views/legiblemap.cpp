#include "views/legiblemap.h"

#include "views/graphitems.h"

#include <algorithm>

namespace bulkhead::ui {

void clearLegible(const std::vector<NodeItem *> &nodes, const std::vector<EdgeItem *> &edges)
{
    for (NodeItem *item : nodes) {
        item->setLegibleScale(0);
        item->setLegibleCaption(true);
    }
    for (EdgeItem *item : edges)
        item->setLegibleScale(0);
}

bool legibleNamesCollide(const std::vector<NodeItem *> &items, double scale)
{
    std::vector<QRectF> texts;
    texts.reserve(items.size());
    for (const NodeItem *item : items) {
        const QRectF band = item->legibleBand(scale).translated(item->pos());
        texts.push_back(band.adjusted(band.height() / 4, 1, -band.height() / 4, -1));
    }
    for (size_t i = 0; i < texts.size(); ++i)
        for (size_t j = i + 1; j < texts.size(); ++j)
            if (texts[i].intersects(texts[j]))
                return true;
    return false;
}

bool chooseLegibleNames(const std::vector<NodeItem *> &nodes, double scale)
{
    for (NodeItem *item : nodes)
        item->setLegibleCaption(true);
    if (!legibleNamesCollide(nodes, scale))
        return true;
    for (NodeItem *item : nodes)
        item->setLegibleCaption(false);
    return !legibleNamesCollide(nodes, scale);
}

QRectF applyLegible(const std::vector<NodeItem *> &nodes, const std::vector<EdgeItem *> &edges,
                    const std::vector<ClusterItem *> &clusters, double scale, QRectF scene)
{
    for (NodeItem *item : nodes) {
        scene |= item->legibleBand(scale).translated(item->pos()).adjusted(-8, 0, 8, 0);
        item->setLegibleScale(scale);
    }
    if (static_cast<int>(edges.size()) <= LegibleArrowLimit) {
        // Arrow labels where they cover no box, name or other label (tooltips say the rest).
        std::vector<QRectF> taken;
        for (const NodeItem *item : nodes) {
            const QSizeF size = item->data().size;
            taken.push_back(item->legibleBand(scale).translated(item->pos()));
            taken.push_back(
                QRectF(item->pos() - QPointF(size.width() / 2, size.height() / 2), size));
        }
        for (const ClusterItem *item : clusters)
            taken.push_back(item->legibleTab(scale));
        for (EdgeItem *item : edges) {
            item->setLegibleScale(scale);
            const QRectF label = item->legibleLabelRect(scale);
            const bool free = std::none_of(taken.begin(), taken.end(),
                                           [&](const QRectF &r) { return r.intersects(label); });
            item->setLegibleLabel(free);
            if (free) {
                taken.push_back(label);
                scene |= label.adjusted(-8, 0, 8, 0);
            }
        }
    }
    for (const ClusterItem *item : clusters)
        scene |= item->legibleTab(scale).adjusted(-8, -8, 8, 0);
    return scene;
}

} // namespace bulkhead::ui
