#pragma once

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

// The wildcard written for a collapsed segment.
inline constexpr std::string_view kPathSegmentWildcard = "[^/]+";

// Collapses request paths in a prefix tree of their '/'-separated segments: where one node has
// more than `threshold` distinct non-empty child segments, they become one [^/]+ child (their
// subtrees merged, then collapsed in turn). Literal segments are regex-escaped. Query strings
// and fragments are cut off first; an absolute-form target (http://host/p) keeps its path.
// threshold < 1 collapses nothing. Patterns come out sorted; the same input gives the same output.
std::vector<CollapsedPath> collapsePaths(const std::vector<std::string> &paths, int threshold);

// The path of a request target: no query string or fragment, absolute form reduced to its path.
std::string requestPath(std::string_view target);
// The same as a view into `target` (or of a static "/"): no allocation.
std::string_view requestPathView(std::string_view target);

// A literal as a regular expression that matches exactly it.
std::string regexEscape(std::string_view literal);

} // namespace bulkhead
