#include "util/yamlreader.h"

#include "util/yamltree.h"

#include <algorithm>
#include <charconv>
#include <set>
#include <sstream>
#include <type_traits>
#include <unordered_set>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/parser.h>

namespace bulkhead::yaml {

namespace {

bool isDigits(std::string_view s)
{
    return !s.empty()
           && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

} // namespace

bool looksLikeInteger(std::string_view s)
{
    if (!s.empty() && (s.front() == '-' || s.front() == '+'))
        s.remove_prefix(1);
    return isDigits(s);
}

bool given(const YAML::Node &node)
{
    return node.IsDefined() && !node.IsNull();
}

std::string child(std::string_view path, std::string_view key)
{
    std::string out(path);
    if (!out.empty())
        out += '.';
    out += key;
    return out;
}

std::string indexed(std::string_view path, size_t i)
{
    std::string out(path);
    out += '[';
    out += std::to_string(i);
    out += ']';
    return out;
}

std::string quoted(std::string_view s)
{
    return '"' + std::string(s) + '"';
}

YAML::Node keyOf(const YAML::Node &map, std::string_view key)
{
    for (const auto &entry : map) {
        if (entry.first.IsScalar() && entry.first.Scalar() == key)
            return entry.first;
    }
    return map;
}

bool isPlain(const YAML::Node &node)
{
    return node.Tag() == "?";
}

bool resolvesToNonString(std::string_view s)
{
    static const std::set<std::string_view> words = {
        "y",    "Y",    "yes",   "Yes",   "YES",   "n",     "N",     "no",   "No",   "NO",  "true",
        "True", "TRUE", "false", "False", "FALSE", "on",    "On",    "ON",   "off",  "Off", "OFF",
        ".inf", ".Inf", ".INF",  "-.inf", "-.Inf", "-.INF", "+.inf", ".nan", ".NaN", ".NAN"};
    if (words.contains(s))
        return true;
    std::string_view body = s;
    if (!body.empty() && (body.front() == '-' || body.front() == '+'))
        body.remove_prefix(1);
    if (body.size() > 2 && body[0] == '0' && (body[1] == 'x' || body[1] == 'o' || body[1] == 'b'))
        return true;
    // [0-9_]*(\.[0-9_]*)?([eE][-+]?[0-9]+)? with at least one digit
    bool digit = false, dot = false;
    size_t i = 0;
    for (; i < body.size(); ++i) {
        const char c = body[i];
        if ((c >= '0' && c <= '9') || c == '_')
            digit = digit || c != '_';
        else if (c == '.' && !dot)
            dot = true;
        else
            break;
    }
    if (!digit)
        return false;
    if (i == body.size())
        return true;
    if (body[i] != 'e' && body[i] != 'E')
        return false;
    std::string_view exponent = body.substr(i + 1);
    if (!exponent.empty() && (exponent.front() == '-' || exponent.front() == '+'))
        exponent.remove_prefix(1);
    return isDigits(exponent);
}

} // namespace bulkhead::yaml

namespace bulkhead {

namespace {

template <class Node>
Node undefinedNode()
{
    if constexpr (std::is_same_v<Node, TreeNode>)
        return TreeNode();
    else
        return YAML::Node(YAML::NodeType::Undefined);
}

// How a node looks to a user: the scalar quoted (shortened), or what it is.
template <class Node>
std::string describe(const Node &node)
{
    switch (node.Type()) {
    case YAML::NodeType::Scalar: {
        std::string text(node.Scalar());
        if (text.size() > 40)
            text = text.substr(0, 37) + "...";
        return '"' + text + '"';
    }
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Map: return "a map";
    case YAML::NodeType::Null: return "null";
    case YAML::NodeType::Undefined: break;
    }
    return "nothing";
}

} // namespace

template <class Node>
BasicYamlReader<Node>::BasicYamlReader(std::string fileName, int64_t budget)
    : m_fileName(std::move(fileName))
    , m_budget(budget)
{
}

template <class Node>
int BasicYamlReader<Node>::line(const Node &node)
{
    if (!node.IsDefined())
        return 0;
    if constexpr (std::is_same_v<Node, TreeNode>) {
        return node.line();
    } else {
        const YAML::Mark mark = node.Mark();
        return mark.line >= 0 ? mark.line + 1 : 0;
    }
}

template <class Node>
Node BasicYamlReader<Node>::child(const Node &node, std::string_view key)
{
    if (!node.IsDefined() || !node.IsMap() || m_budget < 0)
        return undefinedNode<Node>();
    for (auto it = node.begin(); it != node.end(); ++it) {
        if (--m_budget < 0)
            return undefinedNode<Node>();
        if (it->first.IsScalar() && it->first.Scalar() == key) {
            if (it->second.IsNull())
                return undefinedNode<Node>();
            return it->second;
        }
    }
    return undefinedNode<Node>();
}

template <class Node>
std::unexpected<Error> BasicYamlReader<Node>::error(const Node &node, std::string_view path,
                                                    std::string_view problem) const
{
    std::string message;
    if (!path.empty()) {
        message += path;
        message += ": ";
    }
    message += problem;
    return error(line(node), std::move(message));
}

template <class Node>
std::unexpected<Error> BasicYamlReader<Node>::error(int lineNumber, std::string message) const
{
    return makeError(m_fileName, lineNumber, std::move(message));
}

template <class Node>
Expected<void> BasicYamlReader<Node>::spend(const Node &node, int64_t n)
{
    m_budget -= n;
    if (m_budget < 0)
        return exhaustedError(node);
    return {};
}

template <class Node>
std::unexpected<Error> BasicYamlReader<Node>::exhaustedError(const Node &node) const
{
    return error(line(node), "the file expands to too many YAML nodes (through aliases?); "
                             "refusing to read it");
}

template <class Node>
Expected<std::string> BasicYamlReader<Node>::string(const Node &node, std::string_view path) const
{
    if (!node.IsDefined() || !node.IsScalar())
        return error(node, path, "expected a string, found " + describe(node));
    return std::string(node.Scalar());
}

template <class Node>
Expected<std::string> BasicYamlReader<Node>::string(const Node &map, std::string_view key,
                                                    std::string_view path,
                                                    std::string_view fallback)
{
    const Node value = child(map, key);
    if (!value.IsDefined())
        return std::string(fallback);
    return string(value, join(path, key));
}

template <class Node>
Expected<int64_t> BasicYamlReader<Node>::integer(const Node &node, std::string_view path) const
{
    if (!node.IsDefined() || !node.IsScalar())
        return error(node, path, "expected a number, found " + describe(node));
    const std::string_view text = node.Scalar();
    int64_t value = 0;
    const char *begin = text.data();
    const char *end = text.data() + text.size();
    if (begin != end && *begin == '+')
        ++begin;
    const auto [ptr, ec] = std::from_chars(begin, end, value);
    if (begin == end || ec != std::errc() || ptr != end)
        return error(node, path, "expected a number, found " + describe(node));
    return value;
}

template <class Node>
Expected<bool> BasicYamlReader<Node>::boolean(const Node &node, std::string_view path) const
{
    if (node.IsDefined() && node.IsScalar()) {
        // YAML 1.1 booleans too: kubectl and the API server read manifests with a YAML 1.1
        // parser, so `hostNetwork: yes` means true there.
        const std::string_view text = node.Scalar();
        for (std::string_view yes :
             {"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"}) {
            if (text == yes)
                return true;
        }
        for (std::string_view no :
             {"false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF"}) {
            if (text == no)
                return false;
        }
    }
    return error(node, path, "expected true or false, found " + describe(node));
}

template <class Node>
Expected<uint16_t> BasicYamlReader<Node>::port(const Node &node, std::string_view path) const
{
    const auto value = integer(node, path);
    if (!value || *value < 1 || *value > 65535)
        return error(node, path, describe(node) + " is not a port number (1-65535)");
    return static_cast<uint16_t>(*value);
}

template <class Node>
Expected<Protocol> BasicYamlReader<Node>::protocol(const Node &node, std::string_view path) const
{
    const auto text = string(node, path);
    if (!text)
        return std::unexpected(text.error());
    const auto protocol = parseProtocol(*text);
    if (!protocol)
        return error(node, path, describe(node) + " is not a protocol (TCP, UDP or SCTP)");
    return *protocol;
}

template <class Node>
Expected<IpAddress> BasicYamlReader<Node>::ipAddress(const Node &node, std::string_view path) const
{
    const auto text = string(node, path);
    if (!text)
        return std::unexpected(text.error());
    const auto address = IpAddress::parse(*text);
    if (!address)
        return error(node, path, describe(node) + " is not an IP address");
    return *address;
}

template <class Node>
Expected<Cidr> BasicYamlReader<Node>::cidr(const Node &node, std::string_view path) const
{
    const auto text = string(node, path);
    if (!text)
        return std::unexpected(text.error());
    const auto cidr = Cidr::parse(*text);
    if (!cidr)
        return error(node, path, describe(node) + " is not a CIDR (such as 10.0.0.0/8)");
    return *cidr;
}

template <class Node>
Expected<std::map<std::string, std::string>> BasicYamlReader<Node>::stringMap(const Node &node,
                                                                              std::string_view path)
{
    std::map<std::string, std::string> out;
    if (!node.IsDefined() || node.IsNull())
        return out;
    if (!node.IsMap())
        return error(node, path, "expected a map of strings, found " + describe(node));
    if (auto spent = spend(node, static_cast<int64_t>(node.size())); !spent)
        return std::unexpected(spent.error());
    for (auto it = node.begin(); it != node.end(); ++it) {
        if (!it->first.IsScalar())
            return error(it->first, path,
                         "expected a map of strings, found a key that is " + describe(it->first));
        const std::string key(it->first.Scalar());
        if (it->second.IsNull()) {
            out[key] = std::string();
            continue;
        }
        if (!it->second.IsScalar())
            return error(it->second, join(path, key),
                         "expected a string, found " + describe(it->second));
        out[key] = std::string(it->second.Scalar());
    }
    return out;
}

template <class Node>
Expected<size_t> BasicYamlReader<Node>::sequence(const Node &node, std::string_view path)
{
    if (!node.IsDefined() || node.IsNull())
        return size_t(0);
    if (!node.IsSequence())
        return error(node, path, "expected a list, found " + describe(node));
    const size_t n = node.size();
    if (auto spent = spend(node, static_cast<int64_t>(n) + 1); !spent)
        return std::unexpected(spent.error());
    return n;
}

template <class Node>
Expected<void> BasicYamlReader<Node>::requireMap(const Node &node, std::string_view path) const
{
    if (!node.IsDefined() || !node.IsMap())
        return error(node, path, "expected a map, found " + describe(node));
    return {};
}

template <class Node>
std::string BasicYamlReader<Node>::join(std::string_view path, std::string_view key)
{
    return yaml::child(path, key);
}

template <class Node>
std::string BasicYamlReader<Node>::index(std::string_view path, size_t i)
{
    return yaml::indexed(path, i);
}

template class BasicYamlReader<YAML::Node>;
template class BasicYamlReader<TreeNode>;

} // namespace bulkhead

namespace bulkhead {

Expected<void> checkYamlText(std::string_view text, const std::string &fileName)
{
    const auto *p = reinterpret_cast<const unsigned char *>(text.data());
    const size_t n = text.size();
    if (n >= 2 && ((p[0] == 0xff && p[1] == 0xfe) || (p[0] == 0xfe && p[1] == 0xff)))
        return {}; // UTF-16/32 with a byte order mark: yaml-cpp converts it
    if (n >= 4 && p[0] == 0 && p[1] == 0 && p[2] == 0xfe && p[3] == 0xff)
        return {};
    int line = 1;
    size_t lineStart = 0;
    size_t i = 0;
    while (i < n) {
        const unsigned char c = p[i];
        if (c < 0x80) {
            if (c == 0) // yaml-cpp 0.7's LoadAll can loop forever on one (found by fuzzing)
                return makeError(fileName, line,
                                 "the file holds binary data (a NUL byte); YAML files are text");
            if (c == '\n') {
                if (i - lineStart > MaxYamlLineBytes)
                    break;
                ++line;
                lineStart = i + 1;
            }
            ++i;
            continue;
        }
        // Multi-byte sequence: lead byte, then continuation bytes 10xxxxxx; no overlong forms,
        // no surrogates, nothing above U+10FFFF.
        size_t len = 0;
        unsigned char lo = 0x80, hi = 0xbf;
        if (c >= 0xc2 && c <= 0xdf)
            len = 2;
        else if (c >= 0xe0 && c <= 0xef) {
            len = 3;
            if (c == 0xe0)
                lo = 0xa0;
            else if (c == 0xed)
                hi = 0x9f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            len = 4;
            if (c == 0xf0)
                lo = 0x90;
            else if (c == 0xf4)
                hi = 0x8f;
        }
        bool ok = len != 0 && i + len <= n;
        for (size_t k = 1; ok && k < len; ++k) {
            const unsigned char b = p[i + k];
            ok = k == 1 ? (b >= lo && b <= hi) : (b >= 0x80 && b <= 0xbf);
        }
        if (!ok)
            return makeError(fileName, line,
                             "the file is not valid UTF-8 (byte "
                                 + std::to_string(i - lineStart + 1)
                                 + " of this line); YAML files are UTF-8 text");
        i += len;
    }
    if (i < n || n - lineStart > MaxYamlLineBytes)
        return makeError(fileName, line,
                         "this line is longer than " + std::to_string(MaxYamlLineBytes >> 20)
                             + " MiB; refusing to read it");
    return {};
}

Expected<void> checkYamlTree(const YAML::Node &root, const std::string &fileName, size_t maxVisits)
{
    std::vector<YAML::Node> stack{root};
    std::unordered_set<std::string_view> keys;
    size_t visits = 0;
    while (!stack.empty()) {
        const YAML::Node node = stack.back();
        stack.pop_back();
        if (++visits > maxVisits)
            return makeError(fileName, YamlReader::line(node),
                             "the file expands to too many YAML nodes through aliases (more than "
                                 + std::to_string(maxVisits) + "); refusing to read it");
        if (node.IsSequence()) {
            for (const YAML::Node &child : node)
                stack.push_back(child);
        } else if (node.IsMap()) {
            keys.clear();
            for (auto it = node.begin(); it != node.end(); ++it) {
                if (it->first.IsScalar() && !keys.insert(it->first.Scalar()).second)
                    return makeError(fileName, YamlReader::line(it->first),
                                     "the key \"" + it->first.Scalar().substr(0, 60)
                                         + "\" appears twice in one map; remove one of them");
                stack.push_back(it->second);
            }
        }
    }
    return {};
}

} // namespace bulkhead

namespace bulkhead {

namespace {

// Counts documents; ignores everything else.
class DocumentCounter : public YAML::EventHandler
{
public:
    void OnDocumentStart(const YAML::Mark &mark) override { m_mark = mark; }
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark &, YAML::anchor_t) override {}
    void OnAlias(const YAML::Mark &, YAML::anchor_t) override {}
    void OnScalar(const YAML::Mark &, const std::string &, YAML::anchor_t,
                  const std::string &) override
    {
    }
    void OnSequenceStart(const YAML::Mark &, const std::string &, YAML::anchor_t,
                         YAML::EmitterStyle::value) override
    {
    }
    void OnSequenceEnd() override {}
    void OnMapStart(const YAML::Mark &, const std::string &, YAML::anchor_t,
                    YAML::EmitterStyle::value) override
    {
    }
    void OnMapEnd() override {}
    YAML::Mark m_mark;
};

} // namespace

Expected<void> checkYamlDocuments(std::string_view text, const std::string &fileName)
{
    // A document takes at least one byte ("---" or a scalar), so a sane file has fewer than
    // text.size() + 2 of them.
    const size_t maxDocuments = text.size() + 2;
    try {
        std::istringstream in{std::string(text)};
        YAML::Parser parser(in);
        DocumentCounter counter;
        size_t documents = 0;
        while (parser.HandleNextDocument(counter)) {
            if (++documents > maxDocuments)
                return makeError(
                    fileName, counter.m_mark.line >= 0 ? counter.m_mark.line + 1 : 0,
                    "YAML syntax error: the parser cannot get past this line (a stray ',' "
                    "or bracket?)");
        }
    } catch (const std::exception &) {
        // Syntax errors: YAML::LoadAll reports them with their line.
    }
    return {};
}

Expected<std::vector<YAML::Node>> parseYamlDocuments(std::string_view text,
                                                     const std::string &fileName)
{
    BULKHEAD_CHECK(checkYamlText(text, fileName));
    BULKHEAD_CHECK(checkYamlDocuments(text, fileName));
    std::vector<YAML::Node> documents;
    try {
        documents = YAML::LoadAll(std::string(text));
    } catch (const YAML::DeepRecursion &e) {
        return makeError(
            fileName, e.mark.line >= 0 ? e.mark.line + 1 : 0,
            "the YAML is nested too deep (more than 2000 levels); refusing to read it");
    } catch (const YAML::Exception &e) {
        return makeError(fileName, e.mark.line >= 0 ? e.mark.line + 1 : 0,
                         "YAML syntax error: " + e.msg);
    }
    for (const YAML::Node &d : documents)
        BULKHEAD_CHECK(checkYamlTree(d, fileName, 4 * text.size() + 10000));
    return documents;
}

Expected<YAML::Node> parseSingleYamlDocument(std::string_view text, const std::string &fileName,
                                             std::string_view what)
{
    BULKHEAD_TRY(documents, parseYamlDocuments(text, fileName));
    YAML::Node document;
    size_t count = 0;
    for (const YAML::Node &d : documents) {
        if (d.IsNull())
            continue;
        if (++count > 1)
            return makeError(fileName, YamlReader::line(d),
                             "a " + std::string(what) + " holds one document, this one has more");
        document = d;
    }
    return document;
}

} // namespace bulkhead
