#include "design/decisionnetworks.h"

#include "design/intent.h"
#include "inventory/inventory.h"
#include "util/ipaddress.h"

#include <algorithm>

namespace bulkhead {

namespace {

int findNetwork(const Inventory &inventory, std::string_view name)
{
    for (size_t i = 0; i < inventory.externals.size(); ++i) {
        if (inventory.externals[i].name == name)
            return static_cast<int>(i);
    }
    return -1;
}

int addNetwork(Inventory &inventory, std::string_view name)
{
    if (const int existing = findNetwork(inventory, name); existing >= 0)
        return existing;
    ExternalNetwork network;
    network.name = std::string(name);
    network.fromDecision = true;
    if (name == WorldPeerName) {
        network.cidrs = {*Cidr::parse("0.0.0.0/0"), *Cidr::parse("::/0")};
    } else if (const std::optional<Cidr> cidr = Cidr::parse(name)) {
        network.cidrs = {*cidr};
    } else {
        return -1;
    }
    inventory.externals.push_back(std::move(network));
    return static_cast<int>(inventory.externals.size() - 1);
}

} // namespace

bool isDecisionPeerName(std::string_view name)
{
    if (name == WorldPeerName)
        return true;
    return name.find('/') != std::string_view::npos && Cidr::parse(name).has_value();
}

std::string_view namespaceOfPeerName(std::string_view name)
{
    if (!name.starts_with(NamespacePeerPrefix))
        return {};
    return name.substr(NamespacePeerPrefix.size());
}

std::string namespacePeerName(std::string_view ns)
{
    return std::string(NamespacePeerPrefix) + std::string(ns);
}

std::vector<std::string> inventoryNamespaces(const Inventory &inventory)
{
    std::vector<std::string> out;
    out.reserve(inventory.namespaces.size());
    for (const auto &[name, labels] : inventory.namespaces)
        out.push_back(name);
    for (const Workload &w : inventory.workloads)
        out.push_back(w.ns);
    for (const Service &s : inventory.services)
        out.push_back(s.ns);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

bool inventoryHasNamespace(const Inventory &inventory, std::string_view ns)
{
    if (ns.empty())
        return false;
    if (inventory.namespaces.find(std::string(ns)) != inventory.namespaces.end())
        return true;
    const auto in = [&](const auto &object) { return object.ns == ns; };
    return std::any_of(inventory.workloads.begin(), inventory.workloads.end(), in)
           || std::any_of(inventory.services.begin(), inventory.services.end(), in);
}

void addDecisionNetworks(Inventory &inventory, const Decisions &decisions)
{
    const auto add = [&](const std::string &name) {
        if (isDecisionPeerName(name))
            addNetwork(inventory, name);
    };
    for (const std::vector<EdgeRef> *list : {&decisions.added, &decisions.denied}) {
        for (const EdgeRef &ref : *list) {
            add(ref.from);
            add(ref.to);
        }
    }
}

int ensureWorldNetwork(Inventory &inventory)
{
    return addNetwork(inventory, WorldPeerName);
}

} // namespace bulkhead
