#include "views/graphview.h"

#include "analysis/pipeline.h"
#include "document.h"
#include "report/report.h"
#include "views/graphitems.h"

#include <QGraphicsScene>
#include <QContextMenuEvent>
#include <QMenu>
#include <QWheelEvent>

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

QColor clusterColor(const Document &document, const QString &name)
{
    if (name == GraphData::externalCluster())
        return QColor(0x80, 0x80, 0x80);
    if (document.graph().clusterMode == ClusterMode::Zone)
        return zoneColor(document.model(), name.toStdString());
    return QColor(0x5a, 0x6a, 0x80);
}

// Green (reaches little) to red (reaches everything).
QColor heatColor(double share)
{
    return QColor::fromHsvF((1.0 - std::clamp(share, 0.0, 1.0)) * 0.33, 0.75, 0.9);
}

} // namespace

GraphView::GraphView(Document *document, QWidget *parent)
    : QGraphicsView(parent), m_document(document), m_scene(new QGraphicsScene(this))
{
    setScene(m_scene);
    setObjectName(QStringLiteral("graphView"));
    setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
    setDragMode(QGraphicsView::ScrollHandDrag);
    setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
    setBackgroundBrush(QColor(0xfb, 0xfb, 0xfc));
    connect(m_document, &Document::modelChanged, this, [this] {
        m_scene->clear();
        m_nodes.clear();
        m_edges.clear();
    });
    connect(m_document, &Document::layoutChanged, this, [this] { rebuild(true); });
    connect(m_document, &Document::designChanged, this, [this] {
        // Same shape: restyle in place, keeping zoom and scroll. Otherwise a layout follows.
        if (m_document->hasLayout())
            rebuild(false);
    });
    connect(m_document, &Document::selectionChanged, this, &GraphView::showSelection);
    connect(m_document, &Document::radiusPolicyChanged, this, &GraphView::showSelection);
    connect(m_scene, &QGraphicsScene::selectionChanged, this, &GraphView::onSceneSelectionChanged);
}

GraphView::~GraphView()
{
    // The scene (a child) clears its items after this destructor ran: no selection slots then.
    m_scene->disconnect(this);
}

NodeItem *GraphView::itemOfWorkload(int workload) const
{
    const int node = m_document->graph().nodeOf(Peer::workload(workload));
    return node >= 0 && node < static_cast<int>(m_nodes.size()) ? m_nodes[node] : nullptr;
}

void GraphView::rebuild(bool fit)
{
    const QTransform keptTransform = transform();
    const QPointF keptCentre = mapToScene(viewport()->rect().center());
    m_syncing = true;
    m_scene->clear();
    m_nodes.clear();
    m_edges.clear();
    const GraphData &graph = m_document->graph();
    const GraphLayout &layout = m_document->layout();
    const Model &model = m_document->model();

    for (const ClusterBox &cluster : layout.clusters) {
        const QString name = QString::fromStdString(cluster.name);
        m_scene->addItem(new ClusterItem(
            name, QRectF(cluster.rect.x, cluster.rect.y, cluster.rect.width, cluster.rect.height),
            clusterColor(*m_document, name), name == GraphData::externalCluster()));
    }
    for (size_t i = 0; i < graph.nodes.size(); ++i) {
        const GraphNode &node = graph.nodes[i];
        auto *item = new NodeItem(static_cast<int>(i), node);
        item->setPos(layout.nodes[i].centre.x, layout.nodes[i].centre.y);
        QString tip = QStringLiteral("<b>%1</b><br>%2").arg(node.title.toHtmlEscaped(),
                                                              node.caption.toHtmlEscaped());
        if (node.peer.isWorkload()) {
            const Workload &w = model.inventory.workloads[node.peer.index];
            Evidence in, out;
            for (const Edge &edge : model.analysis.edges) {
                if (edge.to == node.peer)
                    in.merge(edge.evidence);
                if (edge.from == node.peer)
                    out.merge(edge.evidence);
            }
            tip = QStringLiteral("<b>%1</b> (%2)<br>zone %3<br>in: %4<br>out: %5")
                      .arg(QString::fromStdString(w.id()).toHtmlEscaped(),
                           QString::fromStdString(w.kind), QString::fromStdString(w.zone),
                           in.empty() ? QStringLiteral("nothing observed") : evidenceText(in),
                           out.empty() ? QStringLiteral("nothing observed") : evidenceText(out));
        }
        item->setToolTip(tip);
        m_scene->addItem(item);
        m_nodes.push_back(item);
    }
    for (size_t i = 0; i < graph.edges.size(); ++i) {
        const GraphEdge &edge = graph.edges[i];
        auto *item = new EdgeItem(static_cast<int>(i), edge, layout.edges[i]);
        QString tip = QStringLiteral("<b>%1 → %2</b><br>%3<br>%4")
                          .arg(graph.nodes[edge.from].title.toHtmlEscaped(),
                               graph.nodes[edge.to].title.toHtmlEscaped(), item->label(),
                               evidenceText(edge.evidence));
        if (!edge.zoneRule.isEmpty())
            tip += QStringLiteral("<br>%1 by zone rule %2")
                       .arg(edge.blocked ? QStringLiteral("blocked") : QStringLiteral("flagged"),
                            edge.zoneRule.toHtmlEscaped());
        if (edge.denied)
            tip += QStringLiteral("<br>denied by you");
        if (edge.added)
            tip += QStringLiteral("<br>added by you");
        tip += QStringLiteral("<br><i>right-click to allow or deny</i>");
        item->setToolTip(tip);
        m_scene->addItem(item);
        m_edges.push_back(item);
    }
    m_scene->setSceneRect(QRectF(-20, -20, layout.boundingBox.width + 40,
                                 layout.boundingBox.height + 40));
    m_syncing = false;
    setHeatMode(m_heat);
    showSelection();
    if (fit) {
        fitGraph();
    } else {
        setTransform(keptTransform);
        centerOn(keptCentre);
    }
}

void GraphView::setHeatMode(bool on)
{
    m_heat = on;
    if (!inSync())
        return;
    const Model &model = m_document->model();
    const double total = std::max<double>(1.0, model.inventory.workloads.size() - 1.0);
    for (NodeItem *item : m_nodes) {
        if (!on || !item->peer().isWorkload()) {
            item->setHeat({}, {});
            continue;
        }
        const int reached = m_document->reachCounts(m_document->radiusPolicy())[item->peer().index];
        item->setToolTip(item->toolTip().section(QStringLiteral("<hr>"), 0, 0)
                         + QStringLiteral("<hr>reaches %1 of %2 workloads")
                               .arg(reached)
                               .arg(static_cast<int>(total)));
        item->setHeat(heatColor(reached / total),
                      QStringLiteral("%1 · %2%")
                          .arg(reached)
                          .arg(qRound(100.0 * reached / total)));
    }
}

bool GraphView::inSync() const
{
    // After a design change that alters the graph's shape, the scene shows the previous graph
    // until the new layout lands: nothing may index the new graph with the old items then.
    return m_document->hasModel() && m_nodes.size() == m_document->graph().nodes.size()
           && m_edges.size() == m_document->graph().edges.size() && m_document->hasLayout();
}

void GraphView::showSelection()
{
    if (!inSync())
        return;
    const int selected = m_document->selectedWorkload();
    m_syncing = true;
    const std::map<int, int> hops = m_document->reach(selected);
    for (NodeItem *item : m_nodes) {
        const Peer &peer = item->peer();
        const bool isSelected = peer.isWorkload() && peer.index == selected;
        item->setSelected(isSelected);
        if (selected < 0) {
            item->setDimmed(false);
            item->setHops(-1);
            continue;
        }
        auto it = peer.isWorkload() ? hops.find(peer.index) : hops.end();
        item->setHops(it != hops.end() ? it->second : -1);
        item->setDimmed(!isSelected && it == hops.end());
    }
    // Edges lit when both ends are lit and the edge leaves the selection's reach set.
    const GraphData &graph = m_document->graph();
    for (EdgeItem *item : m_edges) {
        const GraphEdge &edge = graph.edges[item->edge()];
        const Peer &from = graph.nodes[edge.from].peer;
        const bool fromLit = from.isWorkload()
                             && (from.index == selected || hops.count(from.index) > 0);
        const bool lit = selected >= 0 && fromLit
                         && m_nodes[edge.to]->opacity() > 0.5 && edge.allowed;
        item->setHighlighted(lit);
        item->setOpacity(selected < 0 || lit ? 1.0 : 0.2);
    }
    m_syncing = false;
}

void GraphView::onSceneSelectionChanged()
{
    if (m_syncing)
        return;
    const auto selected = m_scene->selectedItems();
    int workload = -1;
    for (QGraphicsItem *item : selected)
        if (item->type() == NodeItem::Type) {
            const Peer &peer = static_cast<NodeItem *>(item)->peer();
            if (peer.isWorkload())
                workload = peer.index;
        }
    m_document->selectWorkload(workload);
}

void GraphView::fitGraph()
{
    if (m_scene->items().isEmpty())
        return;
    fitInView(m_scene->sceneRect(), Qt::KeepAspectRatio);
    // Never blow a small graph up past 1.25x.
    if (transform().m11() > 1.25)
        setTransform(QTransform::fromScale(1.25, 1.25));
}

void GraphView::zoomBy(double factor)
{
    const double scale = transform().m11() * factor;
    if (scale < 0.02 || scale > 8)
        return;
    this->scale(factor, factor);
}

void GraphView::centreOnWorkload(int workload)
{
    if (NodeItem *item = itemOfWorkload(workload))
        centerOn(item);
}

void GraphView::contextMenuEvent(QContextMenuEvent *event)
{
    QGraphicsItem *hit = inSync() ? itemAt(event->pos()) : nullptr;
    while (hit && hit->type() != EdgeItem::Type)
        hit = hit->parentItem();
    if (!hit) {
        QGraphicsView::contextMenuEvent(event);
        return;
    }
    const GraphEdge &edge = m_document->graph().edges[static_cast<EdgeItem *>(hit)->edge()];
    QMenu menu(this);
    for (const Edge &member : edge.members) {
        const EdgeRef ref = m_document->edgeRefOf(member);
        const QString text = QString::fromStdString(edgeRefText(ref));
        if (m_document->isAllowed(ref))
            menu.addAction(tr("Deny %1").arg(text), this, [this, ref] { m_document->denyEdge(ref); });
        else
            menu.addAction(tr("Allow %1").arg(text), this,
                           [this, ref] { m_document->allowEdge(ref); });
    }
    menu.exec(event->globalPos());
}

void GraphView::wheelEvent(QWheelEvent *event)
{
    zoomBy(std::pow(1.0015, event->angleDelta().y()));
    event->accept();
}

} // namespace bulkhead::ui
