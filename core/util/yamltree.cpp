#include "util/yamltree.h"

#include "util/yamlreader.h"

#include <algorithm>
#include <array>
#include <cstring>

namespace bulkhead {

namespace {

template <size_t N>
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
    "env",       "envFrom",       "volumeMounts",   "volumeDevices",
    "resources", "livenessProbe", "readinessProbe", "startupProbe",
    "command",   "args",          "lifecycle",      "securityContext"};

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

// ---------------------------------------------------------------------------------------------
// The arena

void *TreeArena::allocate(size_t bytes)
{
    bytes = (bytes + 7) & ~size_t(7);
    if (size_t(m_end - m_pos) < bytes) {
        const size_t last = m_sizes.empty() ? 0 : m_sizes.back();
        const size_t size
            = std::max(bytes, std::min(std::max(last * 2, size_t(16) << 10), size_t(1) << 20));
        m_blocks.push_back(std::make_unique<char[]>(size));
        m_sizes.push_back(size);
        m_pos = m_blocks.back().get();
        m_end = m_pos + size;
    }
    void *at = m_pos;
    m_pos += bytes;
    return at;
}

TreeNodeData *TreeArena::node(YAML::NodeType::value type, int line)
{
    auto *n = static_cast<TreeNodeData *>(allocate(sizeof(TreeNodeData)));
    n->type = uint8_t(type);
    n->quoted = false;
    n->line = line;
    n->count = 0;
    n->children = nullptr;
    n->lines = nullptr;
    return n;
}

const TreeLineSource *TreeArena::lineSource(const char *text, int firstLine)
{
    auto *source = static_cast<TreeLineSource *>(allocate(sizeof(TreeLineSource)));
    source->text = text;
    source->firstLine = firstLine;
    return source;
}

int TreeNodeData::lineNumber() const
{
    if (!lines)
        return line;
    return lines->firstLine + int(std::count(lines->text, lines->text + line, '\n'));
}

const char *TreeArena::copy(std::string_view text)
{
    if (text.empty())
        return nullptr;
    char *at = static_cast<char *>(allocate(text.size()));
    std::memcpy(at, text.data(), text.size());
    return at;
}

TreeNodeData **TreeArena::children(size_t n)
{
    return static_cast<TreeNodeData **>(allocate(n * sizeof(TreeNodeData *)));
}

void TreeArena::reset()
{
    keep.clear();
    if (m_blocks.size() > 1) {
        m_blocks.erase(m_blocks.begin(), m_blocks.end() - 1);
        m_sizes.erase(m_sizes.begin(), m_sizes.end() - 1);
    }
    if (!m_blocks.empty()) {
        m_pos = m_blocks.back().get();
        m_end = m_pos + m_sizes.back();
    }
}

Expected<void> checkTree(TreeNode root, const std::string &fileName, size_t maxVisits)
{
    std::vector<TreeNode> stack{root};
    size_t visits = 0;
    while (!stack.empty()) {
        const TreeNode node = stack.back();
        stack.pop_back();
        if (++visits > maxVisits)
            return makeError(fileName, node.line(),
                             "the file expands to too many YAML nodes through aliases (more than "
                                 + std::to_string(maxVisits) + "); refusing to read it");
        if (node.IsSequence()) {
            for (size_t i = 0; i < node.size(); ++i)
                stack.push_back(TreeNode(node.data()->children[i]));
        } else if (node.IsMap()) {
            for (size_t i = 0; i < node.size(); ++i)
                stack.push_back(TreeNode(node.data()->children[2 * i + 1]));
        }
    }
    return {};
}

// ---------------------------------------------------------------------------------------------
// The builder

YamlTreeBuilder::YamlTreeBuilder(const std::string &fileName, bool prune, YamlAnchors *anchors,
                                 std::shared_ptr<TreeArena> arena)
    : m_fileName(fileName)
    , m_prune(prune)
    , m_arena(arena ? std::move(arena) : std::make_shared<TreeArena>())
    , m_anchors(anchors ? anchors : &m_ownAnchors)
{
}

void YamlTreeBuilder::setLineSource(const char *text, int firstLine)
{
    m_lines = m_arena->lineSource(text, firstLine);
}

TreeNodeData *YamlTreeBuilder::create(YAML::NodeType::value type, int line)
{
    TreeNodeData *node = m_arena->node(type, line);
    node->lines = m_lines;
    return node;
}

int YamlTreeBuilder::lineOf(int line) const
{
    if (!m_lines)
        return line;
    TreeNodeData at{};
    at.line = line;
    at.lines = m_lines;
    return at.lineNumber();
}

bool YamlTreeBuilder::nextValueIsPruned() const
{
    if (!m_prune || m_frames.empty())
        return false;
    const Frame &f = m_frames.back();
    if (!f.isMap || f.expectKey || !f.key || f.key->type != YAML::NodeType::Scalar)
        return false;
    return isPrunedKey(PruneContext{f.ownerKey, f.inSequence, f.depth},
                       std::string_view(f.key->text, f.key->count));
}

void YamlTreeBuilder::dropPendingKey()
{
    Frame &f = m_frames.back();
    if (f.key) {
        m_children.pop_back();
        f.key = nullptr;
    }
    f.expectKey = true;
}

void YamlTreeBuilder::skipValue()
{
    dropPendingKey();
    m_skipPending = true;
}

Expected<void> YamlTreeBuilder::attach(TreeNodeData *node, std::string_view anchor)
{
    if (!anchor.empty())
        m_anchors->entries.push_back({std::string(anchor), node, m_arena});
    if (m_frames.empty()) {
        m_root = node;
        return {};
    }
    Frame &f = m_frames.back();
    m_children.push_back(node);
    if (f.isMap) {
        f.key = f.expectKey ? node : nullptr;
        f.expectKey = !f.expectKey;
    }
    return {};
}

// A map's keys, when the map ends: a key written twice is an Error at its second line.
Expected<void> YamlTreeBuilder::checkKeys(const Frame &f)
{
    TreeNodeData *const *pairs = m_children.data() + f.firstChild;
    const size_t n = (m_children.size() - f.firstChild) / 2;
    auto text = [&](size_t i) { return std::string_view(pairs[2 * i]->text, pairs[2 * i]->count); };
    auto scalar = [&](size_t i) { return pairs[2 * i]->type == YAML::NodeType::Scalar; };
    size_t repeated = n;
    if (n <= 32) {
        for (size_t j = 1; j < n && repeated == n; ++j) {
            if (!scalar(j))
                continue;
            for (size_t i = 0; i < j; ++i) {
                if (scalar(i) && text(i) == text(j)) {
                    repeated = j;
                    break;
                }
            }
        }
    } else {
        // Large maps (hostile ones): sorted, so the check stays n log n.
        std::vector<size_t> order;
        order.reserve(n);
        for (size_t i = 0; i < n; ++i)
            if (scalar(i))
                order.push_back(i);
        std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
            const int c = text(a).compare(text(b));
            return c < 0 || (c == 0 && a < b);
        });
        for (size_t k = 1; k < order.size(); ++k)
            if (text(order[k]) == text(order[k - 1]))
                repeated = std::min(repeated, order[k]);
    }
    if (repeated == n)
        return {};
    return makeError(m_fileName, pairs[2 * repeated]->lineNumber(),
                     "the key \"" + std::string(text(repeated).substr(0, 60))
                         + "\" appears twice in one map; remove one of them");
}

Expected<void> YamlTreeBuilder::startMap(int line, std::string_view anchor)
{
    if (m_skipPending || m_skipDepth > 0) {
        m_skipPending = false;
        ++m_skipDepth;
        return {};
    }
    if (m_frames.size() >= MaxDepth)
        return makeError(
            m_fileName, lineOf(line),
            "the YAML is nested too deep (more than 2000 levels); refusing to read it");
    TreeNodeData *node = create(YAML::NodeType::Map, line);
    Frame frame{node, true};
    if (!m_frames.empty()) {
        const Frame &parent = m_frames.back();
        frame.depth = parent.depth + 1;
        if (parent.isMap) {
            if (parent.key && parent.key->type == YAML::NodeType::Scalar)
                frame.ownerKey = std::string_view(parent.key->text, parent.key->count);
        } else {
            frame.ownerKey = parent.ownerKey;
            frame.inSequence = true;
        }
    }
    BULKHEAD_CHECK(attach(node, anchor));
    frame.firstChild = m_children.size();
    m_frames.push_back(frame);
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
        return makeError(
            m_fileName, lineOf(line),
            "the YAML is nested too deep (more than 2000 levels); refusing to read it");
    TreeNodeData *node = create(YAML::NodeType::Sequence, line);
    Frame frame{node, false};
    if (!m_frames.empty()) {
        const Frame &parent = m_frames.back();
        frame.depth = parent.depth + 1;
        if (parent.isMap && parent.key && parent.key->type == YAML::NodeType::Scalar)
            frame.ownerKey = std::string_view(parent.key->text, parent.key->count);
    }
    BULKHEAD_CHECK(attach(node, anchor));
    frame.firstChild = m_children.size();
    m_frames.push_back(frame);
    return {};
}

Expected<void> YamlTreeBuilder::end()
{
    if (m_skipDepth > 0) {
        --m_skipDepth;
        return {};
    }
    if (m_frames.empty())
        return {};
    Frame &f = m_frames.back();
    if (f.isMap && !f.expectKey) {
        // A key without a value (cannot come from a parser; kept safe anyway).
        m_children.push_back(m_arena->node(YAML::NodeType::Null, 0));
    }
    if (f.isMap)
        BULKHEAD_CHECK(checkKeys(f));
    const size_t n = m_children.size() - f.firstChild;
    if (n > 0) {
        TreeNodeData **children = m_arena->children(n);
        std::memcpy(children, m_children.data() + f.firstChild, n * sizeof(TreeNodeData *));
        f.node->children = children;
    }
    f.node->count = uint32_t(f.isMap ? n / 2 : n);
    m_children.resize(f.firstChild);
    m_frames.pop_back();
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
    TreeNodeData *node = create(YAML::NodeType::Scalar, line);
    node->text = m_arena->copy(text);
    node->count = uint32_t(text.size());
    node->quoted = !plain;
    return attach(node, anchor);
}

Expected<void> YamlTreeBuilder::null(int line, std::string_view anchor)
{
    if (m_skipPending || m_skipDepth > 0) {
        m_skipPending = false;
        return {};
    }
    return attach(create(YAML::NodeType::Null, line), anchor);
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
            // A node of another tree: this tree keeps that tree's memory alive.
            if (it->arena != m_arena
                && std::find(m_arena->keep.begin(), m_arena->keep.end(), it->arena)
                       == m_arena->keep.end())
                m_arena->keep.push_back(it->arena);
            return attach(it->node, {});
        }
    }
    return makeError(m_fileName, lineOf(line),
                     "the alias *" + std::string(anchor.substr(0, 60))
                         + " names no anchor of this object that Bulkhead reads (anchors are "
                           "per object, and not inside the parts it skips)");
}

Tree YamlTreeBuilder::take()
{
    Tree tree{m_arena, TreeNode()};
    if (!m_root) {
        tree.root = TreeNode(m_arena->node(YAML::NodeType::Null, 0));
        return tree;
    }
    tree.root = TreeNode(m_root);
    m_root = nullptr;
    m_frames.clear();
    m_children.clear();
    return tree;
}

} // namespace bulkhead
