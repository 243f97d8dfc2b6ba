#include "views/pathtreewidget.h"

#include "document.h"
#include "model/model.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QTreeWidget>
#include <QTreeWidgetItemIterator>
#include <QVBoxLayout>

#include <algorithm>
#include <set>

namespace bulkhead::ui {

namespace {

// Item data: the node a row stands for.
constexpr int FromRole = Qt::UserRole;
constexpr int ToRole = Qt::UserRole + 1;
constexpr int PortRole = Qt::UserRole + 2;
constexpr int NodeRole = Qt::UserRole + 3; // empty on an edge's top-level row

const QColor kCollapsedBackground(255, 236, 196); // amber: children merged into [^/]+
const QColor kSplitBackground(214, 232, 255);     // blue: kept apart by a decision

QString joined(const std::set<std::string> &values)
{
    QStringList out;
    for (const std::string &v : values)
        out << QString::fromStdString(v);
    return out.join(QStringLiteral(", "));
}

} // namespace

PathTreeWidget::PathTreeWidget(Document *document, QWidget *parent)
    : QWidget(parent)
    , m_document(document)
    , m_note(new QLabel)
    , m_tree(new QTreeWidget)
    , m_collapse(new QPushButton(tr("Collapse here")))
    , m_split(new QPushButton(tr("Split here")))
    , m_remove(new QPushButton(tr("Remove decision")))
{
    setObjectName(QStringLiteral("pathTree"));
    m_note->setObjectName(QStringLiteral("pathTreeNote"));
    m_note->setWordWrap(true);
    m_note->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_tree->setObjectName(QStringLiteral("pathTreeView"));
    m_tree->setColumnCount(ColumnCount);
    m_tree->setHeaderLabels({tr("Path segment"), tr("Requests"), tr("Paths"), tr("Methods"),
                             tr("Children"), tr("rules.http")});
    m_tree->headerItem()->setToolTip(Requests, tr("Requests seen at or below this node"));
    m_tree->headerItem()->setToolTip(Paths, tr("Distinct paths seen at or below this node"));
    m_tree->headerItem()->setToolTip(
        Collapsed, tr("Whether this node's children were merged into one [^/]+, and why"));
    m_tree->headerItem()->setToolTip(
        Rules, tr("The rules.http entries (method, path pattern) of paths ending here"));
    m_tree->setSelectionMode(QAbstractItemView::SingleSelection);
    m_tree->setUniformRowHeights(true);
    m_tree->setContextMenuPolicy(Qt::CustomContextMenu);
    m_tree->header()->setStretchLastSection(true);
    m_collapse->setObjectName(QStringLiteral("collapseHere"));
    m_collapse->setToolTip(
        tr("Merge this node's children into one [^/]+ (one path segment, never '/'), "
           "whatever the threshold (undoable, saved with the project)"));
    m_split->setObjectName(QStringLiteral("splitHere"));
    m_split->setToolTip(
        tr("Keep this node's children apart, whatever the threshold: the rules list "
           "each observed path (undoable, saved with the project)"));
    m_remove->setObjectName(QStringLiteral("removePathDecision"));
    m_remove->setToolTip(tr("Take this node's decision back: the threshold decides again"));

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_collapse);
    buttons->addWidget(m_split);
    buttons->addWidget(m_remove);
    buttons->addStretch(1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_note);
    layout->addWidget(m_tree, 1);
    layout->addLayout(buttons);

    connect(m_collapse, &QPushButton::clicked, this, [this] { collapseSelected(); });
    connect(m_split, &QPushButton::clicked, this, [this] { splitSelected(); });
    connect(m_remove, &QPushButton::clicked, this, [this] { removeSelectedDecision(); });
    connect(m_tree, &QTreeWidget::itemSelectionChanged, this, &PathTreeWidget::updateButtons);
    connect(m_tree, &QTreeWidget::customContextMenuRequested, this, [this](const QPoint &pos) {
        QTreeWidgetItem *item = m_tree->itemAt(pos);
        if (!item)
            return;
        m_tree->setCurrentItem(item);
        QMenu menu(this);
        QAction *collapse
            = menu.addAction(m_collapse->text(), this, [this] { collapseSelected(); });
        collapse->setEnabled(m_collapse->isEnabled());
        QAction *split = menu.addAction(m_split->text(), this, [this] { splitSelected(); });
        split->setEnabled(m_split->isEnabled());
        QAction *remove
            = menu.addAction(m_remove->text(), this, [this] { removeSelectedDecision(); });
        remove->setEnabled(m_remove->isEnabled());
        menu.exec(m_tree->viewport()->mapToGlobal(pos));
    });
    connect(m_document, &Document::modelChanged, this, [this] { showEdge(-1); });
    connect(m_document, &Document::designChanged, this, &PathTreeWidget::rebuild);
    showEdge(-1);
}

QString PathTreeWidget::note() const
{
    return m_note->text();
}

void PathTreeWidget::showEdge(int index)
{
    m_edges.clear();
    const GraphData &graph = m_document->graph();
    m_hasArrow
        = m_document->hasModel() && index >= 0 && index < static_cast<int>(graph.edges.size());
    if (m_hasArrow) {
        const Inventory &inv = m_document->model().inventory;
        std::set<EdgeKey> keys;
        for (const Edge &e : graph.edges[static_cast<size_t>(index)].members) {
            if (e.from.isWorkload() && e.to.isWorkload() && e.protocol == Protocol::TCP)
                keys.insert({inv.workloads[static_cast<size_t>(e.from.index)].id(),
                             inv.workloads[static_cast<size_t>(e.to.index)].id(), e.port});
        }
        m_edges.assign(keys.begin(), keys.end());
    }
    rebuild();
}

QTreeWidgetItem *PathTreeWidget::itemOf(const std::string &from, const std::string &to,
                                        uint16_t port, const std::string &nodePath) const
{
    for (int t = 0; t < m_tree->topLevelItemCount(); ++t) {
        QTreeWidgetItem *top = m_tree->topLevelItem(t);
        if (top->data(0, FromRole).toString().toStdString() != from
            || top->data(0, ToRole).toString().toStdString() != to
            || top->data(0, PortRole).toInt() != port)
            continue;
        std::vector<QTreeWidgetItem *> stack{top};
        while (!stack.empty()) {
            QTreeWidgetItem *item = stack.back();
            stack.pop_back();
            if (item->data(0, NodeRole).toString().toStdString() == nodePath && item != top)
                return item;
            for (int c = 0; c < item->childCount(); ++c)
                stack.push_back(item->child(c));
        }
    }
    return nullptr;
}

void PathTreeWidget::rebuild()
{
    // Keep the selected node selected across a change of decisions.
    const std::optional<PathDecision> selected = selectedNode();
    m_tree->clear();
    if (!m_hasArrow) {
        m_note->setText(tr("Click an arrow in the graph to see the HTTP paths seen on it."));
        updateButtons();
        return;
    }
    int shown = 0;
    const QString thresholdText
        = tr("threshold: more than %1 values").arg(m_document->pathCollapse());
    for (const auto &[from, to, port] : m_edges) {
        const PathTree paths = m_document->pathTreeOf(from, to, port);
        if (paths.nodes.empty())
            continue;
        ++shown;
        auto *top = new QTreeWidgetItem(m_tree);
        top->setText(Segment, tr("%1 → %2 · TCP/%3")
                                  .arg(QString::fromStdString(from), QString::fromStdString(to))
                                  .arg(port));
        QFont bold = top->font(Segment);
        bold.setBold(true);
        top->setFont(Segment, bold);
        top->setFirstColumnSpanned(true); // the edge over the whole row; its totals are on "/"
        top->setData(0, FromRole, QString::fromStdString(from));
        top->setData(0, ToRole, QString::fromStdString(to));
        top->setData(0, PortRole, port);
        std::vector<QTreeWidgetItem *> items(paths.nodes.size(), nullptr);
        for (size_t i = 0; i < paths.nodes.size(); ++i) { // parents come before their children
            const PathTreeNode &n = paths.nodes[i];
            QTreeWidgetItem *parent = n.parent < 0 ? top : items[static_cast<size_t>(n.parent)];
            auto *item = new QTreeWidgetItem;
            items[i] = item;
            item->setText(Segment, QString::fromStdString(n.segment));
            item->setText(Methods, joined(n.methods));
            item->setText(Requests, QString::number(n.requests));
            item->setText(Paths, QString::number(n.paths));
            QStringList rules;
            for (const std::string &r : n.rules)
                rules << QString::fromStdString(r);
            item->setText(Rules, rules.join(QStringLiteral("; ")));
            item->setToolTip(Rules, rules.join(QLatin1Char('\n')));
            item->setData(0, FromRole, QString::fromStdString(from));
            item->setData(0, ToRole, QString::fromStdString(to));
            item->setData(0, PortRole, port);
            item->setData(0, NodeRole, QString::fromStdString(n.nodePath));
            const QString wildcard
                = QString::fromStdString(n.pattern == "/" ? std::string() : n.pattern)
                  + QStringLiteral("/[^/]+");
            if (n.collapsed != PathTreeNode::Collapse::None) {
                const bool decided = n.collapsed == PathTreeNode::Collapse::Decision;
                item->setText(Collapsed, decided ? tr("→ %1 · decision").arg(wildcard)
                                                 : tr("→ %1 · threshold").arg(wildcard));
                item->setToolTip(
                    Collapsed, decided ? tr("Collapsed into %1 by your decision").arg(wildcard)
                                       : tr("Collapsed into %1 (%2)").arg(wildcard, thresholdText));
                for (int c = 0; c < ColumnCount; ++c)
                    item->setBackground(c, kCollapsedBackground);
            } else if (n.split) {
                item->setText(Collapsed, tr("kept apart · decision"));
                item->setToolTip(Collapsed,
                                 tr("Never collapsed, whatever the threshold: your decision"));
                for (int c = 0; c < ColumnCount; ++c)
                    item->setBackground(c, kSplitBackground);
            }
            item->setToolTip(Segment, QString::fromStdString(n.nodePath));
            if (n.segment == "[^/]+") {
                QFont f = item->font(Segment);
                f.setBold(true);
                item->setFont(Segment, f);
                item->setToolTip(Segment,
                                 tr("Any one path segment (never '/'): the children merged here"));
            }
            parent->addChild(item);
        }
        for (QTreeWidgetItem *item : items) {
            const PathDecision d{
                from, to, port, item->data(0, NodeRole).toString().toStdString(), {}};
            if (selected && selected->sameNode(d))
                m_tree->setCurrentItem(item);
        }
    }
    m_tree->expandAll();
    // Column widths from the node rows only (the spanned edge rows would widen the first column).
    const QFontMetrics metrics(m_tree->font());
    std::vector<int> widths(ColumnCount, 0);
    for (int c = 0; c < ColumnCount; ++c)
        widths[static_cast<size_t>(c)]
            = metrics.horizontalAdvance(m_tree->headerItem()->text(c)) + 16;
    for (QTreeWidgetItemIterator it(m_tree); *it; ++it) {
        if ((*it)->parent() == nullptr)
            continue;
        int depth = 0;
        for (const QTreeWidgetItem *p = *it; p->parent(); p = p->parent())
            ++depth;
        QFont font = (*it)->font(Segment);
        widths[Segment]
            = std::max(widths[Segment], QFontMetrics(font).horizontalAdvance((*it)->text(Segment))
                                            + (depth + 1) * m_tree->indentation() + 8);
        for (int c = Requests; c < Rules; ++c)
            widths[static_cast<size_t>(c)] = std::max(
                widths[static_cast<size_t>(c)], metrics.horizontalAdvance((*it)->text(c)) + 16);
    }
    for (int c = 0; c < Rules; ++c)
        m_tree->setColumnWidth(c, widths[static_cast<size_t>(c)]);
    if (shown == 0)
        m_note->setText(tr("No HTTP requests seen on this arrow; TLS traffic carries no paths."));
    else
        m_note->setText(tr("HTTP paths as the CiliumNetworkPolicy export collapses them (%1). "
                           "Amber: children merged into [^/]+; blue: kept apart by your decision.")
                            .arg(thresholdText));
    updateButtons();
}

std::optional<PathDecision> PathTreeWidget::selectedNode() const
{
    const QTreeWidgetItem *item = m_tree->currentItem();
    if (!item || !item->isSelected() || item->data(0, NodeRole).toString().isEmpty())
        return std::nullopt;
    PathDecision d{item->data(0, FromRole).toString().toStdString(),
                   item->data(0, ToRole).toString().toStdString(),
                   static_cast<uint16_t>(item->data(0, PortRole).toInt()),
                   item->data(0, NodeRole).toString().toStdString(), PathAction::Collapse};
    return d;
}

void PathTreeWidget::updateButtons()
{
    const std::optional<PathDecision> node = selectedNode();
    std::optional<PathAction> existing;
    if (node) {
        for (const PathDecision &d : m_document->decisions().paths)
            if (d.sameNode(*node))
                existing = d.action;
    }
    const QTreeWidgetItem *item = m_tree->currentItem();
    const bool hasChildren = item && item->childCount() > 0;
    m_collapse->setEnabled(node && hasChildren && existing != PathAction::Collapse);
    m_split->setEnabled(node && hasChildren && existing != PathAction::Split);
    m_remove->setEnabled(node && existing.has_value());
}

bool PathTreeWidget::apply(std::optional<PathAction> action)
{
    const std::optional<PathDecision> node = selectedNode();
    if (!node)
        return false;
    return m_document->setPathDecision(*node, action);
}

bool PathTreeWidget::collapseSelected()
{
    return m_collapse->isEnabled() && apply(PathAction::Collapse);
}

bool PathTreeWidget::splitSelected()
{
    return m_split->isEnabled() && apply(PathAction::Split);
}

bool PathTreeWidget::removeSelectedDecision()
{
    return m_remove->isEnabled() && apply(std::nullopt);
}

} // namespace bulkhead::ui
