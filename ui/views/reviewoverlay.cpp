#include "views/reviewoverlay.h"

#include "graph/palette.h"
#include "views/graphitems.h"

#include <QGraphicsScene>

#include <algorithm>
#include <map>

namespace bulkhead::ui {

namespace {

ConnectionKey keyOf(const Edge &edge)
{
    return {edge.from, edge.to, edge.protocol, edge.port};
}

// The workloads a box stands for (a workload box: itself).
std::vector<int> workloadsOf(const GraphNode &node)
{
    if (!node.workloads.empty())
        return node.workloads;
    if (node.peer.isWorkload())
        return {node.peer.index};
    return {};
}

EdgeItem::Mark markOf(const GraphEdge &edge, const ReviewMarks &marks)
{
    if (marks.mode == ReviewMarks::Mode::Findings) {
        for (const Edge &member : edge.members)
            if (marks.breaks.count(keyOf(member)))
                return EdgeItem::Mark::Break;
        return EdgeItem::Mark::None;
    }
    bool allowed = false;
    for (const Edge &member : edge.members) {
        if (marks.newlyBlocked.count(keyOf(member)))
            return EdgeItem::Mark::NewlyBlocked;
        allowed |= marks.newlyAllowed.count(keyOf(member)) > 0;
    }
    return allowed ? EdgeItem::Mark::NewlyAllowed : EdgeItem::Mark::None;
}

int sumOver(const std::map<int, int> &counts, const std::vector<int> &workloads)
{
    int sum = 0;
    for (int w : workloads)
        if (auto it = counts.find(w); it != counts.end())
            sum += it->second;
    return sum;
}

} // namespace

void applyReviewMarks(QGraphicsScene *scene, const GraphData &graph,
                      const std::vector<NodeItem *> &nodes, const std::vector<EdgeItem *> &edges,
                      const ReviewMarks &marks)
{
    if (nodes.size() != graph.nodes.size() || edges.size() != graph.edges.size())
        return;
    for (size_t i = 0; i < edges.size(); ++i)
        edges[i]->setMark(markOf(graph.edges[i], marks));
    const bool compare = marks.mode == ReviewMarks::Mode::Compare;
    for (size_t i = 0; i < nodes.size(); ++i) {
        const int n = sumOver(compare ? marks.newlyBlockedUnseen : marks.excess,
                              workloadsOf(graph.nodes[i]));
        if (n == 0)
            nodes[i]->setBadge({}, {});
        else if (compare)
            nodes[i]->setBadge(QStringLiteral("−%1 newly blocked").arg(n),
                               QColor::fromRgb(palette::edgeNewlyBlocked));
        else
            nodes[i]->setBadge(QStringLiteral("+%1 excess").arg(n),
                               QColor::fromRgb(palette::edgeExcess));
    }

    // Fences: the old ones go, one per distinct subject comes.
    const QList<QGraphicsItem *> items = scene->items();
    for (QGraphicsItem *item : items)
        if (item->type() == FenceItem::Type)
            delete item;
    std::map<std::vector<int>, QStringList> bySubject;
    for (const ReviewMarks::Fence &fence : marks.fences)
        if (!fence.workloads.empty())
            bySubject[fence.workloads] << fence.tier + QStringLiteral(": ") + fence.policy;
    int k = 0;
    for (const auto &[subject, names] : bySubject) {
        std::vector<int> boxes;
        for (int w : subject)
            if (auto it = graph.nodeOfWorkload.find(w); it != graph.nodeOfWorkload.end())
                boxes.push_back(it->second);
        std::sort(boxes.begin(), boxes.end());
        boxes.erase(std::unique(boxes.begin(), boxes.end()), boxes.end());
        if (boxes.empty())
            continue;
        const double margin = 12 + 7 * (k++ % 4); // fences of overlapping subjects stay apart
        QPainterPath outline;
        outline.setFillRule(Qt::WindingFill);
        QRectF bounds;
        for (int b : boxes) {
            const NodeItem *item = nodes[static_cast<size_t>(b)];
            const QSizeF size = item->data().size;
            const QRectF rect(item->pos() - QPointF(size.width() / 2, size.height() / 2), size);
            bounds = bounds.united(rect);
            outline.addRoundedRect(rect.adjusted(-margin, -margin, margin, margin), 12, 12);
        }
        if (boxes.size() > 200) { // thousands of outlines united would cost seconds: one frame
            outline = QPainterPath();
            outline.addRoundedRect(bounds.adjusted(-margin, -margin, margin, margin), 14, 14);
        } else {
            outline = outline.simplified();
        }
        scene->addItem(new FenceItem(names.join(QStringLiteral(", ")), outline));
    }
}

void applyInternetTags(const std::vector<NodeItem *> &nodes, const InternetExposure *exposure)
{
    for (NodeItem *item : nodes) {
        if (!exposure) {
            item->setInternetTag({});
            continue;
        }
        int direct = 0, reached = 0;
        for (int w : workloadsOf(item->data())) {
            direct += std::binary_search(exposure->direct.begin(), exposure->direct.end(), w);
            reached += std::binary_search(exposure->reach.begin(), exposure->reach.end(), w);
        }
        if (item->data().isAggregate())
            item->setInternetTag(reached == 0 ? QString()
                                              : QStringLiteral("internet: %1").arg(reached));
        else
            item->setInternetTag(direct    ? QStringLiteral("internet")
                                 : reached ? QStringLiteral("via internet")
                                           : QString());
    }
}

QString reviewMarksTip(const GraphData &graph, const ReviewMarks &marks, const QGraphicsItem *item)
{
    if (!item)
        return {};
    QStringList lines;
    if (item->type() == EdgeItem::Type) {
        const auto *edgeItem = static_cast<const EdgeItem *>(item);
        if (edgeItem->edge() >= static_cast<int>(graph.edges.size()))
            return {};
        for (const Edge &member : graph.edges[static_cast<size_t>(edgeItem->edge())].members) {
            const ConnectionKey key = keyOf(member);
            if (auto it = marks.breaks.find(key); it != marks.breaks.end())
                lines << QStringLiteral("break (%1): %2")
                             .arg(QString::fromStdString(portLabel(member)),
                                  it->second.toHtmlEscaped());
            if (marks.newlyBlocked.count(key))
                lines << QStringLiteral("the design newly blocks %1")
                             .arg(QString::fromStdString(portLabel(member)));
            if (marks.newlyAllowed.count(key))
                lines << QStringLiteral("the design newly allows %1")
                             .arg(QString::fromStdString(portLabel(member)));
            if (lines.size() > 8) {
                lines << QStringLiteral("…");
                break;
            }
        }
    } else if (item->type() == NodeItem::Type) {
        const auto *node = static_cast<const NodeItem *>(item);
        if (node->node() >= static_cast<int>(graph.nodes.size()))
            return {};
        const std::vector<int> workloads
            = workloadsOf(graph.nodes[static_cast<size_t>(node->node())]);
        if (const int n = sumOver(marks.excess, workloads))
            lines << QStringLiteral(
                         "%1 connection(s) in allowed by the loaded policies, never observed")
                         .arg(n);
        if (const int n = sumOver(marks.newlyBlockedUnseen, workloads))
            lines << QStringLiteral("the design newly blocks %1 connection(s) in, never observed")
                         .arg(n);
        for (const ReviewMarks::Fence &fence : marks.fences)
            for (int w : workloads)
                if (std::binary_search(fence.workloads.begin(), fence.workloads.end(), w)) {
                    lines << QStringLiteral("subject of %1 (%2 tier)")
                                 .arg(fence.policy.toHtmlEscaped(), fence.tier);
                    break;
                }
    }
    return lines.join(QStringLiteral("<br>"));
}

} // namespace bulkhead::ui
