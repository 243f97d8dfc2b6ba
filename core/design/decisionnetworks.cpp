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
