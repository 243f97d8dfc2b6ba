#pragma once

#include "util/error.h"

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
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

// A small read-only tree of one parsed value (a Kubernetes object, a document): the inventory
// readers build it from parser events (libyaml's for YAML, simdjson's for JSON) instead of a
// yaml-cpp tree, which cost most of a large dump's reading (a shared pointer, a string and a map
// node a value). Nodes live in a TreeArena; a TreeNode is a plain handle to one, valid while its
// arena lives (Tree keeps it alive). The member names follow yaml-cpp's Node, so the readers
// (BasicYamlReader) are written once for both.
// Where a node's line is counted from when the parser gave offsets (JSON): the text and its
// first line.
struct TreeLineSource
{
    const char *text;
    int firstLine;
};

struct TreeNodeData
{
    uint8_t type;   // a YAML::NodeType::value
    bool quoted;    // a scalar written in quotes (YAML) or a JSON string
    int32_t line;   // 1-based; 0 when unknown; with lines, an offset into lines->text
    uint32_t count; // a scalar's length, a sequence's elements, a map's pairs
    union {
        const char *text;
        TreeNodeData **children; // a map's: key, value, key, value...
    };
    const TreeLineSource *lines;
    int lineNumber() const;
};

class TreeNode
{
public:
    TreeNode() = default; // undefined
    explicit TreeNode(const TreeNodeData *data)
        : m_data(data)
    {
    }

    YAML::NodeType::value Type() const
    {
        return m_data ? YAML::NodeType::value(m_data->type) : YAML::NodeType::Undefined;
    }
    bool IsDefined() const { return m_data != nullptr; }
    bool IsNull() const { return Type() == YAML::NodeType::Null; }
    bool IsScalar() const { return Type() == YAML::NodeType::Scalar; }
    bool IsSequence() const { return Type() == YAML::NodeType::Sequence; }
    bool IsMap() const { return Type() == YAML::NodeType::Map; }
    // The text of a scalar; empty for anything else.
    std::string_view Scalar() const
    {
        return IsScalar() ? std::string_view(m_data->text, m_data->count) : std::string_view();
    }
    bool quoted() const { return IsScalar() && m_data->quoted; }
    int line() const { return m_data ? m_data->lineNumber() : 0; }
    // Elements of a sequence, pairs of a map.
    size_t size() const { return IsSequence() || IsMap() ? m_data->count : 0; }
    // A sequence's element i; undefined when there is none.
    TreeNode operator[](size_t i) const
    {
        return IsSequence() && i < m_data->count ? TreeNode(m_data->children[i]) : TreeNode();
    }
    const TreeNodeData *data() const { return m_data; }

    // Iteration as in yaml-cpp: a sequence's elements are the values themselves, a map's have
    // first (the key) and second (the value).
    class const_iterator;
    const_iterator begin() const;
    const_iterator end() const;

private:
    const TreeNodeData *m_data = nullptr;
};

struct TreeNodeValue : TreeNode
{
    TreeNode first, second;
};

class TreeNode::const_iterator
{
public:
    const_iterator(const TreeNodeData *node, size_t index)
        : m_node(node)
        , m_index(index)
    {
    }
    TreeNodeValue operator*() const
    {
        TreeNodeValue v;
        if (m_node->type == YAML::NodeType::Map) {
            v.first = TreeNode(m_node->children[2 * m_index]);
            v.second = TreeNode(m_node->children[2 * m_index + 1]);
        } else {
            static_cast<TreeNode &>(v) = TreeNode(m_node->children[m_index]);
        }
        return v;
    }
    const TreeNodeValue *operator->() const
    {
        m_value = **this;
        return &m_value;
    }
    const_iterator &operator++()
    {
        ++m_index;
        return *this;
    }
    bool operator==(const const_iterator &o) const { return m_index == o.m_index; }
    bool operator!=(const const_iterator &o) const { return m_index != o.m_index; }

private:
    const TreeNodeData *m_node;
    size_t m_index;
    mutable TreeNodeValue m_value;
};

inline TreeNode::const_iterator TreeNode::begin() const
{
    return const_iterator(m_data, 0);
}
inline TreeNode::const_iterator TreeNode::end() const
{
    return const_iterator(m_data, size());
}

// Where a tree's nodes and texts live: blocks of memory handed out in order and freed together.
class TreeArena
{
public:
    TreeArena() = default;
    TreeArena(const TreeArena &) = delete;
    TreeArena &operator=(const TreeArena &) = delete;

    TreeNodeData *node(YAML::NodeType::value type, int line);
    const char *copy(std::string_view text);
    TreeNodeData **children(size_t n);
    const TreeLineSource *lineSource(const char *text, int firstLine);
    // Everything handed out is forgotten (the largest block is kept for the next tree).
    void reset();
    // Arenas holding nodes this arena's nodes point to (a YAML alias to another object's anchor).
    std::vector<std::shared_ptr<TreeArena>> keep;

private:
    void *allocate(size_t bytes);
    std::vector<std::unique_ptr<char[]>> m_blocks;
    std::vector<size_t> m_sizes;
    char *m_pos = nullptr;
    char *m_end = nullptr;
};

// A tree with the memory it lives in.
struct Tree
{
    std::shared_ptr<TreeArena> arena;
    TreeNode root;
};

// Checks a tree reached through YAML aliases, which may be far larger than its text: more than
// maxVisits nodes is an Error naming the line (cycles too), as checkYamlTree does for yaml-cpp.
Expected<void> checkTree(TreeNode root, const std::string &fileName, size_t maxVisits);

// Builds a tree from parser events: every node carries its line, maps refuse a repeated key,
// nesting is bounded, and with pruning on, the keys above are left out (the parser skips their
// values). One builder makes one tree (one Kubernetes object of a List, or one document).
// A YAML document's anchors, shared by the trees of its parts (a List's head and its items): an
// alias in one item may name an anchor of the head or of an earlier item.
struct YamlAnchors
{
    struct Entry
    {
        std::string name;
        TreeNodeData *node;
        std::shared_ptr<TreeArena> arena;
    };
    std::vector<Entry> entries;
};

class YamlTreeBuilder
{
public:
    // Deeper nesting is an Error, as with yaml-cpp's own parser.
    static constexpr int MaxDepth = 2000;

    // anchors may be null: then anchors are this tree's own. arena: where to build (reset first),
    // when the caller keeps one to reuse; otherwise a new one.
    YamlTreeBuilder(const std::string &fileName, bool prune, YamlAnchors *anchors = nullptr,
                    std::shared_ptr<TreeArena> arena = nullptr);

    // From now on, the lines given with events are offsets into text, whose first line is
    // firstLine: nodes count their line only when asked. text must outlive the tree.
    void setLineSource(const char *text, int firstLine);

    // Events. Lines are 1-based. A map's keys and values alternate. Each returns an Error to stop
    // the parse (nesting too deep, a repeated key).
    Expected<void> startMap(int line, std::string_view anchor = {});
    Expected<void> startSequence(int line, std::string_view anchor = {});
    Expected<void> end();
    // plain: written without quotes (YAML), so "", "~" and "null" are null as in yaml-cpp.
    Expected<void> scalar(int line, std::string_view text, bool plain,
                          std::string_view anchor = {});
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
    bool expectingKey() const
    {
        return !m_frames.empty() && m_frames.back().isMap && m_frames.back().expectKey;
    }

    bool done() const { return m_root != nullptr && m_frames.empty(); }
    // The finished tree (a null node when nothing was built).
    Tree take();
    bool usedAliases() const { return m_usedAliases; }

private:
    struct Frame
    {
        TreeNodeData *node;
        bool isMap;
        bool expectKey = true;
        TreeNodeData *key = nullptr;
        std::string_view ownerKey;
        bool inSequence = false;
        int depth = 0;
        size_t firstChild = 0; // in m_children
    };
    Expected<void> attach(TreeNodeData *node, std::string_view anchor);
    Expected<void> checkKeys(const Frame &frame);
    TreeNodeData *create(YAML::NodeType::value type, int line);
    int lineOf(int line) const;

    const std::string &m_fileName;
    bool m_prune;
    std::shared_ptr<TreeArena> m_arena;
    const TreeLineSource *m_lines = nullptr;
    TreeNodeData *m_root = nullptr;
    std::vector<Frame> m_frames;
    std::vector<TreeNodeData *> m_children; // of the open collections, innermost last
    YamlAnchors m_ownAnchors;
    YamlAnchors *m_anchors;
    int m_skipDepth = 0;
    bool m_skipPending = false;
    bool m_usedAliases = false;
};

} // namespace bulkhead
