#pragma once

#include "util/error.h"
#include "util/ipaddress.h"
#include "util/protocol.h"

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// Loader code reads field after field: BULKHEAD_TRY binds the value of an Expected or returns its
// error; BULKHEAD_CHECK returns the error of an Expected<void>.
#define BULKHEAD_TRY(var, expr)                                                                    \
    auto var##Result = (expr);                                                                     \
    if (!var##Result)                                                                              \
        return std::unexpected(std::move(var##Result.error()));                                    \
    auto var = std::move(*var##Result)

#define BULKHEAD_CHECK(expr)                                                                       \
    if (auto checked = (expr); !checked)                                                           \
    return std::unexpected(std::move(checked.error()))

namespace bulkhead {

class TreeNode;

// Typed access to the fields of a parsed YAML document, for the loaders (inventory, zones).
// Every problem becomes an Error carrying the file, the line of the offending node and its field
// path ("items[3].spec.ports[0].port"). Never throws: yaml-cpp is only asked what it can answer.
// Written once for yaml-cpp's nodes (YamlReader: zones, projects) and for the small trees of the
// streaming inventory readers (TreeReader, util/yamltree.h).
//
// A work budget bounds how many nodes a loader may visit, so that a small hostile file whose
// aliases multiply into billions of nodes is refused instead of keeping the tool busy forever.
template <class Node>
class BasicYamlReader
{
public:
    // A node visit costs about 1 us: the default bounds a small file's reading to a fraction of a
    // second. Loaders of large files add budget in proportion to their size.
    static constexpr int64_t DefaultBudget = 250'000;

    explicit BasicYamlReader(std::string fileName, int64_t budget = DefaultBudget);

    const std::string &fileName() const { return m_fileName; }

    // 1-based line of a node; 0 when yaml-cpp knows none.
    static int line(const Node &node);
    // The value under key when node is a map holding it and it is not null; otherwise an
    // undefined node (IsDefined() == false).
    // Scanning a map spends budget; once the budget is exhausted every child is undefined and
    // exhausted() is true: loaders check it after each object.
    Node child(const Node &node, std::string_view key);
    bool has(const Node &node, std::string_view key) { return child(node, key).IsDefined(); }
    bool exhausted() const { return m_budget < 0; }
    std::unexpected<Error> exhaustedError(const Node &node) const;

    std::unexpected<Error> error(const Node &node, std::string_view path,
                                 std::string_view problem) const;
    std::unexpected<Error> error(int line, std::string message) const;

    // Spends n units of the budget; an error once it is exhausted.
    Expected<void> spend(const Node &node, int64_t n = 1);

    // A scalar, as text. Numbers and booleans are scalars too (labels `version: 2` are fine).
    Expected<std::string> string(const Node &node, std::string_view path) const;
    // The string under key, or fallback when absent or null.
    Expected<std::string> string(const Node &map, std::string_view key, std::string_view path,
                                 std::string_view fallback);
    Expected<int64_t> integer(const Node &node, std::string_view path) const;
    Expected<bool> boolean(const Node &node, std::string_view path) const;
    Expected<uint16_t> port(const Node &node, std::string_view path) const;
    Expected<Protocol> protocol(const Node &node, std::string_view path) const;
    Expected<IpAddress> ipAddress(const Node &node, std::string_view path) const;
    Expected<Cidr> cidr(const Node &node, std::string_view path) const;
    // A map of strings to strings (labels, selectors); absent or null is an empty map.
    Expected<std::map<std::string, std::string>> stringMap(const Node &node, std::string_view path);
    // Checks that node is a sequence (absent or null: empty) and spends its length of budget.
    Expected<size_t> sequence(const Node &node, std::string_view path);
    Expected<void> requireMap(const Node &node, std::string_view path) const;

    static std::string join(std::string_view path, std::string_view key);
    static std::string index(std::string_view path, size_t i);

private:
    std::string m_fileName;
    int64_t m_budget;
};

using YamlReader = BasicYamlReader<YAML::Node>;
using TreeReader = BasicYamlReader<TreeNode>;
extern template class BasicYamlReader<YAML::Node>;
extern template class BasicYamlReader<TreeNode>;

} // namespace bulkhead

namespace bulkhead::yaml {

// The small field helpers every YAML reader uses (the loaders through BasicYamlReader, the
// policy readers of core/policy directly), so that paths, quotes and lines read the same in
// every message.

// A present, non-null node: Kubernetes reads `key: null` as if the key were absent.
bool given(const YAML::Node &node);
// The field path of key under path: "spec.ports", or "spec" at the top (path "").
std::string child(std::string_view path, std::string_view key);
// The field path of item i of the list at path: "spec.ports[2]".
std::string indexed(std::string_view path, size_t i);
// s in double quotes, as messages show a value the user wrote.
std::string quoted(std::string_view s);
// The key node of `key` in a map (its line is the field's), or the map itself.
YAML::Node keyOf(const YAML::Node &map, std::string_view key);
// A scalar written without quotes or a tag.
bool isPlain(const YAML::Node &node);
// An integer as written: an optional sign, then digits only.
bool looksLikeInteger(std::string_view s);
// A plain (unquoted) scalar that YAML 1.1 readers such as kubectl's resolve to something other
// than a string: a boolean, a number, infinity or NaN.
bool resolvesToNonString(std::string_view s);

} // namespace bulkhead::yaml

namespace bulkhead {

// Longest line a YAML input may have: yaml-cpp scans a 64 MiB scalar for about a minute.
inline constexpr size_t MaxYamlLineBytes = size_t(1) << 20;

// Checks a YAML file's text before it is parsed: valid UTF-8 (text starting with a UTF-16
// or UTF-32 byte order mark is left to yaml-cpp, which converts it) and no line longer than
// MaxYamlLineBytes. The Error names the line.
Expected<void> checkYamlText(std::string_view text, const std::string &fileName);

// yaml-cpp 0.7's LoadAll never returns on some inputs (a lone "," was found by fuzzing):
// its parser stops advancing and yields empty documents forever. This dry run (events only, no
// nodes) counts the documents and is an Error naming the line once there are more documents than
// the text could hold. Call it before YAML::LoadAll. Syntax errors are left to LoadAll.
Expected<void> checkYamlDocuments(std::string_view text, const std::string &fileName);

// Checks a parsed document: a map holding the same key twice is an Error at the second
// key's line (yaml-cpp keeps the first silently, so the user's later value would be ignored), and
// a document that expands through aliases to more than maxVisits nodes ("billion laughs") is an
// Error too, found after at most maxVisits visits. Without aliases a document has fewer nodes than
// its text has bytes: loaders pass a few times the text size.
Expected<void> checkYamlTree(const YAML::Node &root, const std::string &fileName, size_t maxVisits);

// Every loader's way in: checkYamlText, checkYamlDocuments, YAML::LoadAll (syntax errors and
// nesting deeper than yaml-cpp's limit become an Error with the line), then checkYamlTree on each
// document with a bound of a few times the text size.
Expected<std::vector<YAML::Node>> parseYamlDocuments(std::string_view text,
                                                     const std::string &fileName);

// The same for a file of one document (zones, projects): its only non-empty document (a null
// node when there is none); a second one is an Error "a <what> holds one document, ...".
Expected<YAML::Node> parseSingleYamlDocument(std::string_view text, const std::string &fileName,
                                             std::string_view what);

} // namespace bulkhead
