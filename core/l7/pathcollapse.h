#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace bulkhead {

// One path pattern of rules.http and the observed paths it stands for.
struct CollapsedPath
{
    std::string pattern;            // a regular expression Cilium matches against the whole path
    std::vector<std::string> paths; // the observed paths behind it, sorted
};

// The wildcard written for a collapsed segment. It is also how a node below a collapsed one is
// named in a node path ("/users/[^/]+/orders"): a real segment never holds a '/'.
inline constexpr std::string_view kPathSegmentWildcard = "[^/]+";

// A user's override of the threshold at one node of the path tree (docs/cilium.md "Path
// decisions"): Collapse turns every child of the node into one [^/]+ child even at or below the
// threshold; Split keeps the children as they are even above it.
enum class PathAction { Collapse, Split };
std::string_view pathActionName(PathAction action); // "collapse" | "split"

// Node path ("/", "/users", "/users/[^/]+") -> action. The segments are the raw ones (not
// regex-escaped), the wildcard child written as [^/]+.
using PathOverrides = std::map<std::string, PathAction>;

// Whether a node path is well formed: "/" or '/'-separated non-empty segments, each either
// [^/]+ or free of '[', ']', whitespace, control characters, '?' and '#'.
bool isValidNodePath(std::string_view nodePath);

// Collapses request paths in a prefix tree of their '/'-separated segments: where one node has
// more than `threshold` distinct non-empty child segments, they become one [^/]+ child (their
// subtrees merged, then collapsed in turn). `overrides` force or forbid that at a node (a node
// path no node has changes nothing). Literal segments are regex-escaped. Query strings and
// fragments are cut off first; an absolute-form target (http://host/p) keeps its path.
// threshold < 1 collapses nothing but the overrides. Patterns come out sorted; the same input
// gives the same output.
std::vector<CollapsedPath> collapsePaths(const std::vector<std::string> &paths, int threshold,
                                         const PathOverrides &overrides = {});

// Requests of one method and path, with how many were seen, and how many of them carried a query
// string.
struct PathRequest
{
    std::string method;
    std::string path;
    uint64_t count = 0;
    uint64_t withQuery = 0;
};

// What follows a path pattern in rules.http so that Envoy, which matches it against the whole
// `:path` (query string included), lets the requests behind it through: "" when none of the
// `requests` carried a query (exact), "[?].*" when all did, "([?].*)?" when some did
// (docs/cilium.md "Query strings"). [?] is a literal '?' in RE2 and ECMAScript alike, with no
// backslash for YAML to double.
std::string queryPatternSuffix(uint64_t requests, uint64_t withQuery);

// One node of the path tree as rules.http sees it: the paths of every method merged, each
// method's tree collapsed on its own (as the generator does).
struct PathTreeNode
{
    enum class Collapse { None, Threshold, Decision };

    std::string nodePath; // "/", "/users", "/users/[^/]+" (raw segments)
    std::string segment;  // "/" for the root, else the raw segment or [^/]+
    int parent = -1;
    std::vector<int> children;     // sorted by segment
    std::set<std::string> methods; // methods with a request at or below this node
    uint64_t requests = 0;         // requests at or below
    size_t paths = 0;              // distinct observed paths at or below
    Collapse collapsed
        = Collapse::None; // this node's children became [^/]+ (for some method), and why
    bool split = false;   // a Split decision kept its children apart
    // Where paths end here: the rules.http entries, "GET /users/[^/]+", with the query suffix the
    // generator writes ("GET /users/[^/]+([?].*)?"); sorted.
    std::vector<std::string> rules;
    std::string pattern; // the regular expression of this node's path ("/users/[^/]+")
};

struct PathTree
{
    std::vector<PathTreeNode> nodes;           // nodes[0] is the root (when there is any request)
    int find(std::string_view nodePath) const; // -1: no such node
};

PathTree buildPathTree(const std::vector<PathRequest> &requests, int threshold,
                       const PathOverrides &overrides = {});

// The path of a request target: no query string or fragment, absolute form reduced to its path.
std::string requestPath(std::string_view target);
// The same as a view into `target` (or of a static "/"): no allocation.
std::string_view requestPathView(std::string_view target);
// The query string of a request target: what follows its first '?' up to any '#' (a view into
// `target`, maybe empty: "/a?"), or nullopt when it has no '?' before a '#'.
std::optional<std::string_view> requestQueryView(std::string_view target);

// A literal as a regular expression that matches exactly it.
std::string regexEscape(std::string_view literal);

} // namespace bulkhead
