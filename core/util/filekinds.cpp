#include "util/filekinds.h"

#include <yaml-cpp/yaml.h>

namespace bulkhead {

namespace {

void countKind(const YAML::Node &object, std::map<std::string, int> &kinds, bool insideList)
{
    if (!object.IsMap())
        return;
    const YAML::Node kind = object["kind"];
    if (!kind.IsScalar())
        return;
    const std::string &name = kind.Scalar();
    const YAML::Node items = object["items"];
    if (!insideList && name.ends_with("List") && items.IsSequence()) {
        for (const YAML::Node &item : items)
            countKind(item, kinds, true);
        return;
    }
    ++kinds[name];
}

std::string plural(const std::string &kind, int count)
{
    if (count == 1)
        return kind;
    if (kind.ends_with("y"))
        return kind.substr(0, kind.size() - 1) + "ies";
    if (kind.ends_with("s")) // Endpoints
        return kind;
    return kind + 's';
}

} // namespace

std::map<std::string, int> yamlKinds(const std::vector<YAML::Node> &documents)
{
    std::map<std::string, int> kinds;
    try {
        for (const YAML::Node &document : documents)
            countKind(document, kinds, false);
    } catch (const YAML::Exception &) {
        // Only used to name a file already found wrong: what was counted is enough.
    }
    return kinds;
}

bool isPolicyKind(std::string_view kind)
{
    if (kind.ends_with("List"))
        kind.remove_suffix(4);
    return kind.ends_with("NetworkPolicy");
}

bool isInventoryKind(std::string_view kind)
{
    return kind == "Pod" || kind == "Service" || kind == "Node" || kind == "Namespace"
           || kind == "Deployment" || kind == "ReplicaSet" || kind == "StatefulSet"
           || kind == "DaemonSet" || kind == "Job" || kind == "CronJob" || kind == "Endpoints"
           || kind == "EndpointSlice" || kind == "Inventory";
}

std::string kindsText(const std::map<std::string, int> &kinds, bool (*which)(std::string_view))
{
    std::string text;
    for (const auto &[kind, count] : kinds) {
        if (!which(kind) || count <= 0)
            continue;
        if (!text.empty())
            text += ", ";
        text += std::to_string(count) + ' ' + plural(kind, count);
    }
    return text;
}

} // namespace bulkhead
