#include "util/yamltree.h"

#include "util/yamlreader.h"

#include <algorithm>
#include <array>
#include <unordered_set>

namespace bulkhead {
struct YamlTreeAccess;
}

// yaml-cpp 0.7 makes a YAML::Node from its internal node only for its own builder and for the
// friends it names, among them every as_if<T, S>; this specialization is such a friend. It is the
// only way to give a tree built here its lines (Node::Mark) without parsing the text again.
template<>
struct YAML::as_if<bulkhead::YamlTreeAccess, bulkhead::YamlTreeAccess>
{
    static YAML::Node make(YAML::detail::node &node, YAML::detail::shared_memory_holder memory)
    {
        return YAML::Node(node, std::move(memory));
    }
};

namespace bulkhead {

namespace {

template<size_t N>
bool among(std::string_view key, const std::array<std::string_view, N> &keys)
{
    return std::find(keys.begin(), keys.end(), key) != keys.end();
}

constexpr std::array<std::string_view, 2> kMetadataPruned{"managedFields", "annotations"};
constexpr std::array<std::string_view, 5> kStatusPruned{"conditions", "containerStatuses",
                                                        "initContainerStatuses",
                                                        "ephemeralContainerStatuses", "images"};
constexpr std::array<std::string_view, 4> kSpecPruned{"volumes", "tolerations", "affinity",
                                                      "topologySpreadConstraints"};
constexpr std::array<std::string_view, 3> kContainerLists{"containers", "initContainers",
                                                          "ephemeralContainers"};
constexpr std::array<std::string_view, 12> kContainerPruned{
    "env",          "envFrom",         "volumeMounts", "volumeDevices", "resources", "livenessProbe",
    "readinessProbe", "startupProbe", "command",      "args",          "lifecycle", "securityContext"};

YAML::Mark markAt(int line)
{
    YAML::Mark mark;
    mark.line = line - 1;
    mark.column = 0;
    mark.pos = 0;
    return mark;
}

bool isPlainNull(std::string_view text)
{
    return text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL";
}

} // namespace

bool isPrunedKey(const PruneContext &where, std::string_view key)
{
    if (where.ownerKey == "metadata" && !where.inSequence)
        return among(key, kMetadataPruned);
    if (where.ownerKey == "status" && where.depth == 1)
        return among(key, kStatusPruned);
    if (where.ownerKey == "spec" && !where.inSequence)
        return among(key, kSpecPruned);
    if (where.inSequence && among(where.ownerKey, kContainerLists))
        return among(key, kContainerPruned);
    return false;
}

YamlTreeBuilder::YamlTreeBuilder(const std::string &fileName, bool prune, YamlAnchors *anchors)
    : m_fileName(fileName)
    , m_prune(prune)
    , m_memory(std::make_shared<YAML::detail::memory_holder>())
    , m_anchors(anchors ? anchors : &m_ownAnchors)
{}

YAML::detail::node &YamlTreeBuilder::create(int line)
{
    YAML::detail::node &node = m_memory->create_node();
    node.set_mark(markAt(line));
    return node;
}

bool YamlTreeBuilder::nextValueIsPruned() const
{
    if (!m_prune || m_frames.empty())
        return false;
    const Frame &f = m_frames.back();
    if (!f.isMap || f.expectKey || !f.key || !f.key->is_defined()
        || f.key->type() != YAML::NodeType::Scalar)
        return false;
    return isPrunedKey(PruneContext{f.ownerKey, f.inSequence, f.depth}, f.key->scalar());
}

void YamlTreeBuilder::dropPendingKey()
{
    m_frames.back().key = nullptr;
    m_frames.back().expectKey = true;
}

void YamlTreeBuilder::skipValue()
{
    dropPendingKey();
    m_skipPending = true;
}

Expected<void> YamlTreeBuilder::attach(YAML::detail::node &node, int line, std::string_view anchor)
{
    if (!anchor.empty()) {
        m_anchors->entries.push_back({std::string(anchor), &node, m_memory});
    }
    if (m_frames.empty()) {
        m_root = &node;
        return {};
    }
    Frame &f = m_frames.back();
    if (!f.isMap) {
        f.node->push_back(node, m_memory);
        return {};
    }
    if (f.expectKey) {
        if (node.type() == YAML::NodeType::Scalar) {
            const std::string &text = node.scalar();
            bool repeated;
            if (f.many) {
                repeated = !f.many->insert(text).second;
            } else {
                repeated = std::any_of(f.keys.begin(), f.keys.end(),
                                       [&](const std::string *k) { return *k == text; });
                f.keys.push_back(&text);
                if (f.keys.size() > 32) {
                    // Large maps (hostile ones): a hash set keeps the check linear.
                    f.many = std::make_unique<std::unordered_set<std::string_view>>();
                    for (const std::string *k : f.keys)
                        f.many->insert(*k);
                    f.keys.clear();
                }
            }
            if (repeated)
                return makeError(m_fileName, line,
                                 "the key \"" + text.substr(0, 60)
                                     + "\" appears twice in one map; remove one of them");
        }
        f.key = &node;
        f.expectKey = false;
        return {};
    }
    f.node->insert(*f.key, node, m_memory);
    f.expectKey = true;
    return {};
}

Expected<void> YamlTreeBuilder::startMap(int line, std::string_view anchor)
{
    if (m_skipPending || m_skipDepth > 0) {
        m_skipPending = false;
        ++m_skipDepth;
        return {};
    }
    if (m_frames.size() >= MaxDepth)
        return makeError(m_fileName, line,
                         "the YAML is nested too deep (more than 2000 levels); refusing to read it");
    YAML::detail::node &node = create(line);
    node.set_type(YAML::NodeType::Map);
    Frame frame{&node, true};
    if (!m_frames.empty()) {
        const Frame &parent = m_frames.back();
        frame.depth = parent.depth + 1;
        if (parent.isMap) {
            if (parent.key && parent.key->type() == YAML::NodeType::Scalar)
                frame.ownerKey = parent.key->scalar();
        } else {
            frame.ownerKey = parent.ownerKey;
            frame.inSequence = true;
        }
    }
    BULKHEAD_CHECK(attach(node, line, anchor));
    m_frames.push_back(std::move(frame));
    return {};
}

Expected<void> YamlTreeBuilder::startSequence(int line, std::string_view anchor)
{
    if (m_skipPending || m_skipDepth > 0) {
        m_skipPending = false;
        ++m_skipDepth;
        return {};
    }
    if (m_frames.size() >= MaxDepth)
        return makeError(m_fileName, line,
                         "the YAML is nested too deep (more than 2000 levels); refusing to read it");
    YAML::detail::node &node = create(line);
    node.set_type(YAML::NodeType::Sequence);
    Frame frame{&node, false};
    if (!m_frames.empty()) {
        const Frame &parent = m_frames.back();
        frame.depth = parent.depth + 1;
        if (parent.isMap && parent.key && parent.key->type() == YAML::NodeType::Scalar)
            frame.ownerKey = parent.key->scalar();
    }
    BULKHEAD_CHECK(attach(node, line, anchor));
    m_frames.push_back(std::move(frame));
    return {};
}

Expected<void> YamlTreeBuilder::end()
{
    if (m_skipDepth > 0) {
        --m_skipDepth;
        return {};
    }
    if (!m_frames.empty()) {
        Frame &f = m_frames.back();
        if (f.isMap && !f.expectKey) {
            // A key without a value (cannot come from a parser; kept safe anyway).
            YAML::detail::node &value = create(0);
            value.set_null();
            f.node->insert(*f.key, value, m_memory);
        }
        m_frames.pop_back();
    }
    return {};
}

Expected<void> YamlTreeBuilder::scalar(int line, std::string_view text, bool plain,
                                       std::string_view anchor)
{
    if (m_skipPending || m_skipDepth > 0) {
        m_skipPending = false;
        return {};
    }
    if (plain && isPlainNull(text))
        return null(line, anchor);
    YAML::detail::node &node = create(line);
    node.set_scalar(std::string(text));
    if (!plain)
        node.set_tag("!");
    return attach(node, line, anchor);
}

Expected<void> YamlTreeBuilder::null(int line, std::string_view anchor)
{
    if (m_skipPending || m_skipDepth > 0) {
        m_skipPending = false;
        return {};
    }
    YAML::detail::node &node = create(line);
    node.set_null();
    return attach(node, line, anchor);
}

Expected<void> YamlTreeBuilder::alias(int line, std::string_view anchor)
{
    if (m_skipPending || m_skipDepth > 0) {
        m_skipPending = false;
        return {};
    }
    // The latest node of that name (YAML lets an anchor be redefined).
    for (auto it = m_anchors->entries.rbegin(); it != m_anchors->entries.rend(); ++it) {
        if (it->name == anchor) {
            m_usedAliases = true;
            // A node of another tree: this tree keeps that tree's nodes alive.
            if (it->memory != m_memory
                && std::find(m_merged.begin(), m_merged.end(), it->memory.get()) == m_merged.end()) {
                m_memory->merge(*it->memory);
                m_merged.push_back(it->memory.get());
            }
            return attach(*it->node, line, {});
        }
    }
    return makeError(m_fileName, line,
                     "the alias *" + std::string(anchor.substr(0, 60))
                         + " names no anchor of this object that Bulkhead reads (anchors are "
                           "per object, and not inside the parts it skips)");
}

YAML::Node YamlTreeBuilder::take()
{
    if (!m_root)
        return YAML::Node(YAML::NodeType::Null);
    YAML::detail::node *root = m_root;
    m_root = nullptr;
    m_frames.clear();
    return YAML::as_if<YamlTreeAccess, YamlTreeAccess>::make(*root, m_memory);
}

} // namespace bulkhead
