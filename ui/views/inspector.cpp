#include "views/inspector.h"

#include "analysis/pipeline.h"
#include "document.h"
#include "graph/graphdata.h"

#include <QFontDatabase>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QTableWidget>
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

} // namespace

Inspector::Inspector(Document *document, QWidget *parent)
    : QWidget(parent), m_document(document), m_title(valueLabel(QStringLiteral("title"))),
      m_kind(valueLabel(QStringLiteral("kind"))), m_zone(valueLabel(QStringLiteral("zone"))),
      m_labels(valueLabel(QStringLiteral("labels"))),
      m_addresses(valueLabel(QStringLiteral("addresses"))),
      m_ports(valueLabel(QStringLiteral("ports"))), m_radius(valueLabel(QStringLiteral("radius"))),
      m_edges(new QTableWidget(0, 5)), m_yaml(new QPlainTextEdit)
{
    setObjectName(QStringLiteral("inspector"));
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.2);
    m_title->setFont(titleFont);

    auto *form = new QFormLayout;
    form->addRow(tr("Kind"), m_kind);
    form->addRow(tr("Zone"), m_zone);
    form->addRow(tr("Labels"), m_labels);
    form->addRow(tr("Addresses"), m_addresses);
    form->addRow(tr("Ports"), m_ports);
    form->addRow(tr("Blast radius"), m_radius);

    m_edges->setObjectName(QStringLiteral("edges"));
    m_edges->setHorizontalHeaderLabels({tr("Direction"), tr("Peer"), tr("Port"), tr("Flows"),
                                        tr("Decision")});
    m_edges->horizontalHeader()->setStretchLastSection(true);
    m_edges->verticalHeader()->hide();
    m_edges->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_edges->setSelectionBehavior(QAbstractItemView::SelectRows);

    m_yaml->setObjectName(QStringLiteral("policyYaml"));
    m_yaml->setReadOnly(true);
    m_yaml->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_yaml->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));

    auto *top = new QWidget;
    auto *topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->addWidget(m_title);
    topLayout->addLayout(form);
    auto *splitter = new QSplitter(Qt::Vertical);
    splitter->addWidget(top);
    splitter->addWidget(m_edges);
    splitter->addWidget(m_yaml);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(splitter);

    connect(m_document, &Document::selectionChanged, this, &Inspector::refresh);
    connect(m_document, &Document::modelChanged, this, &Inspector::refresh);
    connect(m_document, &Document::radiusPolicyChanged, this, &Inspector::refresh);
    refresh();
}

QString Inspector::titleText() const { return m_title->text(); }
QString Inspector::labelsText() const { return m_labels->text(); }
QString Inspector::addressesText() const { return m_addresses->text(); }
QString Inspector::portsText() const { return m_ports->text(); }
QString Inspector::zoneText() const { return m_zone->text(); }
QString Inspector::radiusText() const { return m_radius->text(); }
QString Inspector::policyYaml() const { return m_yaml->toPlainText(); }

void Inspector::refresh()
{
    const int selected = m_document->selectedWorkload();
    m_edges->setRowCount(0);
    if (!m_document->hasModel() || selected < 0) {
        m_title->setText(tr("Select a workload in the graph or the table."));
        for (QLabel *label : {m_kind, m_zone, m_labels, m_addresses, m_ports, m_radius})
            label->clear();
        m_yaml->clear();
        return;
    }
    const Model &model = m_document->model();
    const Workload &w = model.inventory.workloads[selected];
    m_title->setText(QString::fromStdString(w.id()));
    m_kind->setText(QString::fromStdString(w.kind));
    m_zone->setText(QString::fromStdString(w.zone));

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
                     .arg(port.name.empty() ? QString()
                                            : QStringLiteral(" (%1)").arg(
                                                  QString::fromStdString(port.name)));
    m_ports->setText(ports.join('\n'));

    const std::map<int, int> design = m_document->reach(selected, RadiusPolicy::Design);
    const std::map<int, int> baseline = m_document->reach(selected, RadiusPolicy::NoPolicy);
    const double total = std::max<double>(1.0, model.inventory.workloads.size() - 1.0);
    int direct = 0;
    for (const auto &[workload, hops] : design)
        direct += hops == 1 ? 1 : 0;
    m_radius->setText(tr("reaches %1 of %2 workloads (%3%), %4 directly; no policy: %5")
                          .arg(design.size())
                          .arg(static_cast<int>(total))
                          .arg(qRound(100.0 * design.size() / total))
                          .arg(direct)
                          .arg(baseline.size()));

    const Peer self = Peer::workload(selected);
    for (const Edge &edge : model.analysis.edges) {
        const bool out = edge.from == self;
        const bool in = edge.to == self;
        if (!out && !in)
            continue;
        const int row = m_edges->rowCount();
        m_edges->insertRow(row);
        QString decision = tr("allow");
        if (edge.from.isWorkload() && edge.to.isWorkload()) {
            const ZoneRule *rule = matchZoneRule(model.zones,
                                                 model.inventory.workloads[edge.from.index].zone,
                                                 model.inventory.workloads[edge.to.index].zone);
            if (rule && rule->action == ZoneRule::Action::Block)
                decision = tr("deny (zone rule %1)").arg(QString::fromStdString(rule->name));
            else if (rule)
                decision = tr("allow, flagged by %1").arg(QString::fromStdString(rule->name));
        }
        const QStringList cells{out ? tr("out") : tr("in"),
                                QString::fromStdString(
                                    peerName(model.inventory, out ? edge.to : edge.from)),
                                portLabel(edge), QString::number(edge.evidence.flows), decision};
        for (int c = 0; c < cells.size(); ++c)
            m_edges->setItem(row, c, new QTableWidgetItem(cells[c]));
    }
    m_edges->resizeColumnsToContents();
    m_yaml->setPlainText(m_document->policyYamlOf(selected));
}

} // namespace bulkhead::ui
