#include "views/graphview.h"

#include <QHash>

#include "document.h"
#include "graph/palette.h"
#include "model/model.h"
#include "views/graphitems.h"
#include "views/graphtooltip.h"
#include "views/legiblemap.h"
#include "views/reviewoverlay.h"

#include <QApplication>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QGraphicsScene>
#include <QHash>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QMenu>
#include <QMouseEvent>
#include <QToolTip>
#include <QWheelEvent>

#include <map>

namespace bulkhead::ui {

namespace {

QColor clusterColor(const Document &document, const QString &name)
{
    if (name == GraphData::externalCluster())
        return QColor::fromRgb(palette::externalCluster);
    if (document.graph().clusterMode == ClusterMode::Zone) {
        if (document.model().zones.level(name.toStdString()))
            return zoneColor(document.model(), name.toStdString());
        for (const GraphNode &node :
             document.graph().nodes) // an opened namespace: its zone's colour
            if (node.clusterName() == name
                && (node.kind == BoxKind::Workload || node.kind == BoxKind::Group))
                return node.fill();
    }
    return QColor::fromRgb(palette::namespaceCluster);
}

// Pale (reaches little) to deep violet (reaches everything): the core's heat scale, which no
// zone colour resembles.
QColor heatColor(double share)
{
    return QColor::fromRgb(palette::heatColor(share));
}

} // namespace

GraphView::GraphView(Document *document, QWidget *parent)
    : QGraphicsView(parent)
    , m_document(document)
    , m_scene(new QGraphicsScene(this))
{
    // No BSP tree: building it for tens of thousands of items stalls the first paint, and a scan
    // of every item's bounding rectangle per paint costs about a millisecond.
    m_scene->setItemIndexMethod(QGraphicsScene::NoIndex);
    setScene(m_scene);
    setObjectName(QStringLiteral("graphView"));
    setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
    setDragMode(QGraphicsView::ScrollHandDrag);
    setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
    setBackgroundBrush(QColor::fromRgb(palette::background));
    // Every item's paint() sets the pen, brush, font and hints it uses: no save/restore per item.
    setOptimizationFlags(QGraphicsView::DontSavePainterState
                         | QGraphicsView::DontAdjustForAntialiasing);
    // A selection or design change restyles items all over the graph: one bounding rectangle
    // instead of a region of thousands of rectangles (scrolling still moves pixels).
    setViewportUpdateMode(QGraphicsView::BoundingRectViewportUpdate);
    const auto clear = [this] {
        m_selectedEdge = -1;
        m_currentBox = -1;
        emit edgeSelected(-1);
        m_syncing = true; // (removing a selected box is no selection by the user)
        m_scene->clear();
        m_nodes.clear();
        m_edges.clear();
        m_clusters.clear();
        m_syncing = false;
    };
    connect(m_document, &Document::modelChanged, this, clear);
    connect(m_document, &Document::viewChanged, this, clear);
    connect(m_document, &Document::layoutChanged, this, [this] { rebuild(); });
    connect(m_document, &Document::designChanged, this, [this] {
        // Same shape: restyle in place, keeping zoom and scroll. Otherwise a layout follows.
        if (m_document->hasLayout())
            restyle();
    });
    connect(m_document, &Document::selectionChanged, this, &GraphView::showSelection);
    connect(m_document, &Document::radiusPolicyChanged, this, &GraphView::showSelection);
    connect(m_document, &Document::reviewMarksChanged, this, [this] {
        if (inSync())
            applyReviewMarks(m_scene, m_document->graph(), m_nodes, m_edges,
                             m_document->reviewMarks());
    });
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

void GraphView::rebuild()
{
    m_syncing = true;
    m_selectedEdge = -1;
    m_currentBox = -1;
    m_scene->clear();
    m_nodes.clear();
    m_edges.clear();
    m_clusters.clear();
    const GraphData &graph = m_document->graph();
    const GraphLayout &layout = m_document->layout();

    for (const ClusterBox &cluster : layout.clusters) {
        const QString name = QString::fromStdString(cluster.name);
        auto *item = new ClusterItem(
            name, QRectF(cluster.rect.x, cluster.rect.y, cluster.rect.width, cluster.rect.height),
            clusterColor(*m_document, name), name == GraphData::externalCluster());
        item->setLegibleTitle(static_cast<int>(graph.nodes.size()) <= LegibleBoxLimit);
        m_scene->addItem(item);
        m_clusters.push_back(item);
    }
    m_nodes.reserve(graph.nodes.size());
    for (size_t i = 0; i < graph.nodes.size(); ++i) {
        auto *item = new NodeItem(static_cast<int>(i), graph.nodes[i]);
        item->setPos(layout.nodes[i].centre.x, layout.nodes[i].centre.y);
        m_scene->addItem(item);
        m_nodes.push_back(item);
    }
    m_edges.reserve(graph.edges.size());
    for (size_t i = 0; i < graph.edges.size(); ++i) {
        auto *item = new EdgeItem(static_cast<int>(i), graph.edges[i], layout.edges[i]);
        m_scene->addItem(item);
        m_edges.push_back(item);
    }
    // Labels apart from each other and from the boxes, as `render` places them.
    std::vector<std::pair<double, double>> labelSizes;
    labelSizes.reserve(m_edges.size());
    for (const EdgeItem *item : m_edges)
        labelSizes.emplace_back(item->labelSize().width(), item->labelSize().height());
    const std::vector<LayoutPoint> labelCentres = placeEdgeLabels(layout, labelSizes);
    for (size_t i = 0; i < m_edges.size(); ++i)
        m_edges[i]->setLabelCentre(QPointF(labelCentres[i].x, labelCentres[i].y));
    m_nodeState.assign(m_nodes.size(), Unknown);
    m_edgeState.assign(m_edges.size(), Unknown);
    m_syncing = false;
    setHeatMode(m_heat);
    if (inSync())
        applyReviewMarks(m_scene, graph, m_nodes, m_edges, m_document->reviewMarks());
    showSelection();
    fitGraph();
}

void GraphView::restyle()
{
    if (!inSync())
        return;
    // The decisions changed but not the shape: only the items whose look changed repaint.
    const GraphData &graph = m_document->graph();
    for (size_t i = 0; i < m_nodes.size(); ++i) {
        const GraphNode &now = graph.nodes[i];
        const GraphNode &was = m_nodes[i]->data();
        if (now.title != was.title || now.caption != was.caption || now.color != was.color)
            m_nodes[i]->setData(now);
    }
    for (size_t i = 0; i < m_edges.size(); ++i)
        m_edges[i]->setData(graph.edges[i]);
    setHeatMode(m_heat);
    applyReviewMarks(m_scene, graph, m_nodes, m_edges, m_document->reviewMarks());
    showSelection();
}

QString GraphView::toolTipOf(const QGraphicsItem *item) const
{
    return inSync() ? graphToolTip(*m_document, item, m_heat) : QString();
}

bool GraphView::viewportEvent(QEvent *event)
{
    if (event->type() != QEvent::ToolTip)
        return QGraphicsView::viewportEvent(event);
    const auto *help = static_cast<QHelpEvent *>(event);
    QGraphicsItem *hit = itemAt(help->pos());
    while (hit && hit->type() != NodeItem::Type && hit->type() != EdgeItem::Type)
        hit = hit->parentItem();
    QString tip = toolTipOf(hit);
    if (const QString marks
        = inSync() ? reviewMarksTip(m_document->graph(), m_document->reviewMarks(), hit)
                   : QString();
        !marks.isEmpty())
        tip += QStringLiteral("<hr>") + marks;
    if (tip.isEmpty())
        QToolTip::hideText();
    else
        QToolTip::showText(help->globalPos(), tip, viewport());
    return true;
}

void GraphView::setHeatMode(bool on)
{
    m_heat = on;
    if (!inSync())
        return;
    const Model &model = m_document->model();
    const double total = std::max<double>(1.0, model.inventory.workloads.size() - 1.0);
    applyInternetTags(m_nodes, on ? m_document->internetExposure(m_document->radiusPolicy()).get()
                                  : nullptr);
    for (NodeItem *item : m_nodes) {
        const GraphNode &node = item->data();
        if (!on || node.workloads.empty()) {
            item->setHeat({}, {});
            continue;
        }
        // A folded box shows its widest-reaching workload (the worst case inside it).
        const auto &counts = m_document->reachCounts(m_document->radiusPolicy());
        int reached = 0;
        for (int w : node.workloads)
            reached = std::max(reached, counts[w]);
        item->setHeat(
            heatColor(reached / total),
            node.isAggregate()
                ? QStringLiteral("up to %1 · %2%").arg(reached).arg(qRound(100.0 * reached / total))
                : QStringLiteral("%1 · %2%").arg(reached).arg(qRound(100.0 * reached / total)));
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
    const GraphData &graph = m_document->graph();
    // Hops from the selection per workload (-1: out of reach), from the document's radius.
    std::vector<int> hopOf;
    if (selected >= 0) {
        const auto radius = m_document->sharedBlastRadius(selected, m_document->radiusPolicy());
        hopOf.assign(m_document->model().inventory.workloads.size(), -1);
        for (int reached : radius->reach)
            hopOf[reached] = radius->hops.empty() ? 1 : radius->hops[reached];
    }
    m_syncing = true;
    std::vector<char> lit(m_nodes.size(), 0); // shown at full strength
    for (size_t i = 0; i < m_nodes.size(); ++i) {
        // A box is reached when one of its workloads is, at the fewest hops of them.
        const GraphNode &node = graph.nodes[i];
        bool isSelected = false;
        int fewest = -1;
        if (selected >= 0)
            for (int w : node.workloads) {
                isSelected = isSelected || w == selected;
                if (hopOf[w] >= 0 && (fewest < 0 || hopOf[w] < fewest))
                    fewest = hopOf[w];
            }
        int state = 0;
        if (selected >= 0) {
            const int hops = fewest;
            state = hops >= 0 ? hops + 1 : 0;
            if (!isSelected && hops < 0)
                state |= Dimmed;
            if (isSelected)
                state |= Selected;
        }
        lit[i] = !(state & Dimmed);
        if (state == m_nodeState[i])
            continue;
        m_nodeState[i] = state;
        NodeItem *item = m_nodes[i];
        item->setSelected(isSelected);
        item->setHops(selected >= 0 && !isSelected && (state & ~(Dimmed | Selected)) > 0
                          ? (state & ~(Dimmed | Selected)) - 1
                          : -1);
        item->setDimmed(state & Dimmed);
    }
    // Edges lit when both ends are lit and the edge leaves the selection's reach set.
    // An arrow of a whole cluster: its end is lit when a box of the cluster is.
    const auto reached = [&](size_t node) {
        const int state = m_nodeState[node];
        return selected >= 0 && !graph.nodes[node].workloads.empty()
               && ((state & Selected) || (state & ~(Dimmed | Selected)) > 0);
    };
    std::map<std::string, bool> clusterReached, clusterLit;
    for (const GraphEdge &edge : graph.edges)
        for (const std::string &cluster : {edge.tailCluster, edge.headCluster})
            if (!cluster.empty() && !clusterLit.contains(cluster)) {
                bool anyReached = false, anyLit = false;
                for (size_t n = 0; n < graph.nodes.size(); ++n)
                    if (graph.nodes[n].cluster == cluster) {
                        anyReached = anyReached || reached(n);
                        anyLit = anyLit || lit[n];
                    }
                clusterReached[cluster] = anyReached;
                clusterLit[cluster] = anyLit;
            }
    for (size_t i = 0; i < m_edges.size(); ++i) {
        const GraphEdge &edge = graph.edges[i];
        const bool fromLit = edge.tailCluster.empty() ? reached(size_t(edge.from))
                                                      : clusterReached[edge.tailCluster];
        const bool toLit
            = edge.headCluster.empty() ? bool(lit[edge.to]) : clusterLit[edge.headCluster];
        const signed char state = selected < 0 ? 0 : (fromLit && toLit && edge.allowed) ? 1 : 2;
        if (state == m_edgeState[i])
            continue;
        m_edgeState[i] = state;
        m_edges[i]->setHighlighted(state == 1);
        m_edges[i]->setOpacity(state == 2 ? 0.2 : 1.0);
    }
    m_syncing = false;
}

void GraphView::onSceneSelectionChanged()
{
    if (m_syncing)
        return;
    const auto selected = m_scene->selectedItems();
    int workload = -1;
    int edge = -1;
    bool box = false;
    for (QGraphicsItem *item : selected)
        if (item->type() == NodeItem::Type) {
            box = true;
            m_currentBox = static_cast<NodeItem *>(item)->node();
            const GraphNode &node = static_cast<NodeItem *>(item)->data();
            if (node.kind == BoxKind::Workload && node.peer.isWorkload())
                workload = node.peer.index;
        } else if (item->type() == EdgeItem::Type) {
            edge = static_cast<EdgeItem *>(item)->edge();
        }
    if (edge != m_selectedEdge) {
        m_selectedEdge = edge;
        emit edgeSelected(edge);
    }
    // Clicking an arrow keeps the selected workload and its blast radius.
    if (box || (selected.isEmpty() && edge < 0))
        m_document->selectWorkload(workload);
}

void GraphView::fitGraph()
{
    if (m_nodes.empty()) // (not scene->items(): that sorts every item)
        return;
    // The whole picture, never cut, and never blown up past 1.25x. A view of a few dozen boxes
    // fitted below DetailLod still writes their names (NodeItem::setLegibleScale), the scene
    // widened for the names wider than their boxes; where those names would run into each other
    // (a tall focus view), it opens at DetailLod around the workload that matters instead.
    const GraphLayout &layout = m_document->layout();
    QRectF scene(-20, -20, layout.boundingBox.width + 40, layout.boundingBox.height + 40);
    const bool few = static_cast<int>(m_nodes.size()) <= LegibleBoxLimit;
    clearLegible(m_nodes, m_edges);
    for (int pass = 0; pass < 4; ++pass) { // (a wider scene, a smaller scale, wider names)
        m_scene->setSceneRect(scene);
        fitInView(scene, Qt::KeepAspectRatio);
        if (transform().m11() > 1.25)
            setTransform(QTransform::fromScale(1.25, 1.25));
        const double scale = transform().m11();
        if (!few || scale >= DetailLod)
            return;
        if (!chooseLegibleNames(m_nodes, scale)) { // names alone collide: the closer view
            readableAroundFocus();
            return;
        }
        const QRectF written = applyLegible(m_nodes, m_edges, m_clusters, scale, scene);
        if (scene.contains(written))
            return;
        scene = written;
    }
}

void GraphView::readableAroundFocus()
{
    clearLegible(m_nodes, m_edges);
    m_scene->setSceneRect(QRectF(-20, -20, m_document->layout().boundingBox.width + 40,
                                 m_document->layout().boundingBox.height + 40));
    setTransform(QTransform::fromScale(DetailLod + 0.02, DetailLod + 0.02));
    // around the workload that matters: the focused one, else the selected one
    const LevelView &view = m_document->view();
    const int around
        = view.level == GraphLevel::Focus ? view.focus : m_document->selectedWorkload();
    if (NodeItem *item = around >= 0 ? itemOfWorkload(around) : nullptr)
        centerOn(item);
    else
        centerOn(m_scene->sceneRect().center());
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
    while (hit && hit->type() != EdgeItem::Type && hit->type() != NodeItem::Type)
        hit = hit->parentItem();
    if (!hit) {
        QGraphicsView::contextMenuEvent(event);
        return;
    }
    if (hit->type() == NodeItem::Type) {
        const int index = static_cast<NodeItem *>(hit)->node();
        const GraphNode node = m_document->graph().nodes[index];
        QMenu menu(this);
        if (node.kind == BoxKind::Zone || node.kind == BoxKind::Namespace
            || node.kind == BoxKind::Group)
            menu.addAction(tr("Open %1").arg(node.titleText()), this,
                           [this, index] { m_document->openBox(index); });
        if (node.kind == BoxKind::Workload && node.peer.isWorkload()) {
            const int workload = node.peer.index;
            menu.addAction(tr("Focus Here"), this,
                           [this, workload] { m_document->focusWorkload(workload); });
            QMenu *move = menu.addMenu(tr("Move to Zone"));
            const std::string current = m_document->model().inventory.workloads[workload].zone;
            for (const ZoneLevel &level : m_document->model().zones.levels) {
                const QString zone = QString::fromStdString(level.name);
                QAction *action = move->addAction(zone, this, [this, workload, zone] {
                    m_document->moveWorkload(workload, zone);
                });
                action->setEnabled(level.name != current);
            }
        }
        const QString name = node.kind == BoxKind::Workload && node.peer.isWorkload()
                                 ? QString::fromStdString(
                                     m_document->model().inventory.workloads[node.peer.index].id())
                                 : node.titleText();
        menu.addAction(tr("Copy Name"), this, [name] { QApplication::clipboard()->setText(name); });
        menu.exec(event->globalPos());
        return;
    }
    const GraphEdge &edge = m_document->graph().edges[static_cast<EdgeItem *>(hit)->edge()];
    QMenu menu(this);
    for (const Edge &member : edge.members) {
        const EdgeRef ref = m_document->edgeRefOf(member);
        const QString text = QString::fromStdString(edgeRefText(ref));
        if (m_document->isAllowed(ref))
            menu.addAction(tr("Deny %1").arg(text), this,
                           [this, ref] { m_document->denyEdge(ref); });
        else
            menu.addAction(tr("Allow %1").arg(text), this,
                           [this, ref] { m_document->allowEdge(ref); });
    }
    menu.exec(event->globalPos());
}

void GraphView::mouseDoubleClickEvent(QMouseEvent *event)
{
    QGraphicsItem *hit = inSync() ? itemAt(event->pos()) : nullptr;
    while (hit && hit->type() != NodeItem::Type)
        hit = hit->parentItem();
    if (hit && m_document->openBox(static_cast<NodeItem *>(hit)->node())) {
        event->accept();
        return;
    }
    QGraphicsView::mouseDoubleClickEvent(event);
}

void GraphView::selectEdge(int edge)
{
    if (!inSync() || edge < 0 || edge >= static_cast<int>(m_edges.size()))
        return;
    m_scene->clearSelection();
    m_edges[edge]->setSelected(true);
    ensureVisible(m_edges[edge], 40, 40);
}

void GraphView::selectBox(int node)
{
    if (!inSync() || node < 0 || node >= static_cast<int>(m_nodes.size()))
        return;
    m_scene->clearSelection();
    m_currentBox = node;
    m_nodes[node]->setSelected(true);
    ensureVisible(m_nodes[node], 60, 60);
    // A folded box has no blast radius of its own: the workload selection stays as it was.
}

int GraphView::neighbourBox(int node, int key) const
{
    if (node < 0 || node >= static_cast<int>(m_nodes.size()))
        return m_nodes.empty() ? -1 : 0;
    const QPointF from = m_nodes[node]->pos();
    int best = -1;
    double bestScore = 0;
    for (size_t i = 0; i < m_nodes.size(); ++i) {
        if (static_cast<int>(i) == node)
            continue;
        const QPointF d = m_nodes[i]->pos() - from;
        double along = 0, across = 0;
        switch (key) {
        case Qt::Key_Left:
            along = -d.x();
            across = d.y();
            break;
        case Qt::Key_Right:
            along = d.x();
            across = d.y();
            break;
        case Qt::Key_Up:
            along = -d.y();
            across = d.x();
            break;
        case Qt::Key_Down:
            along = d.y();
            across = d.x();
            break;
        default: return -1;
        }
        if (along <= 1)
            continue;
        // Nearest in that direction, sideways distance counting double.
        const double score = along + 2 * std::abs(across);
        if (best < 0 || score < bestScore) {
            best = static_cast<int>(i);
            bestScore = score;
        }
    }
    return best;
}

void GraphView::keyPressEvent(QKeyEvent *event)
{
    switch (event->key()) {
    case Qt::Key_Left:
    case Qt::Key_Right:
    case Qt::Key_Up:
    case Qt::Key_Down:
        if (event->modifiers() == Qt::NoModifier && inSync() && !m_nodes.empty()) {
            const int next = m_currentBox < 0 ? 0 : neighbourBox(m_currentBox, event->key());
            if (next >= 0)
                selectBox(next);
            event->accept();
            return;
        }
        break;
    case Qt::Key_Return:
    case Qt::Key_Enter:
        if (inSync() && m_currentBox >= 0) {
            m_document->openBox(m_currentBox);
            event->accept();
            return;
        }
        break;
    case Qt::Key_Backspace:
        if (!m_document->trail().empty()) {
            m_document->backTo(static_cast<int>(m_document->trail().size()) - 1);
            event->accept();
            return;
        }
        break;
    default: break;
    }
    QGraphicsView::keyPressEvent(event);
}

void GraphView::wheelEvent(QWheelEvent *event)
{
    zoomBy(std::pow(1.0015, event->angleDelta().y()));
    event->accept();
}

} // namespace bulkhead::ui
