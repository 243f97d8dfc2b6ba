#pragma once

#include <QGraphicsView>

#include <vector>

namespace bulkhead::ui {

class Document;
class NodeItem;
class EdgeItem;
class ClusterItem;

// The graph: workloads and externals as boxes in zone or namespace clusters, edges with their
// ports; zoom with the wheel, pan by dragging, fit. Selecting a workload shows its blast radius
// (what it reaches lit with hop counts, the rest dimmed); heat mode colours every workload by
// the share of workloads it reaches.
class GraphView : public QGraphicsView
{
    Q_OBJECT

public:
    explicit GraphView(Document *document, QWidget *parent = nullptr);
    ~GraphView() override;

    const std::vector<NodeItem *> &nodeItems() const { return m_nodes; }
    const std::vector<EdgeItem *> &edgeItems() const { return m_edges; }
    NodeItem *itemOfWorkload(int workload) const;

    bool heatMode() const { return m_heat; }
    void setHeatMode(bool on);

    void fitGraph();
    void zoomBy(double factor);
    void centreOnWorkload(int workload);

    // The tooltip of a box or an arrow, made when asked (not stored in thousands of items).
    QString toolTipOf(const QGraphicsItem *item) const;

    // The selected arrow (GraphData::edges index), -1 for none.
    int selectedEdge() const { return m_selectedEdge; }
    void selectEdge(int edge);
    // Keyboard navigation: the box nearest to the current one in that direction (Qt::Key_Left,
    // Key_Right, Key_Up, Key_Down), -1 when there is none.
    int neighbourBox(int node, int key) const;
    void selectBox(int node);
    int currentBox() const { return m_currentBox; }

signals:
    void edgeSelected(int edge); // -1: none

protected:
    void wheelEvent(QWheelEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    bool viewportEvent(QEvent *event) override;

private:
    void rebuild();
    void restyle();
    bool inSync() const;
    void showSelection();
    // At a scale where names are drawn, centred on the focused (or selected) workload.
    void readableAroundFocus();
    void onSceneSelectionChanged();

    Document *m_document;
    QGraphicsScene *m_scene;
    std::vector<NodeItem *> m_nodes; // index = GraphData::nodes index
    std::vector<EdgeItem *> m_edges; // index = GraphData::edges index
    std::vector<ClusterItem *> m_clusters;
    // What showSelection last applied, per item, so that a new selection only touches the items
    // whose state changes: node = hops + 1 (0: none), | Dimmed, | Selected; edge = lit.
    enum : int { Dimmed = 1 << 20, Selected = 1 << 21, Unknown = -1 };
    std::vector<int> m_nodeState;
    std::vector<signed char> m_edgeState;
    int m_selectedEdge = -1;
    int m_currentBox = -1;
    bool m_heat = false;
    bool m_syncing = false;
};

} // namespace bulkhead::ui
