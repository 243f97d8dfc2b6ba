#include "peernames.h"

#include "design/decisionnetworks.h"
#include "graph/graphdata.h"
#include "model/model.h"

namespace bulkhead::ui {

QStringList endpointNames(const Model &model, const GraphData &graph)
{
    QStringList names;
    for (const Workload &w : model.inventory.workloads)
        names << QString::fromStdString(w.id());
    QStringList others{QString::fromUtf8(WorldPeerName.data(), WorldPeerName.size())};
    for (const GraphNode &node : graph.nodes)
        if (!node.peer.isWorkload())
            others << QString::fromStdString(peerName(model.inventory, node.peer));
    for (const auto &network : model.inventory.externals)
        others << QString::fromStdString(network.name);
    for (const std::string &ns : inventoryNamespaces(model.inventory)) // every pod of a namespace
        others << QString::fromStdString(namespacePeerName(ns));
    others.removeDuplicates();
    others.sort();
    names.sort();
    return names + others;
}

Expected<void> checkNewEdge(const Model &model, const QStringList &names, const EdgeRef &edge,
                            bool alreadyAllowed)
{
    // `world` (the internet) and CIDRs are peers of any model (design/decisionnetworks.h).
    const auto known = [&](const std::string &name) {
        return names.contains(QString::fromStdString(name)) || isDecisionPeerName(name);
    };
    for (const std::string *end : {&edge.from, &edge.to}) {
        if (end->starts_with(NamespacePeerPrefix) && !known(*end))
            return makeError("", 0,
                             "\"" + *end + "\": no namespace \""
                                 + std::string(namespaceOfPeerName(*end)) + "\" in the inventory.");
        if (!known(*end))
            return makeError("", 0,
                             "\"" + *end
                                 + "\" is no workload, namespace (ns:NAME), network or address of "
                                   "this model, nor world or a CIDR.");
    }
    const auto isWorkload = [&model](const std::string &name) {
        for (const Workload &w : model.inventory.workloads)
            if (w.id() == name)
                return true;
        return false;
    };
    if (!isWorkload(edge.from) && !isWorkload(edge.to))
        return makeError("", 0, "One end of an edge must be a workload: a policy selects it.");
    if (edge.protocol != Protocol::TCP && edge.protocol != Protocol::UDP
        && edge.protocol != Protocol::SCTP)
        return makeError("", 0, "A NetworkPolicy allows TCP, UDP or SCTP only.");
    if (edge.port == 0)
        return makeError("", 0, "The port must be between 1 and 65535.");
    if (alreadyAllowed)
        return makeError("", 0, edgeRefText(edge) + " is already allowed.");
    return {};
}

int findWorkload(const Inventory &inventory, const QString &text)
{
    if (text.trimmed().isEmpty())
        return -1;
    const std::string wanted = text.trimmed().toStdString();
    const auto &workloads = inventory.workloads;
    int byName = -1;
    int byNameCount = 0;
    int containing = -1;
    for (int i = 0; i < static_cast<int>(workloads.size()); ++i) {
        if (workloads[i].id() == wanted)
            return i;
        if (workloads[i].name == wanted) {
            byName = i;
            ++byNameCount;
        }
        if (containing < 0
            && QString::fromStdString(workloads[i].id())
                   .contains(text.trimmed(), Qt::CaseInsensitive))
            containing = i;
    }
    return byNameCount == 1 ? byName : containing;
}

} // namespace bulkhead::ui
