#include "inventory/inventoryloader.h"

#include "inventory/inventorystream.h"
#include "util/filekinds.h"

#include "inventory/kubernetesobjects.h"
#include "inventory/nativeinventory.h"
#include "util/yamlreader.h"
#include "util/yamltree.h"

#include <yaml-cpp/depthguard.h>

#include <algorithm>
#include <optional>
#include <unordered_map>

namespace bulkhead {

namespace {

constexpr int MaxListNesting = 4;

struct Loader
{
    TreeReader &reader;
    KubernetesObjects &kubernetes;
    Inventory &out;

    // listItemKind: the kind of the list's items when they carry none (a PodList from the API).
    Expected<void> object(const TreeNode &node, const std::string &path, int nesting,
                          const std::string &listItemKind = {})
    {
        if (!node.IsDefined() || node.IsNull())
            return {};
        if (!node.IsMap())
            return reader.error(node, path,
                                "expected a Kubernetes object or a Bulkhead Inventory (a map)");
        const TreeNode kindNode = reader.child(node, "kind");
        if (!kindNode.IsDefined() && listItemKind.empty())
            return reader.error(node, path, "the object has no kind");
        BULKHEAD_TRY(kind, kindNode.IsDefined()
                               ? reader.string(kindNode, TreeReader::join(path, "kind"))
                               : Expected<std::string>(listItemKind));
        BULKHEAD_TRY(apiVersion, reader.string(node, "apiVersion", path, ""));

        if (kind == "Inventory" || apiVersion.starts_with("bulkhead.io/")) {
            if (kind != "Inventory") {
                // Bulkhead's other files given in the wrong place: say so rather than find
                // nothing in them.
                const std::string flag = kind == "Zones" ? " (zones are given with --zones)" : "";
                return reader.error(kindNode, TreeReader::join(path, "kind"),
                                    "not an inventory: a bulkhead.io " + kind + " object" + flag);
            }
            if (apiVersion != NativeApiVersion)
                return reader.error(node, TreeReader::join(path, "apiVersion"),
                                    "unsupported Inventory apiVersion \"" + apiVersion
                                        + "\" (expected " + NativeApiVersion + ")");
            return readNativeInventory(reader, node, path, out);
        }

        const TreeNode items = reader.child(node, "items");
        if (kind == "List" || (kind.ends_with("List") && items.IsDefined())) {
            if (nesting >= MaxListNesting)
                return reader.error(node, path,
                                    "Lists are nested too deep (more than "
                                        + std::to_string(MaxListNesting) + ")");
            const std::string itemsPath = TreeReader::join(path, "items");
            BULKHEAD_TRY(count, reader.sequence(items, itemsPath));
            const std::string itemKind = KubernetesObjects::itemKindOfList(kind);
            for (size_t i = 0; i < count; ++i) {
                BULKHEAD_CHECK(
                    object(items[i], TreeReader::index(itemsPath, i), nesting + 1, itemKind));
            }
            return {};
        }
        BULKHEAD_CHECK(kubernetes.add(node, kind, path, out));
        if (reader.exhausted())
            return reader.exhaustedError(node);
        return {};
    }
};

bool looksLikeObject(const TreeNode &doc)
{
    if (!doc.IsMap())
        return false;
    for (auto it = doc.begin(); it != doc.end(); ++it) {
        if (it->first.IsScalar() && it->first.Scalar() == "kind")
            return it->second.IsScalar();
    }
    return false;
}

// The streaming readers' objects, interpreted one at a time.
class FileSink : public InventorySink
{
public:
    FileSink(Loader &loader, TreeReader &reader, const std::string &fileName)
        : m_loader(loader)
        , m_reader(reader)
        , m_fileName(fileName)
    {
    }

    Expected<void> document(const Tree &tree) override
    {
        const TreeNode document = tree.root;
        if (++m_documents > MaxInventoryDocuments)
            return makeError(m_fileName, TreeReader::line(document),
                             "the file holds more than " + std::to_string(MaxInventoryDocuments)
                                 + " YAML documents, more than an inventory may have");
        const bool object = looksLikeObject(document);
        auto done = m_loader.object(document, std::string(), 0);
        if (!done && !m_seenObject && !object && !m_pending) {
            // A document that is no object, before any object: if none follows, the file is
            // not an inventory at all, which says more than this document's problem.
            m_pending = std::move(done.error());
            return {};
        }
        m_seenObject = m_seenObject || object;
        if (m_pending)
            return std::unexpected(std::move(*m_pending));
        return done;
    }

    Expected<void> item(const Tree &tree, size_t index) override
    {
        const TreeNode item = tree.root;
        if (m_pending)
            return std::unexpected(std::move(*m_pending));
        m_seenObject = true;
        // An item without a kind (a PodList straight from the API) takes it from the list's
        // kind, which the stream may deliver after the items (kubectl's JSON sorts its keys):
        // such items wait for listEnd().
        if (item.IsMap() && !m_reader.child(item, "kind").IsDefined()) {
            m_kindless.emplace_back(tree, index);
            return {};
        }
        return m_loader.object(item, TreeReader::index("items", index), 1);
    }

    Expected<void> listEnd(const Tree &tree, int itemsLine) override
    {
        const TreeNode head = tree.root;
        ++m_documents;
        m_seenObject = true; // a List, even an empty one (`kubectl get pods` in an empty namespace)
        const TreeNode kindNode = m_reader.child(head, "kind");
        if (!kindNode.IsDefined())
            return m_reader.error(head, "", "the object has no kind");
        BULKHEAD_TRY(kind, m_reader.string(kindNode, "kind"));
        if (kind != "List" && !kind.ends_with("List"))
            return m_reader.error(itemsLine,
                                  "items: only a List (kind List or ...List) holds items, "
                                  "and this object's kind is \""
                                      + kind + "\"");
        std::vector<std::pair<Tree, size_t>> kindless;
        kindless.swap(m_kindless);
        const std::string itemKind = KubernetesObjects::itemKindOfList(kind);
        for (const auto &[node, index] : kindless)
            BULKHEAD_CHECK(
                m_loader.object(node.root, TreeReader::index("items", index), 1, itemKind));
        return {};
    }

    Expected<void> finish()
    {
        if (!m_seenObject)
            return makeError(m_fileName, 0,
                             "not an inventory: no Kubernetes object nor Bulkhead Inventory found "
                             "(expected YAML documents with apiVersion and kind)");
        if (m_pending)
            return std::unexpected(std::move(*m_pending));
        return {};
    }

private:
    Loader &m_loader;
    TreeReader &m_reader;
    const std::string &m_fileName;
    size_t m_documents = 0;
    std::vector<std::pair<Tree, size_t>> m_kindless; // items waiting for their list's kind
    bool m_seenObject = false;
    std::optional<Error> m_pending;
};

Expected<Inventory> parseInventory(InventoryText &text, const std::string &fileName,
                                   ProgressSink *progress)
{
    const std::string_view head = text.text().substr(0, 1 << 16);
    if (head.find('\0') != std::string_view::npos)
        return makeError(fileName, 0,
                         "not an inventory: the file holds binary data (a capture? captures are "
                         "given with --capture)");

    // Visiting a node costs one unit: a real file visits fewer than one per byte (every node
    // takes a few bytes to write), a file multiplying nodes through aliases far more.
    TreeReader reader(fileName,
                      TreeReader::DefaultBudget + 2 * static_cast<int64_t>(text.text().size()));
    KubernetesObjects kubernetes(reader);
    Inventory raw;
    Loader loader{reader, kubernetes, raw};
    FileSink sink(loader, reader, fileName);
    BULKHEAD_CHECK(streamInventory(text, fileName, sink, progress));
    BULKHEAD_CHECK(sink.finish());
    kubernetes.build(raw);
    raw.sourceFiles.push_back(fileName);

    // Merging into an empty inventory checks the file's own address claims.
    Inventory inventory;
    BULKHEAD_CHECK(mergeInventory(inventory, std::move(raw)));
    resolveInventory(inventory);
    return inventory;
}

Expected<Inventory> parseGuarded(InventoryText &text, const std::string &fileName,
                                 ProgressSink *progress)
{
    try {
        return parseInventory(text, fileName, progress);
    } catch (const YAML::Exception &e) {
        return makeError(fileName, e.mark.line >= 0 ? e.mark.line + 1 : 0,
                         "cannot read the inventory: " + e.msg);
    } catch (const std::bad_alloc &) {
        return makeError(fileName, 0, "the inventory is too large to read into memory");
    } catch (const std::exception &e) {
        return makeError(fileName, 0, std::string("cannot read the inventory: ") + e.what());
    }
}

std::string claimant(const Workload &w)
{
    std::string out = w.id() + " (" + w.sourceFile;
    if (w.sourceLine > 0)
        out += ':' + std::to_string(w.sourceLine);
    return out + ')';
}

// The addresses a pod claims for its workload: a host-network pod's address is its node's, shared
// by every host-network pod there, so it claims none.
template <typename F>
void forEachClaim(const PodMember &pod, F &&f)
{
    for (const IpAddress &address : pod.addresses) {
        if (!pod.hostIp || *pod.hostIp != address)
            f(address);
    }
}

bool sameService(const Service &a, const Service &b)
{
    return a.clusterIps == b.clusterIps && a.selector == b.selector
           && a.ports.size() == b.ports.size();
}

} // namespace

Expected<Inventory> loadInventoryText(std::string_view text, const std::string &fileName,
                                      ProgressSink *progress)
{
    InventoryText borrowed = InventoryText::borrow(text);
    return parseGuarded(borrowed, fileName, progress);
}

Expected<Inventory> loadInventoryFile(const std::string &path, ProgressSink *progress)
{
    BULKHEAD_TRY(text, InventoryText::open(path));
    return parseGuarded(text, path, progress);
}

Expected<void> mergeInventory(Inventory &into, Inventory &&from)
{
    std::unordered_map<std::string, size_t> index; // id -> index in into.workloads
    for (size_t i = 0; i < into.workloads.size(); ++i)
        index.emplace(into.workloads[i].id(), i);

    // First pass: check every claim, changing nothing.
    std::unordered_map<IpAddress, const Workload *> claims;
    for (const Workload &w : into.workloads) {
        for (const PodMember &pod : w.pods)
            forEachClaim(pod, [&](const IpAddress &a) { claims.emplace(a, &w); });
    }
    for (const Workload &w : from.workloads) {
        const std::string id = w.id();
        for (const PodMember &pod : w.pods) {
            std::optional<Error> conflict;
            forEachClaim(pod, [&](const IpAddress &a) {
                const auto [it, inserted] = claims.emplace(a, &w);
                if (inserted || conflict || it->second->id() == id)
                    return;
                conflict = Error{w.sourceFile, w.sourceLine,
                                 a.toString() + " is claimed by " + claimant(*it->second)
                                     + " and by " + claimant(w)};
            });
            if (conflict)
                return std::unexpected(std::move(*conflict));
        }
    }

    // Second pass: move.
    for (Workload &w : from.workloads) {
        const auto found = index.find(w.id());
        if (found == index.end()) {
            index.emplace(w.id(), into.workloads.size());
            into.workloads.push_back(std::move(w));
            continue;
        }
        Workload &target = into.workloads[found->second];
        if (target.pods.empty() && !w.pods.empty()) {
            // A workload known from its template only: the real pods say more.
            target.labels = w.labels;
            target.sourceFile = w.sourceFile;
            target.sourceLine = w.sourceLine;
        }
        for (PodMember &pod : w.pods) {
            const bool known = std::any_of(target.pods.begin(), target.pods.end(),
                                           [&](const PodMember &p) { return p.name == pod.name; });
            if (!known)
                target.pods.push_back(std::move(pod));
        }
        for (const ContainerPort &port : w.ports) {
            if (std::find(target.ports.begin(), target.ports.end(), port) == target.ports.end())
                target.ports.push_back(port);
        }
    }

    for (Service &s : into.services)
        s.backends.clear();
    std::unordered_map<std::string, size_t> serviceIndex; // id -> index in into.services
    for (size_t i = 0; i < into.services.size(); ++i)
        serviceIndex.emplace(into.services[i].id(), i);
    for (Service &s : from.services) {
        const auto found = serviceIndex.find(s.id());
        if (found == serviceIndex.end()) {
            s.backends.clear();
            serviceIndex.emplace(s.id(), into.services.size());
            into.services.push_back(std::move(s));
            continue;
        }
        const Service *same = &into.services[found->second];
        if (!sameService(*same, s)) {
            into.warnings.push_back({s.sourceFile, s.sourceLine,
                                     "Service " + s.id() + " is also defined in " + same->sourceFile
                                         + ':' + std::to_string(same->sourceLine)
                                         + ", which is kept"});
        }
    }

    for (Node &n : from.nodes)
        into.nodes.push_back(std::move(n));
    for (EndpointSet &e : from.endpointSets)
        into.endpointSets.push_back(std::move(e));
    for (ExternalNetwork &e : from.externals)
        into.externals.push_back(std::move(e));
    into.clusterNetworks.insert(into.clusterNetworks.end(), from.clusterNetworks.begin(),
                                from.clusterNetworks.end());
    for (auto &[name, labels] : from.namespaces) {
        Labels &target = into.namespaces[name];
        for (auto &[key, value] : labels)
            target[key] = std::move(value);
    }
    for (IngressRoutes &ingress : from.ingresses)
        into.ingresses.push_back(std::move(ingress));
    for (const auto &[kind, count] : from.skippedKinds)
        into.skippedKinds[kind] += count;
    for (InventoryWarning &warning : from.warnings)
        into.warnings.push_back(std::move(warning));
    for (std::string &file : from.sourceFiles) {
        if (std::find(into.sourceFiles.begin(), into.sourceFiles.end(), file)
            == into.sourceFiles.end())
            into.sourceFiles.push_back(std::move(file));
    }
    return {};
}

namespace {

template <typename T>
void sortUnique(std::vector<T> &values)
{
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
}

bool selects(const Labels &selector, const Labels &labels)
{
    if (selector.empty())
        return false;
    for (const auto &[key, value] : selector) {
        const auto it = labels.find(key);
        if (it == labels.end() || it->second != value)
            return false;
    }
    return true;
}

} // namespace

void resolveInventory(Inventory &inventory)
{
    for (Workload &w : inventory.workloads) {
        std::stable_sort(w.pods.begin(), w.pods.end(),
                         [](const PodMember &a, const PodMember &b) { return a.name < b.name; });
        w.pods.erase(
            std::unique(w.pods.begin(), w.pods.end(),
                        [](const PodMember &a, const PodMember &b) { return a.name == b.name; }),
            w.pods.end());
    }
    std::stable_sort(inventory.workloads.begin(), inventory.workloads.end(),
                     [](const Workload &a, const Workload &b) {
                         return std::tie(a.ns, a.name) < std::tie(b.ns, b.name);
                     });
    std::stable_sort(inventory.services.begin(), inventory.services.end(),
                     [](const Service &a, const Service &b) {
                         return std::tie(a.ns, a.name) < std::tie(b.ns, b.name);
                     });
    std::stable_sort(inventory.ingresses.begin(), inventory.ingresses.end(),
                     [](const IngressRoutes &a, const IngressRoutes &b) {
                         return std::tie(a.ns, a.name) < std::tie(b.ns, b.name);
                     });
    for (Service &s : inventory.services) {
        s.backends.clear();
        for (size_t i = 0; i < inventory.workloads.size(); ++i) {
            const Workload &w = inventory.workloads[i];
            if (w.ns == s.ns && selects(s.selector, w.labels))
                s.backends.push_back(i);
        }
    }

    // Nodes: one per name, then one per pod hostIP that no node holds, named by its address.
    std::map<std::string, std::vector<IpAddress>> nodes;
    for (Node &n : inventory.nodes) {
        auto &addresses = nodes[n.name];
        addresses.insert(addresses.end(), n.addresses.begin(), n.addresses.end());
    }
    std::vector<IpAddress> known;
    for (auto &[name, addresses] : nodes) {
        sortUnique(addresses);
        known.insert(known.end(), addresses.begin(), addresses.end());
    }
    sortUnique(known);
    for (const Workload &w : inventory.workloads) {
        for (const PodMember &pod : w.pods) {
            if (pod.hostIp && !std::binary_search(known.begin(), known.end(), *pod.hostIp)) {
                auto &addresses = nodes[pod.hostIp->toString()];
                if (addresses.empty())
                    addresses.push_back(*pod.hostIp);
            }
        }
    }
    inventory.nodes.clear();
    for (auto &[name, addresses] : nodes)
        inventory.nodes.push_back(Node{name, std::move(addresses)});

    std::map<std::string, std::vector<Cidr>> externals;
    for (ExternalNetwork &e : inventory.externals) {
        auto &cidrs = externals[e.name];
        cidrs.insert(cidrs.end(), e.cidrs.begin(), e.cidrs.end());
    }
    inventory.externals.clear();
    for (auto &[name, cidrs] : externals) {
        sortUnique(cidrs);
        inventory.externals.push_back(ExternalNetwork{name, std::move(cidrs)});
    }
    sortUnique(inventory.clusterNetworks);
}

std::optional<Error> notAnInventory(const Inventory &file, const std::string &path)
{
    const bool holdsNothing = file.workloads.empty() && file.services.empty() && file.nodes.empty()
                              && file.namespaces.empty() && file.externals.empty()
                              && file.clusterNetworks.empty() && file.ingresses.empty();
    const std::string policies = kindsText(file.skippedKinds, isPolicyKind);
    if (!holdsNothing || policies.empty())
        return std::nullopt;
    return Error{path, 0,
                 "is a policy file (" + policies
                     + "), not an inventory: read it as policies (--policies)"};
}

Expected<Inventory> loadInventories(const std::vector<std::string> &paths, ProgressSink *progress)
{
    Inventory inventory;
    for (const std::string &path : paths) {
        auto loaded = loadInventoryFile(path, progress);
        if (!loaded)
            return std::unexpected(std::move(loaded.error()));
        if (auto wrong = notAnInventory(*loaded, path))
            return std::unexpected(std::move(*wrong));
        BULKHEAD_CHECK(mergeInventory(inventory, std::move(*loaded)));
    }
    resolveInventory(inventory);
    return inventory;
}

} // namespace bulkhead
