#include "views/graphtooltip.h"

#include "document.h"
#include "model/model.h"
#include "util/isotime.h"
#include "views/graphitems.h"

namespace bulkhead::ui {

namespace {

QString evidenceText(const Evidence &evidence)
{
    return QStringLiteral("%1 flows, %2 packets, %3 bytes<br>first seen %4<br>last seen %5")
        .arg(evidence.flows)
        .arg(evidence.packets)
        .arg(evidence.bytes)
        .arg(QString::fromStdString(isoTime(evidence.firstSeenUs)),
             QString::fromStdString(isoTime(evidence.lastSeenUs)));
}

} // namespace

QString graphToolTip(const Document &document, const QGraphicsItem *item, bool heat)
{
    if (!item)
        return {};
    const GraphData &graph = document.graph();
    const Model &model = document.model();
    if (item->type() == NodeItem::Type) {
        const GraphNode &node = graph.nodes[static_cast<const NodeItem *>(item)->node()];
        if (node.isAggregate()) {
            QString tip
                = QStringLiteral("<b>%1</b><br>%2")
                      .arg(node.titleText().toHtmlEscaped(), node.captionText().toHtmlEscaped());
            if (node.innerArrows > 0)
                tip += QStringLiteral("<br>%1 arrows inside").arg(node.innerArrows);
            if (heat && !node.workloads.empty()) {
                const auto &counts = document.reachCounts(document.radiusPolicy());
                int most = 0;
                for (int w : node.workloads)
                    most = std::max(most, counts[w]);
                tip += QStringLiteral("<hr>the widest reaches %1 workloads").arg(most);
            }
            if (node.kind != BoxKind::PeerGroup)
                tip += QStringLiteral("<br><i>double-click to open</i>");
            return tip;
        }
        if (!node.peer.isWorkload())
            return QStringLiteral("<b>%1</b><br>%2")
                .arg(node.titleText().toHtmlEscaped(), node.captionText().toHtmlEscaped());
        const Workload &w = model.inventory.workloads[node.peer.index];
        Evidence in, out;
        for (const Edge &edge : model.analysis.edges) {
            if (edge.to == node.peer)
                in.merge(edge.evidence);
            if (edge.from == node.peer)
                out.merge(edge.evidence);
        }
        QString tip
            = QStringLiteral("<b>%1</b> (%2)<br>zone %3<br>in: %4<br>out: %5")
                  .arg(QString::fromStdString(w.id()).toHtmlEscaped(),
                       QString::fromStdString(w.kind), QString::fromStdString(w.zone),
                       in.empty() ? QStringLiteral("nothing observed") : evidenceText(in),
                       out.empty() ? QStringLiteral("nothing observed") : evidenceText(out));
        if (heat) {
            const int total = std::max(1, static_cast<int>(model.inventory.workloads.size()) - 1);
            tip += QStringLiteral("<hr>reaches %1 of %2 workloads")
                       .arg(document.reachCounts(document.radiusPolicy())[node.peer.index])
                       .arg(total);
        }
        return tip;
    }
    if (item->type() != EdgeItem::Type)
        return {};
    const auto *edgeItem = static_cast<const EdgeItem *>(item);
    const GraphEdge &edge = graph.edges[edgeItem->edge()];
    QString tip
        = QStringLiteral("<b>%1 → %2</b><br>%3<br>%4")
              .arg(graph.tailName(edge).toHtmlEscaped(), graph.headName(edge).toHtmlEscaped(),
                   edgeItem->label(), evidenceText(edge.evidence));
    if (!edge.zoneRule.empty())
        tip += QStringLiteral("<br>%1 by zone rule %2")
                   .arg(edge.blocked ? QStringLiteral("blocked") : QStringLiteral("flagged"),
                        QString::fromStdString(edge.zoneRule).toHtmlEscaped());
    if (edge.denied)
        tip += QStringLiteral("<br>denied by you");
    if (edge.added)
        tip += QStringLiteral("<br>added by you");
    tip += QStringLiteral("<br><i>right-click to allow or deny</i>");
    return tip;
}

} // namespace bulkhead::ui
