#include "docks/reviewpanel.h"

#include "analysis/pipeline.h"
#include "design/decisionnetworks.h"
#include "document.h"
#include "policy/policyloader.h"
#include "project/project.h"
#include "review/blastradius.h"
#include "review/evaluator.h"
#include "review/policyreach.h"

#include <QFileDialog>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QtConcurrent>

namespace bulkhead::ui {

namespace {

// Everything the panel shows, from copies: runs on any thread.
std::shared_ptr<const PolicyReview> computeReview(std::shared_ptr<Model> model,
                                                  std::vector<NetworkPolicy> policies,
                                                  std::vector<NetworkPolicy> designPolicies,
                                                  std::vector<Edge> designEdges)
{
    auto review = std::make_shared<PolicyReview>();
    const int world = ensureWorldNetwork(model->inventory);
    const Inventory &inventory = model->inventory;
    const PolicyEvaluator current(inventory, policies);
    review->selection = policySelection(current);
    if (review->selection.noneSelects())
        review->noneSelects = noneSelectsMessage(current);
    review->check = checkPolicies(inventory, model->analysis, current);
    review->excessByWorkload = summariseExcess(review->check.excess);
    const PolicyEvaluator design(inventory, designPolicies);
    review->comparison = comparePolicies(inventory, model->analysis, current, design, designEdges);
    review->internetNow = computeInternetExposure(
        inventory, model->zones, reachFromPolicies(inventory, model->analysis, policies),
        internetDirectFromPolicies(inventory, model->analysis, current, world));
    review->internetDesign
        = computeInternetExposure(inventory, model->zones, reachFromEdges(inventory, designEdges),
                                  internetDirectFromEdges(inventory, designEdges));
    review->policies = std::move(policies);
    review->model = std::move(model);
    return review;
}

QTableWidget *makeTable(const QString &name, const QStringList &headers)
{
    auto *table = new QTableWidget(0, static_cast<int>(headers.size()));
    table->setObjectName(name);
    table->setHorizontalHeaderLabels(headers);
    table->horizontalHeader()->setStretchLastSection(true);
    table->verticalHeader()->hide();
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setSelectionMode(QAbstractItemView::SingleSelection);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setWordWrap(false);
    return table;
}

void setRow(QTableWidget *table, int row, const QStringList &cells, int workload)
{
    for (int c = 0; c < cells.size(); ++c) {
        auto *item = new QTableWidgetItem(cells[c]);
        item->setToolTip(cells[c]);
        item->setData(Qt::UserRole, workload);
        table->setItem(row, c, item);
    }
}

QString name(const Inventory &inventory, const Peer &peer)
{
    return QString::fromStdString(peerName(inventory, peer));
}

QString portText(Protocol protocol, uint16_t port)
{
    return QString::fromLatin1(protocolName(protocol).data(), protocolName(protocol).size()) + u'/'
           + QString::number(port);
}

} // namespace

ReviewPanel::ReviewPanel(Document *document, QWidget *parent)
    : QWidget(parent), m_document(document)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    auto *row = new QHBoxLayout;
    m_open = new QPushButton(tr("Open Policies…"));
    m_open->setObjectName(QStringLiteral("openPolicies"));
    m_open->setToolTip(tr("The NetworkPolicies the cluster enforces: kubectl get networkpolicy -A "
                          "-o yaml, or manifests"));
    row->addWidget(m_open);
    row->addWidget(new QLabel(tr("Namespace of policies naming none:")));
    m_namespace = new QLineEdit(QStringLiteral("default"));
    m_namespace->setObjectName(QStringLiteral("policyNamespace"));
    m_namespace->setToolTip(tr("Where `kubectl apply -n` would put policies without "
                               "metadata.namespace (applied again when changed)"));
    m_namespace->setMaximumWidth(160);
    row->addWidget(m_namespace);
    m_compareButton = new QPushButton(tr("Compare with Design"));
    m_compareButton->setObjectName(QStringLiteral("comparePolicies"));
    m_compareButton->setToolTip(tr("What applying the design instead would newly block and newly allow"));
    row->addWidget(m_compareButton);
    m_close = new QPushButton(tr("Close"));
    m_close->setObjectName(QStringLiteral("closePolicies"));
    row->addWidget(m_close);
    row->addStretch(1);
    layout->addLayout(row);
    m_summary = new QLabel;
    m_summary->setObjectName(QStringLiteral("reviewSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_summary);

    m_tabs = new QTabWidget;
    m_breaks = makeTable(QStringLiteral("breaksTable"),
                         {tr("From"), tr("To"), tr("Port"), tr("Flows"), tr("Side"), tr("Deciding policy and rule")});
    m_excess = makeTable(QStringLiteral("excessTable"),
                         {tr("Workload"), tr("Excess"), tr("Sources"), tr("Allowed by")});
    m_compare = makeTable(QStringLiteral("compareTable"),
                          {tr("Change"), tr("From"), tr("To"), tr("Port"), tr("Observed")});
    m_warnings = makeTable(QStringLiteral("policyWarningsTable"), {tr("Policy"), tr("Warning")});
    m_tabs->addTab(m_breaks, tr("Breaks"));
    m_tabs->addTab(m_excess, tr("Excess by workload"));
    m_tabs->addTab(m_compare, tr("Compare"));
    m_tabs->addTab(m_warnings, tr("Warnings"));
    layout->addWidget(m_tabs, 1);

    for (QTableWidget *table : {m_breaks, m_excess, m_compare}) {
        connect(table, &QTableWidget::itemSelectionChanged, this, [this, table] {
            const QList<QTableWidgetItem *> items = table->selectedItems();
            if (!items.isEmpty() && m_review && m_review->model.get()
                && m_document->hasModel()) {
                const int w = items.first()->data(Qt::UserRole).toInt();
                if (w >= 0 && w < static_cast<int>(m_document->model().inventory.workloads.size()))
                    m_document->selectWorkload(w);
            }
        });
    }
    connect(m_open, &QPushButton::clicked, this, &ReviewPanel::chooseFiles);
    connect(m_close, &QPushButton::clicked, this, &ReviewPanel::closePolicies);
    connect(m_compareButton, &QPushButton::clicked, this, &ReviewPanel::showComparison);
    connect(m_namespace, &QLineEdit::editingFinished, this, [this] {
        if (hasPolicies() && m_namespace->text().trimmed() != m_defaultNamespace)
            openPolicies(m_files, m_namespace->text().trimmed());
    });
    // The comparison and the design's exposure follow the design; a new model, everything.
    connect(m_document, &Document::designChanged, this, [this] {
        if (hasPolicies())
            startReview();
    });
    // A new model: the policies its project names (`policies:`), or those open, reviewed again.
    connect(m_document, &Document::modelChanged, this, [this] {
        const Project &project = m_document->project();
        QStringList files;
        for (const std::string &file : project.policies)
            files << QString::fromStdString(file);
        const QString ns = QString::fromStdString(project.policiesNamespace);
        if (files.isEmpty() && hasPolicies())
            closePolicies();
        else if (!files.isEmpty() && (files != m_files || ns != m_defaultNamespace))
            openPolicies(files, ns);
        else if (hasPolicies())
            startReview();
        else
            fillTables(); // the internet-facing hints of the new model
    });
    fillTables();
}

void ReviewPanel::chooseFiles()
{
    const QStringList files = QFileDialog::getOpenFileNames(
        this, tr("Open Policies"), QString(), tr("NetworkPolicy YAML (*.yaml *.yml)"));
    if (!files.isEmpty())
        openPolicies(files, m_namespace->text().trimmed());
}

bool ReviewPanel::openPolicies(const QStringList &files, const QString &defaultNamespace)
{
    if (!m_document->hasModel()) {
        emit failed(tr("Open a model first: policies are reviewed against its workloads and traffic."));
        return false;
    }
    std::vector<std::string> paths;
    for (const QString &file : files)
        paths.push_back(file.toStdString());
    auto loaded = loadPolicyFiles(paths);
    if (!loaded) {
        emit failed(QString::fromStdString(loaded.error().toString()));
        return false;
    }
    const QString ns = defaultNamespace.isEmpty() ? QStringLiteral("default") : defaultNamespace;
    for (NetworkPolicy &policy : *loaded) {
        if (!policy.namespaceGiven)
            policy.ns = ns.toStdString();
    }
    m_files = files;
    m_defaultNamespace = ns;
    m_namespace->setText(ns);
    m_policies = std::move(*loaded);
    m_document->setReviewPolicies(files, ns);
    m_review.reset();
    startReview();
    fillTables();
    return true;
}

void ReviewPanel::closePolicies()
{
    m_files.clear();
    m_policies.clear();
    m_document->setReviewPolicies({}, {});
    m_review.reset();
    ++m_serial;
    fillTables();
}

void ReviewPanel::showComparison()
{
    m_tabs->setCurrentWidget(m_compare);
}

void ReviewPanel::startReview()
{
    if (!m_document->hasModel() || m_files.isEmpty())
        return;
    const int serial = ++m_serial;
    ++m_running;
    auto model = std::make_shared<Model>(m_document->model());
    auto *watcher = new QFutureWatcher<std::shared_ptr<const PolicyReview>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, serial] {
        watcher->deleteLater();
        --m_running;
        if (serial == m_serial)
            apply(watcher->result());
    });
    watcher->setFuture(QtConcurrent::run(computeReview, std::move(model), m_policies,
                                         m_document->generated().policies, m_document->intent().edges));
}

void ReviewPanel::apply(std::shared_ptr<const PolicyReview> review)
{
    m_review = std::move(review);
    fillTables();
    if (!m_review->noneSelects.empty())
        emit failed(QString::fromStdString(m_review->noneSelects));
    emit reviewed();
}

QString ReviewPanel::hintsText() const
{
    if (!m_document->hasModel())
        return {};
    const Inventory &inventory = m_document->model().inventory;
    QStringList hints;
    for (const auto &[w, why] : internetFacingHints(inventory)) {
        hints << tr("%1 (%2)").arg(QString::fromStdString(inventory.workloads[static_cast<size_t>(w)].id()),
                                   QString::fromStdString(why));
    }
    if (hints.isEmpty())
        return {};
    return tr("Likely internet-facing: %1. A hint, not an allowance: add an edge from world if the "
              "internet does reach it.")
        .arg(hints.join(QStringLiteral("; ")));
}

QString ReviewPanel::summaryText() const
{
    const QString hints = hintsText();
    const QString text = reviewText();
    return hints.isEmpty() ? text : text + u'\n' + hints;
}

QString ReviewPanel::reviewText() const
{
    if (m_files.isEmpty())
        return tr("No policies open. Open the cluster's policies to see what they break, what they "
                  "allow beyond the traffic, and what the design would change.");
    if (!m_review)
        return tr("Reviewing %1 policies…").arg(m_policies.size());
    const PolicyReview &r = *m_review;
    if (!r.noneSelects.empty())
        return tr("None of the %1 policies selects a workload: %2.")
            .arg(r.policies.size())
            .arg(QString::fromStdString(r.noneSelects));
    QString text = tr("%1 policies (%2 select workloads): %3 observed edge(s) broken, %4 excess "
                      "allowance(s) on %5 workload(s).")
                       .arg(r.policies.size())
                       .arg(r.selection.selecting)
                       .arg(r.check.breaks.size())
                       .arg(r.check.excess.size())
                       .arg(r.excessByWorkload.size());
    text += u' '
            + tr("Internet reaches %1 workload(s) under them (%2 directly), %3 (%4 directly) under "
                 "the design.")
                  .arg(r.internetNow.reach.size())
                  .arg(r.internetNow.direct.size())
                  .arg(r.internetDesign.reach.size())
                  .arg(r.internetDesign.direct.size());
    text += u' '
            + tr("The design would newly block %1 and newly allow %2.")
                  .arg(r.comparison.newlyBlocked.size())
                  .arg(r.comparison.newlyAllowed.size());
    return text;
}

void ReviewPanel::fillTables()
{
    m_compareButton->setEnabled(!m_files.isEmpty());
    m_close->setEnabled(!m_files.isEmpty());
    m_summary->setText(summaryText());
    for (QTableWidget *table : {m_breaks, m_excess, m_compare, m_warnings})
        table->setRowCount(0);
    if (!m_review)
        return;
    const PolicyReview &r = *m_review;
    const Inventory &inv = r.model->inventory;
    const auto workloadOf = [](const Peer &a, const Peer &b) {
        return b.isWorkload() ? b.index : a.isWorkload() ? a.index : -1;
    };

    m_breaks->setRowCount(static_cast<int>(r.check.breaks.size()));
    for (size_t i = 0; i < r.check.breaks.size(); ++i) {
        const PolicyBreak &b = r.check.breaks[i];
        setRow(m_breaks, static_cast<int>(i),
               {name(inv, b.edge.from), name(inv, b.edge.to), portText(b.edge.protocol, b.edge.port),
                QString::number(b.edge.evidence.flows), QString::fromStdString(b.side),
                QString::fromStdString(b.reason)},
               workloadOf(b.edge.from, b.edge.to));
    }
    m_excess->setRowCount(static_cast<int>(r.excessByWorkload.size()));
    for (size_t i = 0; i < r.excessByWorkload.size(); ++i) {
        const ExcessSummary &s = r.excessByWorkload[i];
        QStringList policies;
        for (const std::string &p : s.policies)
            policies << QString::fromStdString(p);
        setRow(m_excess, static_cast<int>(i),
               {QString::fromStdString(inv.workloads[static_cast<size_t>(s.workload)].id()),
                QString::number(s.connections), QString::number(s.sources), policies.join(QStringLiteral(", "))},
               s.workload);
    }
    const size_t changes = r.comparison.newlyBlocked.size() + r.comparison.newlyAllowed.size();
    m_compare->setRowCount(static_cast<int>(changes));
    int row = 0;
    for (const auto &[list, label] : {std::pair{&r.comparison.newlyBlocked, tr("Newly blocked")},
                                      std::pair{&r.comparison.newlyAllowed, tr("Newly allowed")}}) {
        for (const Connection &c : *list) {
            setRow(m_compare, row++,
                   {label, name(inv, c.from), name(inv, c.to), portText(c.protocol, c.port),
                    c.observed ? tr("observed") : tr("never seen")},
                   workloadOf(c.from, c.to));
        }
    }
    m_warnings->setRowCount(static_cast<int>(r.selection.warnings.size()));
    for (size_t i = 0; i < r.selection.warnings.size(); ++i) {
        const SelectionWarning &w = r.selection.warnings[i];
        setRow(m_warnings, static_cast<int>(i),
               {QString::fromStdString(w.policy), QString::fromStdString(w.message)}, -1);
    }
    m_breaks->resizeColumnsToContents();
    m_excess->resizeColumnsToContents();
    m_compare->resizeColumnsToContents();
}

} // namespace bulkhead::ui
