#include "l7/pathcollapse.h"

#include <algorithm>
#include <memory>

namespace bulkhead {
namespace {

// The key of the wildcard child; no real segment holds a '\0'.
const std::string kWildcardKey(1, '\0');

struct Node
{
    std::map<std::string, std::unique_ptr<Node>> children;
    std::set<std::string> endsHere; // observed paths that end at this node
    PathTreeNode::Collapse collapsed = PathTreeNode::Collapse::None;
    bool split = false;
};

Node &child(Node &node, const std::string &key)
{
    auto &slot = node.children[key];
    if (!slot)
        slot = std::make_unique<Node>();
    return *slot;
}

void mergeInto(Node &into, Node &from)
{
    into.endsHere.insert(from.endsHere.begin(), from.endsHere.end());
    for (auto &[key, sub] : from.children)
        mergeInto(child(into, key), *sub);
}

std::string rawSegment(const std::string &key)
{
    return key == kWildcardKey ? std::string(kPathSegmentWildcard) : key;
}

// The node path of a child ("" when it cannot be named: an empty segment on the way).
std::string childPath(const std::string &parentPath, const std::string &key)
{
    if (parentPath.empty() || key.empty())
        return {};
    return (parentPath == "/" ? std::string() : parentPath) + '/' + rawSegment(key);
}

void collapse(Node &node, const std::string &nodePath, int threshold,
              const PathOverrides &overrides)
{
    size_t distinct = 0;
    for (const auto &[key, sub] : node.children)
        distinct += !key.empty() ? 1 : 0;
    const auto decision = nodePath.empty() ? overrides.end() : overrides.find(nodePath);
    const bool forced = decision != overrides.end() && decision->second == PathAction::Collapse;
    const bool forbidden = decision != overrides.end() && decision->second == PathAction::Split;
    node.split = forbidden;
    const bool byThreshold = threshold >= 1 && distinct > static_cast<size_t>(threshold);
    if (distinct > 0 && (forced || (byThreshold && !forbidden))) {
        node.collapsed
            = forced ? PathTreeNode::Collapse::Decision : PathTreeNode::Collapse::Threshold;
        auto wildcard = std::make_unique<Node>();
        for (auto it = node.children.begin(); it != node.children.end();) {
            if (it->first.empty()) {
                ++it;
                continue;
            }
            mergeInto(*wildcard, *it->second);
            it = node.children.erase(it);
        }
        node.children.emplace(kWildcardKey, std::move(wildcard));
    }
    for (auto &[key, sub] : node.children)
        collapse(*sub, childPath(nodePath, key), threshold, overrides);
}

std::string patternSegment(const std::string &key)
{
    return key == kWildcardKey ? std::string(kPathSegmentWildcard) : regexEscape(key);
}

void emit(const Node &node, const std::string &prefix, bool root, std::vector<CollapsedPath> &out)
{
    if (!node.endsHere.empty())
        out.push_back({root ? "/" : prefix, {node.endsHere.begin(), node.endsHere.end()}});
    for (const auto &[key, sub] : node.children)
        emit(*sub, prefix + '/' + patternSegment(key), false, out);
}

Node buildTree(const std::vector<std::string> &paths)
{
    Node root;
    for (const std::string &raw : paths) {
        const std::string path = requestPath(raw);
        Node *node = &root;
        if (path != "/" && !path.empty()) {
            // "/a/b" -> a, b; a path that does not start with '/' ("*") keeps its first segment.
            size_t begin = path.starts_with('/') ? 1 : 0;
            while (true) {
                const size_t end = path.find('/', begin);
                node = &child(*node, path.substr(begin, end == std::string::npos ? std::string::npos
                                                                                 : end - begin));
                if (end == std::string::npos)
                    break;
                begin = end + 1;
            }
        }
        node->endsHere.insert(path.empty() ? std::string("/") : path);
    }
    return root;
}

// Adds one method's collapsed tree below tree.nodes[at]; returns the paths at or below it and
// their request count.
struct Merger
{
    PathTree &tree;
    std::vector<std::set<std::string>> &pathSets;
    const std::string &method;
    const std::map<std::string, std::pair<uint64_t, uint64_t>> &counts; // path -> all, with query

    uint64_t merge(const Node &node, int at)
    {
        uint64_t requests = 0, withQuery = 0;
        for (const std::string &p : node.endsHere) {
            if (const auto it = counts.find(p); it != counts.end()) {
                requests += it->second.first;
                withQuery += it->second.second;
            }
            pathSets[static_cast<size_t>(at)].insert(p);
        }
        if (!node.endsHere.empty())
            tree.nodes[static_cast<size_t>(at)].rules.push_back(
                method + ' ' + tree.nodes[static_cast<size_t>(at)].pattern
                + queryPatternSuffix(requests, withQuery));
        for (const auto &[key, sub] : node.children) {
            const std::string segment = rawSegment(key);
            int found = -1;
            for (int c : tree.nodes[static_cast<size_t>(at)].children) {
                if (tree.nodes[static_cast<size_t>(c)].segment == segment)
                    found = c;
            }
            if (found < 0) {
                PathTreeNode n;
                const PathTreeNode &parent = tree.nodes[static_cast<size_t>(at)];
                n.segment = segment;
                n.nodePath
                    = (parent.nodePath == "/" ? std::string() : parent.nodePath) + '/' + segment;
                n.pattern = (parent.pattern == "/" ? std::string() : parent.pattern) + '/'
                            + patternSegment(key);
                n.parent = at;
                found = static_cast<int>(tree.nodes.size());
                tree.nodes.push_back(std::move(n));
                pathSets.emplace_back();
                tree.nodes[static_cast<size_t>(at)].children.push_back(found);
            }
            const uint64_t below = merge(*sub, found);
            requests += below;
            pathSets[static_cast<size_t>(at)].insert(pathSets[static_cast<size_t>(found)].begin(),
                                                     pathSets[static_cast<size_t>(found)].end());
        }
        PathTreeNode &self = tree.nodes[static_cast<size_t>(at)];
        self.methods.insert(method);
        self.requests += requests;
        self.collapsed = std::max(self.collapsed, node.collapsed);
        self.split = self.split || node.split;
        return requests;
    }
};

} // namespace

std::string_view pathActionName(PathAction action)
{
    return action == PathAction::Collapse ? "collapse" : "split";
}

bool isValidNodePath(std::string_view nodePath)
{
    if (nodePath == "/")
        return true;
    if (!nodePath.starts_with('/') || nodePath.ends_with('/'))
        return false;
    size_t begin = 1;
    while (begin <= nodePath.size()) {
        size_t end = nodePath.find('/', begin);
        // The wildcard holds a '/' of its own: "[^/]+".
        if (nodePath.substr(begin).starts_with(kPathSegmentWildcard)) {
            end = begin + kPathSegmentWildcard.size();
            if (end != nodePath.size() && nodePath[end] != '/')
                return false;
        } else {
            if (end == std::string_view::npos)
                end = nodePath.size();
            const std::string_view segment = nodePath.substr(begin, end - begin);
            if (segment.empty())
                return false;
            for (const char c : segment) {
                const auto u = static_cast<unsigned char>(c);
                if (u <= 0x20 || u == 0x7f || c == '[' || c == ']' || c == '?' || c == '#')
                    return false;
            }
        }
        begin = end + 1;
    }
    return true;
}

std::string queryPatternSuffix(uint64_t requests, uint64_t withQuery)
{
    if (withQuery == 0)
        return {};
    return withQuery >= requests ? "[?].*" : "([?].*)?";
}

std::string regexEscape(std::string_view literal)
{
    std::string out;
    out.reserve(literal.size());
    for (char c : literal) {
        if (std::string_view(".^$|()[]{}*+?\\").find(c) != std::string_view::npos)
            out += '\\';
        out += c;
    }
    return out;
}

std::string requestPath(std::string_view target)
{
    return std::string(requestPathView(target));
}

namespace {

// Where the query ('?') or the fragment ('#') starts, from `from`; npos if neither. A loop rather
// than find_first_of, which calls memchr once per byte of the path.
size_t queryOrFragment(std::string_view target, size_t from = 0)
{
    for (size_t i = from; i < target.size(); ++i) {
        if (target[i] == '?' || target[i] == '#')
            return i;
    }
    return std::string_view::npos;
}

} // namespace

std::string_view requestPathView(std::string_view target)
{
    if (const size_t scheme = target.find("://");
        scheme != std::string_view::npos && !target.starts_with('/')) {
        const size_t slash = target.find('/', scheme + 3);
        target = slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
    }
    const size_t cut = queryOrFragment(target);
    if (cut != std::string_view::npos)
        target = target.substr(0, cut);
    return target;
}

std::optional<std::string_view> requestQueryView(std::string_view target)
{
    size_t from = 0; // an absolute-form target's authority holds no query
    if (const size_t scheme = target.find("://");
        scheme != std::string_view::npos && !target.starts_with('/'))
        from = scheme + 3;
    const size_t mark = queryOrFragment(target, from);
    if (mark == std::string_view::npos || target[mark] == '#')
        return std::nullopt;
    const size_t end = target.find('#', mark + 1);
    return target.substr(mark + 1, end == std::string_view::npos ? end : end - mark - 1);
}

std::vector<CollapsedPath> collapsePaths(const std::vector<std::string> &paths, int threshold,
                                         const PathOverrides &overrides)
{
    Node root = buildTree(paths);
    // Without overrides no node path is needed: none is built (the generator's common case).
    collapse(root, overrides.empty() ? std::string() : std::string("/"), threshold, overrides);
    std::vector<CollapsedPath> out;
    emit(root, "", true, out);
    std::sort(out.begin(), out.end(),
              [](const CollapsedPath &a, const CollapsedPath &b) { return a.pattern < b.pattern; });
    return out;
}

int PathTree::find(std::string_view nodePath) const
{
    for (size_t i = 0; i < nodes.size(); ++i) {
        if (nodes[i].nodePath == nodePath)
            return static_cast<int>(i);
    }
    return -1;
}

PathTree buildPathTree(const std::vector<PathRequest> &requests, int threshold,
                       const PathOverrides &overrides)
{
    // method -> path -> (count, with a query)
    std::map<std::string, std::map<std::string, std::pair<uint64_t, uint64_t>>> byMethod;
    for (const PathRequest &r : requests) {
        const std::string_view path = requestPathView(r.path);
        auto &n = byMethod[r.method][path.empty() ? std::string("/") : std::string(path)];
        n.first += r.count;
        n.second += r.withQuery;
    }
    PathTree tree;
    if (byMethod.empty())
        return tree;
    PathTreeNode root;
    root.nodePath = "/";
    root.segment = "/";
    root.pattern = "/";
    tree.nodes.push_back(std::move(root));
    std::vector<std::set<std::string>> pathSets(1);
    for (const auto &[method, counts] : byMethod) { // std::map: methods in order
        std::vector<std::string> paths;
        for (const auto &[path, n] : counts)
            paths.push_back(path);
        Node methodRoot = buildTree(paths);
        collapse(methodRoot, "/", threshold, overrides);
        Merger{tree, pathSets, method, counts}.merge(methodRoot, 0);
    }
    for (size_t i = 0; i < tree.nodes.size(); ++i) {
        PathTreeNode &n = tree.nodes[i];
        n.paths = pathSets[i].size();
        std::sort(n.rules.begin(), n.rules.end());
        std::sort(n.children.begin(), n.children.end(), [&](int a, int b) {
            return tree.nodes[static_cast<size_t>(a)].segment
                   < tree.nodes[static_cast<size_t>(b)].segment;
        });
    }
    return tree;
}

} // namespace bulkhead
