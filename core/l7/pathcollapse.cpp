#include "l7/pathcollapse.h"

#include <algorithm>
#include <map>
#include <memory>
#include <set>

namespace bulkhead {
namespace {

// The key of the wildcard child; no real segment holds a '\0'.
const std::string kWildcardKey(1, '\0');

struct Node
{
    std::map<std::string, std::unique_ptr<Node>> children;
    std::set<std::string> endsHere; // observed paths that end at this node
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

void collapse(Node &node, int threshold)
{
    size_t distinct = 0;
    for (const auto &[key, sub] : node.children)
        distinct += !key.empty() ? 1 : 0;
    if (threshold >= 1 && distinct > static_cast<size_t>(threshold)) {
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
        collapse(*sub, threshold);
}

void emit(const Node &node, const std::string &prefix, bool root, std::vector<CollapsedPath> &out)
{
    if (!node.endsHere.empty())
        out.push_back({root ? "/" : prefix, {node.endsHere.begin(), node.endsHere.end()}});
    for (const auto &[key, sub] : node.children) {
        const std::string segment = key == kWildcardKey ? std::string(kPathSegmentWildcard)
                                                        : regexEscape(key);
        emit(*sub, prefix + '/' + segment, false, out);
    }
}

} // namespace

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

std::string_view requestPathView(std::string_view target)
{
    if (const size_t scheme = target.find("://"); scheme != std::string_view::npos && !target.starts_with('/')) {
        const size_t slash = target.find('/', scheme + 3);
        target = slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
    }
    const size_t cut = target.find_first_of("?#");
    if (cut != std::string_view::npos)
        target = target.substr(0, cut);
    return target;
}

std::vector<CollapsedPath> collapsePaths(const std::vector<std::string> &paths, int threshold)
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
                node = &child(*node, path.substr(begin, end == std::string::npos ? std::string::npos : end - begin));
                if (end == std::string::npos)
                    break;
                begin = end + 1;
            }
        }
        node->endsHere.insert(path.empty() ? std::string("/") : path);
    }
    collapse(root, threshold);
    std::vector<CollapsedPath> out;
    emit(root, "", true, out);
    std::sort(out.begin(), out.end(), [](const CollapsedPath &a, const CollapsedPath &b) { return a.pattern < b.pattern; });
    return out;
}

} // namespace bulkhead
