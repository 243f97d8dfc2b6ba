#include "inventory/nativeinventory.h"

#include "util/yamlreader.h"
#include "util/yamltree.h"

#include <algorithm>

namespace bulkhead {

namespace {

Expected<Workload> readWorkload(TreeReader &reader, const TreeNode &node, const std::string &path)
{
    BULKHEAD_CHECK(reader.requireMap(node, path));
    Workload w;
    w.sourceFile = reader.fileName();
    w.sourceLine = TreeReader::line(node);
    const TreeNode name = reader.child(node, "name");
    if (!name.IsDefined())
        return reader.error(node, path, "the workload has no name");
    BULKHEAD_TRY(nameText, reader.string(name, TreeReader::join(path, "name")));
    if (nameText.empty())
        return reader.error(name, TreeReader::join(path, "name"), "the name is empty");
    w.name = std::move(nameText);
    BULKHEAD_TRY(ns, reader.string(node, "namespace", path, "default"));
    w.ns = ns.empty() ? std::string("default") : std::move(ns);
    BULKHEAD_TRY(kind, reader.string(node, "kind", path, "Host"));
    w.kind = kind.empty() ? std::string("Host") : std::move(kind);
    BULKHEAD_TRY(labels,
                 reader.stringMap(reader.child(node, "labels"), TreeReader::join(path, "labels")));
    w.labels = std::move(labels);

    PodMember member;
    member.name = w.name;
    const TreeNode addresses = reader.child(node, "addresses");
    const std::string addressesPath = TreeReader::join(path, "addresses");
    BULKHEAD_TRY(addressCount, reader.sequence(addresses, addressesPath));
    for (size_t i = 0; i < addressCount; ++i) {
        BULKHEAD_TRY(ip, reader.ipAddress(addresses[i], TreeReader::index(addressesPath, i)));
        if (std::find(member.addresses.begin(), member.addresses.end(), ip)
            == member.addresses.end())
            member.addresses.push_back(ip);
    }
    w.pods.push_back(std::move(member));

    const TreeNode ports = reader.child(node, "ports");
    const std::string portsPath = TreeReader::join(path, "ports");
    BULKHEAD_TRY(portCount, reader.sequence(ports, portsPath));
    for (size_t i = 0; i < portCount; ++i) {
        const TreeNode entry = ports[i];
        const std::string entryPath = TreeReader::index(portsPath, i);
        BULKHEAD_CHECK(reader.requireMap(entry, entryPath));
        ContainerPort port;
        BULKHEAD_TRY(portName, reader.string(entry, "name", entryPath, ""));
        port.name = std::move(portName);
        const TreeNode number = reader.child(entry, "port");
        if (!number.IsDefined())
            return reader.error(entry, entryPath, "the port has no port number");
        BULKHEAD_TRY(value, reader.port(number, TreeReader::join(entryPath, "port")));
        port.port = value;
        if (const TreeNode protocol = reader.child(entry, "protocol"); protocol.IsDefined()) {
            BULKHEAD_TRY(p, reader.protocol(protocol, TreeReader::join(entryPath, "protocol")));
            port.protocol = p;
        }
        if (std::find(w.ports.begin(), w.ports.end(), port) == w.ports.end())
            w.ports.push_back(std::move(port));
    }
    return w;
}

Expected<ExternalNetwork> readExternal(TreeReader &reader, const TreeNode &node,
                                       const std::string &path)
{
    BULKHEAD_CHECK(reader.requireMap(node, path));
    ExternalNetwork external;
    const TreeNode name = reader.child(node, "name");
    if (!name.IsDefined())
        return reader.error(node, path, "the external network has no name");
    BULKHEAD_TRY(nameText, reader.string(name, TreeReader::join(path, "name")));
    external.name = std::move(nameText);
    const TreeNode cidrs = reader.child(node, "cidrs");
    const std::string cidrsPath = TreeReader::join(path, "cidrs");
    BULKHEAD_TRY(count, reader.sequence(cidrs, cidrsPath));
    if (count == 0)
        return reader.error(node, path,
                            "the external network \"" + external.name + "\" has no cidrs");
    for (size_t i = 0; i < count; ++i) {
        BULKHEAD_TRY(cidr, reader.cidr(cidrs[i], TreeReader::index(cidrsPath, i)));
        external.cidrs.push_back(cidr);
    }
    return external;
}

} // namespace

Expected<void> readNativeInventory(TreeReader &reader, const TreeNode &document,
                                   const std::string &path, Inventory &out)
{
    const TreeNode networks = reader.child(document, "clusterNetworks");
    const std::string networksPath = TreeReader::join(path, "clusterNetworks");
    BULKHEAD_TRY(networkCount, reader.sequence(networks, networksPath));
    for (size_t i = 0; i < networkCount; ++i) {
        BULKHEAD_TRY(cidr, reader.cidr(networks[i], TreeReader::index(networksPath, i)));
        out.clusterNetworks.push_back(cidr);
    }

    const TreeNode workloads = reader.child(document, "workloads");
    const std::string workloadsPath = TreeReader::join(path, "workloads");
    BULKHEAD_TRY(workloadCount, reader.sequence(workloads, workloadsPath));
    for (size_t i = 0; i < workloadCount; ++i) {
        BULKHEAD_TRY(w, readWorkload(reader, workloads[i], TreeReader::index(workloadsPath, i)));
        out.workloads.push_back(std::move(w));
    }

    const TreeNode externals = reader.child(document, "externals");
    const std::string externalsPath = TreeReader::join(path, "externals");
    BULKHEAD_TRY(externalCount, reader.sequence(externals, externalsPath));
    for (size_t i = 0; i < externalCount; ++i) {
        BULKHEAD_TRY(e, readExternal(reader, externals[i], TreeReader::index(externalsPath, i)));
        out.externals.push_back(std::move(e));
    }
    return {};
}

} // namespace bulkhead
