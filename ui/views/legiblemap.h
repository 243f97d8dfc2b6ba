#pragma once

// A view of few boxes fitted whole below DetailLod still reads: names (and folded boxes'
// counts) at a readable size, arrows' heads and the labels that cover nothing (docs/gui.md
// "Zoom"). GraphView::fitGraph drives these.

#include <QRectF>

#include <vector>

namespace bulkhead::ui {

class NodeItem;
class EdgeItem;
class ClusterItem;

// Every item drawn as usual again (no legible scale; captions allowed).
void clearLegible(const std::vector<NodeItem *> &nodes, const std::vector<EdgeItem *> &edges);

// Whether the names of `items` written at `scale` (NodeItem::legibleBand) would run into each
// other (their texts, without the bands' padding, overlap).
bool legibleNamesCollide(const std::vector<NodeItem *> &items, double scale);

// Names with captions at `scale`, else names alone; false when even names alone collide.
bool chooseLegibleNames(const std::vector<NodeItem *> &nodes, double scale);

// Sets every item's legible scale to `scale` (arrow labels only where they cover no box, name,
// cluster tab or other label, and only for at most LegibleArrowLimit arrows) and returns `scene`
// grown to everything written.
QRectF applyLegible(const std::vector<NodeItem *> &nodes, const std::vector<EdgeItem *> &edges,
                    const std::vector<ClusterItem *> &clusters, double scale, QRectF scene);

} // namespace bulkhead::ui
