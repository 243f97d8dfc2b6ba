#include "views/inspector.h"

#include "dialogs/policytextdialog.h"
#include "document.h"
#include "graph/graphdata.h"
#include "model/model.h"
#include "policy/policywriter.h"
#include "review/blastradius.h"
#include "views/yamlhighlighter.h"

#include <algorithm>

#include <QComboBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QStyle>
#include <QStyledItemDelegate>
#include <QTableWidget>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace bulkhead::ui {

namespace {

QLabel *valueLabel(const QString &name)
{
    auto *label = new QLabel;
    label->setObjectName(name);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

// QScrollArea sizes its widget by the widget's size hint, computed for the hint's width: in a
// narrower dock wrapped labels then get too little height and are cut. This keeps the widget's
// minimum height at its layout's height for the width it really has.
class HeightForWidth : public QObject
{
public:
    HeightForWidth(QScrollArea *area)
        : QObject(area)
        , m_area(area)
    {
        area->viewport()->installEventFilter(this);
    }
    void update() const
    {
        QWidget *widget = m_area->widget();
        if (!widget || !widget->layout())
            return;
        const int width = m_area->viewport()->width();
        const int height = widget->layout()->hasHeightForWidth()
                               ? widget->layout()->totalHeightForWidth(width)
                               : widget->sizeHint().height();
        widget->setMinimumHeight(height);
    }

protected:
    bool eventFilter(QObject *, QEvent *event) override
    {
        if (event->type() == QEvent::Resize)
            update();
        return false;
    }

private:
    QScrollArea *m_area;
};

// "allow, flagged by RULE" as "allow", "flagged by" and "RULE" on lines of their own; so too
// "deny (zone rule RULE)", "deny (by you)" and "allow (added by you)": the verdict first.
QString decisionLines(const QString &text)
{
    const qsizetype space = text.indexOf(u' ');
    if (space < 0)
        return text;
    QString verdict = text.left(space);
    QString reason = text.mid(space + 1);
    if (verdict.endsWith(u','))
        verdict.chop(1);
    if (reason.startsWith(u'(') && reason.endsWith(u')'))
        reason = reason.mid(1, reason.size() - 2);
    for (const QString &lead : {QStringLiteral("flagged by "), QStringLiteral("zone rule ")})
        if (reason.startsWith(lead))
            reason = lead.trimmed() + QChar::LineSeparator + reason.mid(lead.size());
    return verdict + QChar::LineSeparator + reason;
}

// How the edge table shows its cells in a narrow dock, the items keeping their whole text (and
// tooltip): the direction as an arrow, a peer of the selected workload's namespace by its name.
class EdgeCellDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    QString ns; // of the selected workload

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        if (index.column() == 0)
            option->text
                = option->text == QLatin1String("out") ? QStringLiteral("→") : QStringLiteral("←");
        else if (index.column() == 1 && !ns.isEmpty() && option->text.startsWith(ns + u'/'))
            option->text = option->text.mid(ns.size() + 1);
        // The decision in lines, wrapped in its narrow column where a rule's name is longer;
        // the other cells keep one line, a long peer name elided in the middle.
        if (index.column() == 4) {
            option->text = decisionLines(option->text);
            option->features |= QStyleOptionViewItem::WrapText;
        } else {
            option->features &= ~QStyleOptionViewItem::WrapText;
        }
    }
};

// A push button as wide as its word (a style's 80-pixel minimum would take the Peer's room).
class CompactButton : public QPushButton
{
public:
    using QPushButton::QPushButton;
    QSize sizeHint() const override
    {
        return {fontMetrics().horizontalAdvance(text()) + 20, QPushButton::sizeHint().height()};
    }
    QSize minimumSizeHint() const override { return sizeHint(); }
};

} // namespace

Inspector::Inspector(Document *document, QWidget *parent)
    : QWidget(parent)
    , m_document(document)
    , m_title(valueLabel(QStringLiteral("title")))
    , m_kind(valueLabel(QStringLiteral("kind")))
    , m_zone(valueLabel(QStringLiteral("zone")))
    , m_labels(valueLabel(QStringLiteral("labels")))
    , m_addresses(valueLabel(QStringLiteral("addresses")))
    , m_ports(valueLabel(QStringLiteral("ports")))
    , m_radius(valueLabel(QStringLiteral("radius")))
    , m_edges(new QTableWidget(0, 6))
    , m_yaml(new QPlainTextEdit)
{
    setObjectName(QStringLiteral("inspector"));
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.2);
    m_title->setFont(titleFont);

    auto *form = new QFormLayout;
    form->addRow(tr("Kind"), m_kind);
    m_moveZone = new QComboBox;
    m_moveZone->setObjectName(QStringLiteral("moveZone"));
    m_moveZone->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_moveZone->setToolTip(tr("Move the workload to another zone (undoable)"));
    auto *zoneRow = new QHBoxLayout;
    zoneRow->addWidget(m_zone, 1);
    zoneRow->addWidget(m_moveZone);
    form->addRow(tr("Zone"), zoneRow);
    connect(m_moveZone, &QComboBox::activated, this, [this](int index) {
        if (m_document->selectedWorkload() >= 0)
            m_document->moveWorkload(m_document->selectedWorkload(), m_moveZone->itemText(index));
    });
    form->addRow(tr("Labels"), m_labels);
    form->addRow(tr("Addresses"), m_addresses);
    form->addRow(tr("Ports"), m_ports);
    form->addRow(tr("Blast radius"), m_radius);

    m_edges->setObjectName(QStringLiteral("edges"));
    m_edges->setHorizontalHeaderLabels(
        {QString(), tr("Peer"), tr("Port"), tr("Flows"), tr("Decision"), QString()});
    // Every column fits the dock's width: the Allow/Deny button pinned at the first column, the
    // direction an arrow, a peer of the same namespace by its name (EdgeCellDelegate), the
    // decision in lines (verdict, reason, rule) in a column as wide as "flagged by",
    // each row as high as its decision; Peer takes what is left; the flow count is in the Peer's
    // tooltip (its column is hidden). Every cell's whole text is its tooltip.
    auto *edgeDelegate = new EdgeCellDelegate(m_edges);
    m_edgeDelegate = edgeDelegate;
    m_edges->setItemDelegate(edgeDelegate);
    m_edges->horizontalHeader()->moveSection(5, 0);
    m_edges->horizontalHeader()->setStretchLastSection(false);
    m_edges->horizontalHeader()->setMinimumSectionSize(24);
    for (int c : {0, 2, 5})
        m_edges->horizontalHeader()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    m_edges->horizontalHeader()->setSectionResizeMode(4, QHeaderView::Fixed);
    m_edges->setColumnWidth(4, m_edges->fontMetrics().horizontalAdvance(tr("flagged by"))
                                   + 2 * m_edges->style()->pixelMetric(QStyle::PM_FocusFrameHMargin)
                                   + 8);
    m_edges->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_edges->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_edges->setColumnHidden(3, true);
    m_edges->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_edges->setTextElideMode(Qt::ElideMiddle);
    m_edges->setWordWrap(true); // (the decision column only: EdgeCellDelegate)
    m_edges->setMinimumHeight(110);
    m_edges->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_edges, &QWidget::customContextMenuRequested, this, [this](const QPoint &pos) {
        const int row = m_edges->rowAt(pos.y());
        auto *button
            = row >= 0 ? qobject_cast<QPushButton *>(m_edges->cellWidget(row, 5)) : nullptr;
        if (!button)
            return;
        QMenu menu(this);
        QAction *action = menu.addAction(button->text(), button, &QPushButton::click);
        action->setEnabled(button->isEnabled());
        if (!button->isEnabled())
            menu.addAction(button->toolTip())->setEnabled(false);
        menu.exec(m_edges->viewport()->mapToGlobal(pos));
    });
    m_edges->verticalHeader()->hide();
    m_edges->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_edges->setSelectionBehavior(QAbstractItemView::SelectRows);

    m_yaml->setObjectName(QStringLiteral("policyYaml"));
    m_yaml->setReadOnly(true);
    m_yaml->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_yaml->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    new YamlHighlighter(m_yaml->document());

    // The fields scroll rather than being cut; the YAML pane gets a button that opens it in a
    // window of its own, and the splitter lets either part grow.
    auto *top = new QWidget;
    auto *topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->addWidget(m_title);
    topLayout->addLayout(form);
    topLayout->addStretch(1);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setRowWrapPolicy(QFormLayout::DontWrapRows);
    auto *topScroll = new QScrollArea;
    topScroll->setObjectName(QStringLiteral("fieldsScroll"));
    topScroll->setWidget(top);
    topScroll->setWidgetResizable(true);
    topScroll->setFrameShape(QFrame::NoFrame);
    topScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    auto *fitHeight = new HeightForWidth(topScroll);
    auto *yamlPane = new QWidget;
    auto *yamlLayout = new QVBoxLayout(yamlPane);
    yamlLayout->setContentsMargins(0, 0, 0, 0);
    auto *yamlBar = new QHBoxLayout;
    yamlBar->addWidget(new QLabel(tr("<b>Policies selecting it</b> (its own first)")), 1);
    auto *detach = new QToolButton;
    detach->setObjectName(QStringLiteral("detachYaml"));
    detach->setText(tr("Open in Window"));
    detach->setToolTip(tr("Show the policy YAML in a window of its own, as large as you like"));
    yamlBar->addWidget(detach);
    yamlLayout->addLayout(yamlBar);
    yamlLayout->addWidget(m_yaml, 1);
    connect(detach, &QToolButton::clicked, this, [this] {
        auto *dialog
            = new PolicyTextDialog(m_title->text(), m_yaml->toPlainText(), m_yaml->font(), this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->show();
    });
    auto *splitter = new QSplitter(Qt::Vertical);
    splitter->setObjectName(QStringLiteral("inspectorSplitter"));
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(topScroll);
    splitter->addWidget(m_edges);
    splitter->addWidget(yamlPane);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setStretchFactor(2, 3);
    splitter->setSizes({320, 200, 280}); // shares of the height, fields first
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(splitter);

    // After each refresh the texts have changed: their height too.
    connect(m_document, &Document::selectionChanged, this, [fitHeight] {
        QTimer::singleShot(0, fitHeight, [fitHeight] { fitHeight->update(); });
    });
    connect(m_document, &Document::designChanged, this, [fitHeight] {
        QTimer::singleShot(0, fitHeight, [fitHeight] { fitHeight->update(); });
    });
    connect(m_document, &Document::selectionChanged, this, &Inspector::refresh);
    connect(m_document, &Document::modelChanged, this, &Inspector::refresh);
    connect(m_document, &Document::radiusPolicyChanged, this, &Inspector::refresh);
    connect(m_document, &Document::designChanged, this, &Inspector::refresh);
    refresh();
}

QString Inspector::titleText() const
{
    return m_title->text();
}
QString Inspector::labelsText() const
{
    return m_labels->text();
}
QString Inspector::addressesText() const
{
    return m_addresses->text();
}
QString Inspector::portsText() const
{
    return m_ports->text();
}
QString Inspector::zoneText() const
{
    return m_zone->text();
}
QString Inspector::radiusText() const
{
    return m_radius->text();
}
QString Inspector::policyYaml() const
{
    return m_yaml->toPlainText();
}

void Inspector::refresh()
{
    const int selected = m_document->selectedWorkload();
    m_edges->setRowCount(0);
    if (!m_document->hasModel() || selected < 0) {
        m_title->setText(tr("Select a workload in the graph or the table."));
        for (QLabel *label : {m_kind, m_zone, m_labels, m_addresses, m_ports, m_radius})
            label->clear();
        m_yaml->clear();
        m_moveZone->clear();
        m_moveZone->setEnabled(false);
        return;
    }
    const Model &model = m_document->model();
    const Workload &w = model.inventory.workloads[selected];
    m_title->setText(QString::fromStdString(w.id()));
    m_kind->setText(QString::fromStdString(w.kind));
    m_zone->setText(QString::fromStdString(w.zone));
    m_moveZone->clear();
    for (const ZoneLevel &level : model.zones.levels)
        m_moveZone->addItem(QString::fromStdString(level.name));
    m_moveZone->setCurrentText(QString::fromStdString(w.zone));
    m_moveZone->setEnabled(true);

    QStringList labels;
    for (const auto &[key, value] : w.labels)
        labels << QString::fromStdString(key + '=' + value);
    m_labels->setText(labels.join('\n'));
    QStringList addresses;
    for (const IpAddress &address : w.addresses())
        addresses << QString::fromStdString(address.toString());
    m_addresses->setText(addresses.join('\n'));
    QStringList ports;
    for (const ContainerPort &port : w.ports)
        ports << QStringLiteral("%1/%2%3")
                     .arg(QString::fromUtf8(protocolName(port.protocol).data()))
                     .arg(port.port)
                     .arg(port.name.empty()
                              ? QString()
                              : QStringLiteral(" (%1)").arg(QString::fromStdString(port.name)));
    m_ports->setText(ports.join('\n'));

    const BlastRadius radius = m_document->blastRadius(selected, ReachBasis::Design);
    const int total = std::max(1, static_cast<int>(model.inventory.workloads.size()) - 1);
    m_radius->setText(tr("reaches %1 of %2 workloads (%3%), %4 directly; highest zone %5; "
                         "reached by %6; no policy: %7")
                          .arg(radius.reach.size())
                          .arg(total)
                          .arg(qRound(100.0 * radius.reach.size() / total))
                          .arg(radius.direct.size())
                          .arg(radius.highestZone.empty()
                                   ? tr("none")
                                   : QString::fromStdString(radius.highestZone))
                          .arg(radius.reachedBy.size())
                          .arg(radius.baseline));
    // The internet as a peer: directly, or through a workload it reaches, under the design and
    // under the radius choice when that is another (the Review panel's policies, no policy).
    const auto internetText = [&](ReachBasis policy) {
        const auto exposure = m_document->internetExposure(policy);
        if (std::binary_search(exposure->direct.begin(), exposure->direct.end(), selected))
            return tr("reachable from the internet directly");
        if (std::binary_search(exposure->reach.begin(), exposure->reach.end(), selected))
            return tr("reachable from the internet through workloads it reaches");
        return tr("not reachable from the internet");
    };
    QString internet = internetText(ReachBasis::Design) + tr(" (design)");
    if (m_document->radiusPolicy() == ReachBasis::Loaded && m_document->hasLoadedPolicyReach())
        internet
            += QStringLiteral("; ") + internetText(ReachBasis::Loaded) + tr(" (loaded policies)");
    m_radius->setText(m_radius->text() + u'\n' + internet);

    // Zone findings of the intent, by edge.
    const Intent &intent = m_document->intent();
    // (compared as edges: naming every finding's edge would cost more than the rest together)
    const auto findingOf = [&](const Edge &edge) -> const ZoneFinding * {
        for (const auto *list : {&intent.blocked, &intent.flagged})
            for (const ZoneFinding &finding : *list)
                if (finding.edge.from == edge.from && finding.edge.to == edge.to
                    && finding.edge.protocol == edge.protocol && finding.edge.port == edge.port)
                    return &finding;
        return nullptr;
    };
    const Peer self = Peer::workload(selected);
    static_cast<EdgeCellDelegate *>(m_edgeDelegate)->ns
        = QString::fromStdString(m_document->model().inventory.workloads.at(selected).ns);
    // Every edge of the workload, whatever level the graph shows (a zone view folds some away).
    std::vector<const std::vector<Edge> *> memberLists;
    if (const GraphModel *full = m_document->fullGraph())
        for (const GraphModelEdge &arrow : full->edges)
            memberLists.push_back(&arrow.members);
    else
        for (const GraphEdge &arrow : m_document->graph().edges)
            memberLists.push_back(&arrow.members);
    for (const std::vector<Edge> *members : memberLists) {
        for (const Edge &edge : *members) {
            const bool out = edge.from == self;
            const bool in = edge.to == self;
            if (!out && !in)
                continue;
            const EdgeRef ref = m_document->edgeRefOf(edge);
            const bool allowed = m_document->isAllowed(ref);
            const auto &denied = m_document->decisions().denied;
            const auto &added = m_document->decisions().added;
            QString decision = allowed ? tr("allow") : tr("deny");
            if (std::find(denied.begin(), denied.end(), ref) != denied.end())
                decision = tr("deny (by you)");
            else if (const ZoneFinding *finding = findingOf(edge))
                decision
                    = finding->action == ZoneRule::Action::Block
                          ? tr("deny (zone rule %1)").arg(QString::fromStdString(finding->rule))
                          : tr("allow, flagged by %1").arg(QString::fromStdString(finding->rule));
            else if (std::find(added.begin(), added.end(), ref) != added.end())
                decision = tr("allow (added by you)");
            const int row = m_edges->rowCount();
            m_edges->insertRow(row);
            const QStringList cells{out ? tr("out") : tr("in"),
                                    QString::fromStdString(out ? ref.to : ref.from),
                                    QString::fromStdString(portLabel(edge)),
                                    QString::number(edge.evidence.flows), decision};
            for (int c = 0; c < cells.size(); ++c) {
                auto *item = new QTableWidgetItem(cells[c]);
                item->setToolTip(
                    c == 1 ? tr("%1 (%n flow(s))", nullptr, edge.evidence.flows).arg(cells[c])
                           : cells[c]);
                m_edges->setItem(row, c, item);
            }
            auto *button = new CompactButton(allowed ? tr("Deny") : tr("Allow"));
            button->setObjectName(QStringLiteral("decide-%1").arg(row));
            const bool blockedByRule = !allowed && decision.startsWith(tr("deny (zone rule"));
            button->setEnabled(!blockedByRule);
            if (blockedByRule) {
                const ZoneFinding *finding = findingOf(edge);
                button->setToolTip(
                    tr("Blocked by zone rule %1: move a workload to another zone, or "
                       "change the rule in zones.yaml.")
                        .arg(finding ? QString::fromStdString(finding->rule) : QString()));
            } else {
                button->setToolTip(allowed ? tr("Deny this edge (undoable)")
                                           : tr("Allow this edge (undoable)"));
            }
            connect(button, &QPushButton::clicked, this, [this, ref, allowed] {
                if (allowed)
                    m_document->denyEdge(ref);
                else
                    m_document->allowEdge(ref);
            });
            m_edges->setCellWidget(row, 5, button);
        }
    }
    // Its own policies first, the namespace's default-deny (an empty pod selector) after them.
    std::vector<NetworkPolicy> own, general;
    for (const NetworkPolicy *policy : m_document->policiesOf(selected))
        (policy->podSelector.isEmpty() ? general : own).push_back(*policy);
    own.insert(own.end(), general.begin(), general.end());
    m_yaml->setPlainText(QString::fromStdString(writePoliciesYaml(own)));
}

} // namespace bulkhead::ui
