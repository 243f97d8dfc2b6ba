#pragma once

#include "l7/pathdecision.h"

#include <QWidget>

#include <optional>

#include <string>
#include <tuple>
#include <vector>

class QLabel;
class QPushButton;
class QTreeWidget;
class QTreeWidgetItem;

namespace bulkhead::ui {

class Document;

// The HTTP path tree of the selected arrow (docs/cilium.md "Path decisions"): one top-level row
// per workload edge and port that saw requests, under it the tree as the Cilium export collapses
// it (segment, methods, requests, distinct paths, whether the node's children were collapsed and
// into which rules.http pattern, the rules.http entries ending there). Collapse here / Split here
// / Remove decision push an undoable command; an arrow without HTTP requests says so.
class PathTreeWidget : public QWidget
{
    Q_OBJECT

public:
    enum Column { Segment, Requests, Paths, Methods, Collapsed, Rules, ColumnCount };
    explicit PathTreeWidget(Document *document, QWidget *parent = nullptr);
    void showEdge(int edge); // GraphData::edges index, -1: none
    QTreeWidget *tree() const { return m_tree; }
    QString note() const;
    // The row of a node ("shop/web", "shop/api", 8080, "/users"), nullptr when not shown.
    QTreeWidgetItem *itemOf(const std::string &from, const std::string &to, uint16_t port,
                            const std::string &nodePath) const;
    // The actions on the selected node; false when none applies (nothing pushed).
    bool collapseSelected();
    bool splitSelected();
    bool removeSelectedDecision();

private:
    using EdgeKey = std::tuple<std::string, std::string, uint16_t>; // from, to, port
    void rebuild();
    void updateButtons();
    bool apply(std::optional<PathAction> action);
    std::optional<PathDecision> selectedNode() const; // action: the decision there, if any

    Document *m_document;
    QLabel *m_note;
    QTreeWidget *m_tree;
    QPushButton *m_collapse;
    QPushButton *m_split;
    QPushButton *m_remove;
    std::vector<EdgeKey> m_edges; // the selected arrow's workload edges on TCP
    bool m_hasArrow = false;
};

} // namespace bulkhead::ui
