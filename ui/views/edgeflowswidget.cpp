#include "views/edgeflowswidget.h"

#include "document.h"
#include "model/model.h"
#include "util/isotime.h"

#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>

#include <set>
#include <tuple>

namespace bulkhead::ui {

EdgeFlowsWidget::EdgeFlowsWidget(Document *document, QWidget *parent)
    : QWidget(parent)
    , m_document(document)
    , m_summary(new QLabel)
    , m_table(new QTableWidget(0, 8))
{
    setObjectName(QStringLiteral("edgeFlows"));
    m_summary->setObjectName(QStringLiteral("edgeSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_table->setObjectName(QStringLiteral("flows"));
    m_table->setHorizontalHeaderLabels({tr("Client"), tr("Server"), tr("Port"), tr("Packets"),
                                        tr("Bytes"), tr("First seen"), tr("Last seen"),
                                        tr("Captures")});
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->horizontalHeader()->setStretchLastSection(true);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_summary);
    layout->addWidget(m_table, 1);
    connect(m_document, &Document::modelChanged, this, [this] { showEdge(-1); });
    showEdge(-1);
}

QString EdgeFlowsWidget::summary() const
{
    return m_summary->text();
}

void EdgeFlowsWidget::showEdge(int index)
{
    m_table->setRowCount(0);
    const GraphData &graph = m_document->graph();
    if (!m_document->hasModel() || index < 0 || index >= static_cast<int>(graph.edges.size())) {
        m_summary->setText(tr("Click an arrow in the graph to list its flows."));
        return;
    }
    const GraphEdge &edge = graph.edges[index];
    const Model &model = m_document->model();
    using Key = std::tuple<Peer, Peer, Protocol, uint16_t>;
    std::set<Key> members;
    for (const Edge &member : edge.members)
        members.insert({member.from, member.to, member.protocol, member.port});
    int rows = 0, matched = 0;
    m_table->setUpdatesEnabled(false);
    for (const ObservedFlow &flow : model.analysis.flows) {
        if (!members.count({flow.clientPeer, flow.serverPeer, flow.protocol, flow.serverPort}))
            continue;
        ++matched;
        if (rows >= kMaxRows)
            continue;
        QStringList files;
        for (size_t f = 0; f < model.analysis.captureFiles.size() && f < 64; ++f)
            if (flow.fileMask >> f & 1)
                files
                    << QFileInfo(QString::fromStdString(model.analysis.captureFiles[f])).fileName();
        const QStringList cells{
            QStringLiteral("%1 (%2:%3)")
                .arg(QString::fromStdString(peerName(model.inventory, flow.clientPeer)),
                     QString::fromStdString(flow.client.toString()))
                .arg(flow.clientPort),
            QStringLiteral("%1 (%2)").arg(
                QString::fromStdString(peerName(model.inventory, flow.serverPeer)),
                QString::fromStdString(flow.server.toString())),
            QStringLiteral("%1/%2")
                .arg(QString::fromUtf8(protocolName(flow.protocol).data()))
                .arg(flow.serverPort),
            QString::number(flow.packets),
            QString::number(flow.bytes),
            QString::fromStdString(isoTime(flow.firstSeenUs)),
            QString::fromStdString(isoTime(flow.lastSeenUs)),
            files.join(QStringLiteral(", "))};
        m_table->insertRow(rows);
        for (int c = 0; c < cells.size(); ++c)
            m_table->setItem(rows, c, new QTableWidgetItem(cells[c]));
        ++rows;
    }
    m_table->setUpdatesEnabled(true);
    m_table->resizeColumnsToContents();
    QString text
        = QStringLiteral("<b>%1 → %2</b> · %3 · %4 edge(s)")
              .arg(graph.tailName(edge).toHtmlEscaped(), graph.headName(edge).toHtmlEscaped(),
                   QString::fromStdString(edge.portsLabel()).toHtmlEscaped())
              .arg(edge.members.size());
    if (matched == 0)
        text += tr("<br>no observed flow (added by hand or refused/unanswered only)");
    else if (matched > rows)
        text += tr("<br>%1 flows, the first %2 listed").arg(matched).arg(rows);
    else
        text += tr("<br>%n flow(s)", nullptr, matched);
    m_summary->setText(text);
}

} // namespace bulkhead::ui
