#pragma once

#include <QString>

class QGraphicsItem;

namespace bulkhead::ui {

class Document;

// The tooltip of a box or an arrow of the graph (a NodeItem or an EdgeItem of the document's
// graph as laid out now), made when asked rather than stored in thousands of items: a workload's
// kind, zone and traffic in and out, a folded box's counts, an arrow's ports, evidence and zone
// rule; in heat mode how many workloads it reaches. Empty for any other item.
QString graphToolTip(const Document &document, const QGraphicsItem *item, bool heat);

} // namespace bulkhead::ui
