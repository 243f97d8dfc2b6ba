#include "docks/reviewpanel.h"

#include "document.h"
#include "model/model.h"
#include "policy/policyloader.h"
#include "project/project.h"
#include "review/ciliumcheck.h"
#include "review/tieredevaluator.h"

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
    : QWidget(parent)
    , m_document(document)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    auto *row = new QHBoxLayout;
    m_open = new QPushButton(tr("Open Policies…"));
    m_open->setObjectName(QStringLiteral("openPolicies"));
    m_open->setToolTip(tr("The NetworkPolicies the cluster enforces: kubectl get networkpolicy -A "
                          "-o yaml, or manifests"));
    row->addWidget(m_open);
    auto *namespaceLabel = new QLabel(tr("Default namespace:"));
    row->addWidget(namespaceLabel);
    m_namespace = new QLineEdit(QStringLiteral("default"));
    m_namespace->setObjectName(QStringLiteral("policyNamespace"));
    const QString namespaceTip = tr("The namespace of policies naming none: where `kubectl apply "
                                    "-n` would put policies without metadata.namespace (applied "
                                    "again when changed)");
    namespaceLabel->setToolTip(namespaceTip);
    m_namespace->setToolTip(namespaceTip);
    // Room for a namespace name such as online-boutique, whatever the window's width.
    m_namespace->setMinimumWidth(
        m_namespace->fontMetrics().horizontalAdvance(QStringLiteral("online-boutique")) + 16);
    m_namespace->setMaximumWidth(200);
    row->addWidget(m_namespace);
    m_compareButton = new QPushButton(tr("Compare with Design"));
    m_compareButton->setObjectName(QStringLiteral("comparePolicies"));
    m_compareButton->setToolTip(
        tr("What applying the design instead would newly block and newly allow"));
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
                         {tr("From"), tr("To"), tr("Port"), tr("Flows"), tr("Side"), tr("Tier"),
                          tr("Deciding policy and rule")});
    m_excess = makeTable(QStringLiteral("excessTable"),
                         {tr("Workload"), tr("Excess"), tr("Sources"), tr("Allowed by")});
    m_compare = makeTable(QStringLiteral("compareTable"),
                          {tr("Change"), tr("From"), tr("To"), tr("Port"), tr("Observed")});
    m_warnings = makeTable(QStringLiteral("policyWarningsTable"), {tr("Policy"), tr("Warning")});
    m_dead = makeTable(QStringLiteral("deadTable"),
                       {tr("From"), tr("To"), tr("Port"), tr("Allowed by (dead)"),
                        tr("Denied first by"), tr("Observed")});
    m_guardrails
        = makeTable(QStringLiteral("guardrailsTable"),
                    {tr("Policy"), tr("Tier"), tr("Priority"), tr("Subject"), tr("Rules")});
    m_tabs->addTab(m_breaks, tr("Breaks"));
    m_tabs->addTab(m_excess, tr("Excess by workload"));
    m_tabs->addTab(m_compare, tr("Compare"));
    m_tabs->addTab(m_dead, tr("Dead allowances"));
    m_tabs->addTab(m_guardrails, tr("Guardrails"));
    m_tabs->addTab(m_warnings, tr("Warnings"));
    // The graph marks what the tab shown is about: compare's changes on the Compare tab, the
    // findings (breaks, excess) elsewhere.
    connect(m_tabs, &QTabWidget::currentChanged, this, [this] { publish(); });
    layout->addWidget(m_tabs, 1);

    for (QTableWidget *table : {m_breaks, m_excess, m_compare, m_dead, m_guardrails}) {
        connect(table, &QTableWidget::itemSelectionChanged, this, [this, table] {
            const QList<QTableWidgetItem *> items = table->selectedItems();
            if (!items.isEmpty() && m_review && m_review->model.get() && m_document->hasModel()) {
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
            startReview(true);
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
        this, tr("Open Policies"), QString(),
        tr("NetworkPolicy, ClusterNetworkPolicy, AdminNetworkPolicy, CiliumNetworkPolicy YAML "
           "(*.yaml *.yml)"));
    if (!files.isEmpty())
        openPolicies(files, m_namespace->text().trimmed());
}

bool ReviewPanel::openPolicies(const QStringList &files, const QString &defaultNamespace)
{
    if (!m_document->hasModel()) {
        emit failed(
            tr("Open a model first: policies are reviewed against its workloads and traffic."));
        return false;
    }
    std::vector<std::string> paths;
    for (const QString &file : files)
        paths.push_back(file.toStdString());
    std::vector<NotEvaluatedPolicy> notEvaluated;
    auto loaded = loadPolicySetFiles(paths, nullptr, &notEvaluated, true);
    if (!loaded) {
        emit failed(QString::fromStdString(loaded.error().toString()));
        return false;
    }
    if (const auto tiers = ciliumWithClusterTiers(*loaded)) {
        emit failed(QString::fromStdString(tiers->toString()));
        return false;
    }
    const QString ns = defaultNamespace.isEmpty() ? QStringLiteral("default") : defaultNamespace;
    for (NetworkPolicy &policy : loaded->networkPolicies) {
        if (!policy.namespaceGiven)
            policy.ns = ns.toStdString();
    }
    for (CiliumNetworkPolicy &policy : loaded->ciliumPolicies) {
        if (!policy.namespaceGiven && !policy.clusterwide)
            policy.ns = ns.toStdString();
    }
    m_files = files;
    m_defaultNamespace = ns;
    m_namespace->setText(ns);
    m_set = std::move(*loaded);
    m_notEvaluated = std::move(notEvaluated);
    m_document->setReviewPolicies(files, ns);
    m_review.reset();
    startReview();
    fillTables();
    return true;
}

void ReviewPanel::closePolicies()
{
    m_files.clear();
    m_set = {};
    m_notEvaluated.clear();
    m_document->setReviewPolicies({}, {});
    m_review.reset();
    ++m_serial;
    ++m_generation;
    fillTables();
    publish();
}

void ReviewPanel::showComparison()
{
    m_tabs->setCurrentWidget(m_compare);
}

void ReviewPanel::startReview(bool designOnly)
{
    if (!m_document->hasModel() || m_files.isEmpty())
        return;
    if (!designOnly)
        ++m_generation; // other policies or inputs: nothing of an earlier review holds
    // Only a finished review of these policies and inputs is taken over.
    std::shared_ptr<const PolicyReview> previous
        = designOnly && m_review && m_reviewGeneration == m_generation ? m_review : nullptr;
    const int serial = ++m_serial;
    ++m_running;
    auto model = std::make_shared<Model>(m_document->model());
    auto *watcher = new QFutureWatcher<std::shared_ptr<const PolicyReview>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this,
            [this, watcher, serial, generation = m_generation] {
                watcher->deleteLater();
                --m_running;
                if (serial == m_serial) {
                    m_reviewGeneration = generation;
                    apply(watcher->result());
                }
            });
    watcher->setFuture(QtConcurrent::run(computeReview, std::move(model), m_set,
                                         m_document->generated().policies,
                                         m_document->intent().edges, std::move(previous)));
}

void ReviewPanel::apply(std::shared_ptr<const PolicyReview> review)
{
    m_review = std::move(review);
    fillTables();
    publish();
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
        hints << tr("%1 (%2)").arg(
            QString::fromStdString(inventory.workloads[static_cast<size_t>(w)].id()),
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
        return tr("Reviewing %1 policies…")
            .arg(m_set.networkPolicies.size() + m_set.clusterPolicies.size()
                 + m_set.ciliumPolicies.size());
    const PolicyReview &r = *m_review;
    if (!r.noneSelects.empty())
        return tr("None of the %1 policies selects a workload: %2.")
            .arg(r.policies.size())
            .arg(QString::fromStdString(r.noneSelects));
    QString text = tr("%1 policies (%2 select workloads): %3 observed edge(s) broken, %4 excess "
                      "allowance(s) on %5 workload(s).")
                       .arg(r.selection.policies)
                       .arg(r.selection.selecting)
                       .arg(r.check.breaks.size())
                       .arg(r.check.excess.size())
                       .arg(r.excessByWorkload.size());
    if (!r.clusterPolicies.empty()) {
        size_t admin = 0;
        for (const TieredBreak &b : r.breaks)
            admin += b.tier == VerdictTier::Admin;
        text += u' '
                + tr("%1 cluster-scoped policies evaluated in tiers: %2 break(s) decided by the "
                     "Admin tier, "
                     "%3 NetworkPolicy allowance(s) dead under an Admin Deny.")
                      .arg(r.clusterPolicies.size())
                      .arg(admin)
                      .arg(r.dead.size());
    }
    if (r.ciliumPolicies > 0) {
        text += u' '
                + tr("%1 Cilium policies, evaluated with the NetworkPolicies as Cilium enforces "
                     "them: %2 layer-7 break(s), %3 observed edge(s) undecided. A pair Cilium may "
                     "or may not allow counts as reachable (%4 such pair(s)).")
                      .arg(r.ciliumPolicies)
                      .arg(r.httpBreaks)
                      .arg(r.undecided.size())
                      .arg(r.undecidedPairs);
    }
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
    for (QTableWidget *table : {m_breaks, m_excess, m_compare, m_warnings, m_dead, m_guardrails})
        table->setRowCount(0);
    if (!m_review)
        return;
    const PolicyReview &r = *m_review;
    const Inventory &inv = r.model->inventory;
    const auto workloadOf = [](const Peer &a, const Peer &b) {
        return b.isWorkload() ? b.index : a.isWorkload() ? a.index : -1;
    };

    m_breaks->setRowCount(static_cast<int>(r.breaks.size()));
    for (size_t i = 0; i < r.breaks.size(); ++i) {
        const TieredBreak &b = r.breaks[i];
        const QString decided
            = b.policy.empty()
                  ? QString::fromStdString(b.reason)
                  : QString::fromStdString(b.policy + (b.rule.empty() ? "" : ' ' + b.rule));
        setRow(m_breaks, static_cast<int>(i),
               {name(inv, b.edge.from), name(inv, b.edge.to),
                portText(b.edge.protocol, b.edge.port), QString::number(b.edge.evidence.flows),
                QString::fromStdString(b.side), tierText(r, b), decided},
               workloadOf(b.edge.from, b.edge.to));
        m_breaks->item(static_cast<int>(i), 6)->setToolTip(QString::fromStdString(b.reason));
    }
    m_dead->setRowCount(static_cast<int>(r.dead.size()));
    for (size_t i = 0; i < r.dead.size(); ++i) {
        const DeadAllowance &d = r.dead[i];
        QStringList rules;
        for (const std::string &rule : d.allowedBy)
            rules << QString::fromStdString(rule);
        setRow(m_dead, static_cast<int>(i),
               {name(inv, d.from), name(inv, d.to), portText(d.protocol, d.port),
                rules.join(QStringLiteral(", ")), QString::fromStdString(d.deniedBy),
                d.observed ? tr("observed") : tr("never seen")},
               workloadOf(d.from, d.to));
    }
    m_guardrails->setRowCount(static_cast<int>(r.clusterPolicies.size()));
    for (size_t i = 0; i < r.clusterPolicies.size(); ++i) {
        const ClusterNetworkPolicy &c = r.clusterPolicies[i];
        const std::vector<int> &subject = r.clusterSubjects[i];
        QStringList names;
        for (size_t k = 0; k < subject.size() && k < 6; ++k)
            names << QString::fromStdString(inv.workloads[static_cast<size_t>(subject[k])].id());
        if (subject.size() > 6)
            names << tr("+%1 more").arg(subject.size() - 6);
        setRow(m_guardrails, static_cast<int>(i),
               {QString::fromStdString(c.id()),
                QString::fromUtf8(policyTierName(c.tier).data(), policyTierName(c.tier).size()),
                QString::number(c.priority),
                tr("%n workload(s): ", nullptr, static_cast<int>(subject.size()))
                    + names.join(QStringLiteral(", ")),
                tr("%1 ingress, %2 egress").arg(c.ingress.size()).arg(c.egress.size())},
               subject.empty() ? -1 : subject.front());
    }
    m_excess->setRowCount(static_cast<int>(r.excessByWorkload.size()));
    for (size_t i = 0; i < r.excessByWorkload.size(); ++i) {
        const ExcessSummary &s = r.excessByWorkload[i];
        QStringList policies;
        for (const std::string &p : s.policies)
            policies << QString::fromStdString(p);
        setRow(m_excess, static_cast<int>(i),
               {QString::fromStdString(inv.workloads[static_cast<size_t>(s.workload)].id()),
                QString::number(s.connections), QString::number(s.sources),
                policies.join(QStringLiteral(", "))},
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
    m_warnings->setRowCount(
        static_cast<int>(r.selection.warnings.size() + m_notEvaluated.size() + r.undecided.size()));
    for (size_t i = 0; i < r.selection.warnings.size(); ++i) {
        const SelectionWarning &w = r.selection.warnings[i];
        setRow(m_warnings, static_cast<int>(i),
               {QString::fromStdString(w.policy), QString::fromStdString(w.message)}, -1);
    }
    for (size_t i = 0; i < m_notEvaluated.size(); ++i) {
        const NotEvaluatedPolicy &n = m_notEvaluated[i];
        setRow(m_warnings, static_cast<int>(r.selection.warnings.size() + i),
               {QString::fromStdString(n.kind + ' ' + n.policy),
                tr("not evaluated: Bulkhead does not read %1 (%2:%3)")
                    .arg(QString::fromStdString(n.apiVersion), QString::fromStdString(n.file))
                    .arg(n.line)},
               -1);
    }
    // Observed edges Cilium's verdict on which the inventory cannot settle: neither breaks nor
    // allowances.
    int warningRow = static_cast<int>(r.selection.warnings.size() + m_notEvaluated.size());
    for (const UndecidedEdge &u : r.undecided) {
        setRow(m_warnings, warningRow++,
               {name(inv, u.edge.from) + QStringLiteral(" -> ") + name(inv, u.edge.to) + u' '
                    + portText(u.edge.protocol, u.edge.port),
                tr("undecided: %1").arg(QString::fromStdString(u.reason))},
               workloadOf(u.edge.from, u.edge.to));
    }
    for (QTableWidget *table : {m_breaks, m_excess, m_compare, m_dead, m_guardrails})
        table->resizeColumnsToContents();
    m_tabs->setTabText(m_tabs->indexOf(m_breaks), tr("Breaks (%1)").arg(r.breaks.size()));
    m_tabs->setTabText(m_tabs->indexOf(m_excess),
                       tr("Excess by workload (%1)").arg(r.check.excess.size()));
    m_tabs->setTabText(m_tabs->indexOf(m_dead), tr("Dead allowances (%1)").arg(r.dead.size()));
    m_tabs->setTabText(m_tabs->indexOf(m_guardrails),
                       tr("Guardrails (%1)").arg(r.clusterPolicies.size()));
    m_tabs->setTabText(m_tabs->indexOf(m_warnings),
                       tr("Warnings (%1)").arg(m_warnings->rowCount()));
}

QString ReviewPanel::tierText(const PolicyReview &review, const TieredBreak &b)
{
    if (review.ciliumPolicies > 0)
        return QStringLiteral("Cilium");
    return QString::fromUtf8(verdictTierName(b.tier).data(), verdictTierName(b.tier).size());
}

ReviewMarks ReviewPanel::marks() const
{
    ReviewMarks marks;
    if (!m_review || !m_review->noneSelects.empty())
        return marks;
    const PolicyReview &r = *m_review;
    marks.mode = m_tabs->currentWidget() == m_compare ? ReviewMarks::Mode::Compare
                                                      : ReviewMarks::Mode::Findings;
    for (const TieredBreak &b : r.breaks) {
        QString text
            = tierText(r, b) + QStringLiteral(": ")
              + QString::fromStdString(
                  b.policy.empty() ? b.reason : b.policy + (b.rule.empty() ? "" : ' ' + b.rule));
        marks.breaks.emplace(ConnectionKey{b.edge.from, b.edge.to, b.edge.protocol, b.edge.port},
                             text);
    }
    for (const ExcessSummary &s : r.excessByWorkload)
        marks.excess[s.workload] = s.connections;
    for (const Connection &c : r.comparison.newlyBlocked) {
        marks.newlyBlocked.insert({c.from, c.to, c.protocol, c.port});
        if (!c.observed && c.to.isWorkload())
            ++marks.newlyBlockedUnseen[c.to.index];
    }
    for (const Connection &c : r.comparison.newlyAllowed)
        marks.newlyAllowed.insert({c.from, c.to, c.protocol, c.port});
    for (size_t i = 0; i < r.clusterPolicies.size(); ++i) {
        const ClusterNetworkPolicy &c = r.clusterPolicies[i];
        marks.fences.push_back(
            {QString::fromStdString(c.id()),
             QString::fromUtf8(policyTierName(c.tier).data(), policyTierName(c.tier).size()),
             r.clusterSubjects[i]});
    }
    return marks;
}

void ReviewPanel::publish()
{
    // Only a review of the document's model (same workloads) is drawn on it.
    const bool current = m_review && m_document->hasModel()
                         && m_review->model->inventory.workloads.size()
                                == m_document->model().inventory.workloads.size();
    if (current && m_review->noneSelects.empty())
        m_document->setLoadedPolicyReach(m_review->reachNow, m_review->internetNow.direct);
    else
        m_document->setLoadedPolicyReach(nullptr, {});
    m_document->setReviewMarks(current ? marks() : ReviewMarks{});
}

} // namespace bulkhead::ui
