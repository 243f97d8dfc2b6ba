#pragma once

#include "graph/graphdata.h"
#include "graph/reviewmarks.h"
#include "review/internetexposure.h"

#include <QString>

#include <vector>

class QGraphicsItem;
class QGraphicsScene;

namespace bulkhead::ui {

class NodeItem;
class EdgeItem;

// Draws the Review panel's marks (ui/graph/reviewmarks.h) on the graph's items, at any level:
// an arrow is marked when one of the connections folded into it is (a break; or, in compare
// mode, newly blocked before newly allowed); a box gets a badge with the excess (or the newly
// blocked never observed) of the workloads in it; each guardrail's subject gets a FenceItem
// around the boxes holding it (fences of the same subject share one, their names joined).
void applyReviewMarks(QGraphicsScene *scene, const GraphData &graph,
                      const std::vector<NodeItem *> &nodes, const std::vector<EdgeItem *> &edges,
                      const ReviewMarks &marks);

// Heat mode's internet tags: "internet" on the boxes the internet reaches directly, "via
// internet" on those it reaches through them (an aggregate box: how many of its workloads);
// `exposure` nullptr clears them.
void applyInternetTags(const std::vector<NodeItem *> &nodes, const InternetExposure *exposure);

// What the marks say of an item, as HTML lines for its tooltip; empty when unmarked.
QString reviewMarksTip(const GraphData &graph, const ReviewMarks &marks, const QGraphicsItem *item);

} // namespace bulkhead::ui
