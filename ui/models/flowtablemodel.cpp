#include "models/flowtablemodel.h"

#include "document.h"
#include "model/model.h"
#include "util/isotime.h"

namespace bulkhead::ui {

FlowTableModel::FlowTableModel(Document *document, QObject *parent)
    : QAbstractTableModel(parent)
    , m_document(document)
{
    connect(m_document, &Document::modelChanged, this, &FlowTableModel::reset);
    reset();
}

void FlowTableModel::reset()
{
    beginResetModel();
    m_clients.clear();
    m_servers.clear();
    if (m_document->hasModel()) {
        const Model &model = m_document->model();
        for (const ObservedFlow &flow : model.analysis.flows) {
            m_clients << QString::fromStdString(peerName(model.inventory, flow.clientPeer));
            m_servers
                << (flow.service.empty()
                        ? QString::fromStdString(peerName(model.inventory, flow.serverPeer))
                        : QStringLiteral("service %1").arg(QString::fromStdString(flow.service)));
        }
    }
    endResetModel();
}

int FlowTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_clients.size());
}

int FlowTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant FlowTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ObservedFlow &flow = m_document->model().analysis.flows[index.row()];
    if (role == FlowIndexRole)
        return index.row();
    if (role == Qt::ToolTipRole)
        return QStringLiteral("%1:%2 → %3:%4")
            .arg(QString::fromStdString(flow.client.toString()))
            .arg(flow.clientPort)
            .arg(QString::fromStdString(flow.server.toString()))
            .arg(flow.serverPort);
    if (role != Qt::DisplayRole && role != SortRole)
        return {};
    switch (index.column()) {
    case Client: return m_clients[index.row()];
    case Server: return m_servers[index.row()];
    case Protocol: return QString::fromUtf8(protocolName(flow.protocol).data());
    case Port: return flow.serverPort;
    case State: return QString::fromUtf8(flowStateName(flow.state).data());
    case Packets: return static_cast<qulonglong>(flow.packets);
    case Bytes: return static_cast<qulonglong>(flow.bytes);
    case FirstSeen:
        if (role == SortRole)
            return static_cast<qlonglong>(flow.firstSeenUs);
        return QString::fromStdString(isoTime(flow.firstSeenUs));
    case LastSeen:
        if (role == SortRole)
            return static_cast<qlonglong>(flow.lastSeenUs);
        return QString::fromStdString(isoTime(flow.lastSeenUs));
    }
    return {};
}

QVariant FlowTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static const char *const names[] = {"Client",  "Server", "Protocol",   "Port",     "State",
                                        "Packets", "Bytes",  "First seen", "Last seen"};
    return section >= 0 && section < ColumnCount ? tr(names[section]) : QVariant();
}

} // namespace bulkhead::ui
