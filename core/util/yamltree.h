#pragma once

#include "util/error.h"

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace bulkhead {

// The parts of a Kubernetes object Bulkhead never reads and that make most of a real dump's size:
// metadata.managedFields and metadata.annotations (last-applied-configuration), the object's
// status.conditions and container statuses, pod specs' volumes, tolerations and affinity, and
// containers' env, mounts, probes, resources, commands and security contexts. Everything else under
// metadata, spec and status is kept, so the object readers see the fields they know (and new ones)
// where they always were. README.md, "Large clusters", lists the same.
struct PruneContext
{
    std::string_view ownerKey; // the key the current map sits under (a list's key for its elements)
    bool inSequence = false;   // the current map is an element of a list
    int depth = 0;             // 0: the object itself
};
bool isPrunedKey(const PruneContext &where, std::string_view key);

// Builds a yaml-cpp tree from parser events (libyaml's for YAML, simdjson's for JSON) for the
// object readers, which read YAML::Node: every node carries its line, maps refuse a repeated key,
// nesting is bounded, and with pruning on, the keys above are left out (the parser skips their
// values). One builder makes one tree (one Kubernetes object of a List, or one document).
// A YAML document's anchors, shared by the trees of its parts (a List's head and its items): an
// alias in one item may name an anchor of the head or of an earlier item.
struct YamlAnchors
{
    struct Entry
    {
        std::string name;
        YAML::detail::node *node;
        YAML::detail::shared_memory_holder memory;
    };
    std::vector<Entry> entries;
};

class YamlTreeBuilder
{
public:
    // Deeper nesting is an Error, as with yaml-cpp's own parser.
    static constexpr int MaxDepth = 2000;

    // anchors may be null: then anchors are this tree's own.
    YamlTreeBuilder(const std::string &fileName, bool prune, YamlAnchors *anchors = nullptr);

    // Events. Lines are 1-based. A map's keys and values alternate. Each returns an Error to stop
    // the parse (nesting too deep, a repeated key).
    Expected<void> startMap(int line, std::string_view anchor = {});
    Expected<void> startSequence(int line, std::string_view anchor = {});
    Expected<void> end();
    // plain: written without quotes (YAML), so "", "~" and "null" are null as in yaml-cpp.
    Expected<void> scalar(int line, std::string_view text, bool plain, std::string_view anchor = {});
    Expected<void> null(int line, std::string_view anchor = {});
    Expected<void> alias(int line, std::string_view anchor);

    // True when the next event is a map value that pruning leaves out; the caller skips that value
    // (JSON: without looking at it) or calls skipValue() and keeps sending its events (YAML).
    bool nextValueIsPruned() const;
    // The JSON way: the pending key is forgotten, its value never sent.
    void dropPendingKey();
    // The YAML way of skipping: the next value's events are swallowed, however deep.
    void skipValue();
    bool skipping() const { return m_skipDepth > 0 || m_skipPending; }
    // The current collection is a map waiting for a key.
    bool expectingKey() const { return !m_frames.empty() && m_frames.back().isMap && m_frames.back().expectKey; }

    bool done() const { return m_root != nullptr && m_frames.empty(); }
    // The finished tree (a null node when nothing was built).
    YAML::Node take();
    bool usedAliases() const { return m_usedAliases; }

private:
    struct Frame
    {
        YAML::detail::node *node;
        bool isMap;
        bool expectKey = true;
        YAML::detail::node *key = nullptr;
        std::string_view ownerKey;
        bool inSequence = false;
        int depth = 0;
        std::vector<const std::string *> keys; // for the repeated-key check
        std::unique_ptr<std::unordered_set<std::string_view>> many;
    };
    Expected<void> attach(YAML::detail::node &node, int line, std::string_view anchor);
    YAML::detail::node &create(int line);

    const std::string &m_fileName;
    bool m_prune;
    YAML::detail::shared_memory_holder m_memory;
    YAML::detail::node *m_root = nullptr;
    std::vector<Frame> m_frames;
    YamlAnchors m_ownAnchors;
    YamlAnchors *m_anchors;
    std::vector<YAML::detail::memory_holder *> m_merged;
    int m_skipDepth = 0;
    bool m_skipPending = false;
    bool m_usedAliases = false;
};

} // namespace bulkhead
