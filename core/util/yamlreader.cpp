#include "util/yamlreader.h"

#include <charconv>

namespace bulkhead {

namespace {

// How a node looks to a user: the scalar quoted (shortened), or what it is.
std::string describe(const YAML::Node &node)
{
    switch (node.Type()) {
    case YAML::NodeType::Scalar: {
        std::string text = node.Scalar();
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

YamlReader::YamlReader(std::string fileName, int64_t budget)
    : m_fileName(std::move(fileName))
    , m_budget(budget)
{}

int YamlReader::line(const YAML::Node &node)
{
    if (!node.IsDefined())
        return 0;
    const YAML::Mark mark = node.Mark();
    return mark.line >= 0 ? mark.line + 1 : 0;
}

YAML::Node YamlReader::child(const YAML::Node &node, std::string_view key)
{
    if (!node.IsDefined() || !node.IsMap() || m_budget < 0)
        return YAML::Node(YAML::NodeType::Undefined);
    for (auto it = node.begin(); it != node.end(); ++it) {
        if (--m_budget < 0)
            return YAML::Node(YAML::NodeType::Undefined);
        if (it->first.IsScalar() && it->first.Scalar() == key) {
            if (it->second.IsNull())
                return YAML::Node(YAML::NodeType::Undefined);
            return it->second;
        }
    }
    return YAML::Node(YAML::NodeType::Undefined);
}

std::unexpected<Error> YamlReader::error(const YAML::Node &node, std::string_view path,
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

std::unexpected<Error> YamlReader::error(int lineNumber, std::string message) const
{
    return makeError(m_fileName, lineNumber, std::move(message));
}

Expected<void> YamlReader::spend(const YAML::Node &node, int64_t n)
{
    m_budget -= n;
    if (m_budget < 0)
        return exhaustedError(node);
    return {};
}

std::unexpected<Error> YamlReader::exhaustedError(const YAML::Node &node) const
{
    return error(line(node), "the file expands to too many YAML nodes (through aliases?); "
                             "refusing to read it");
}

Expected<std::string> YamlReader::string(const YAML::Node &node, std::string_view path) const
{
    if (!node.IsDefined() || !node.IsScalar())
        return error(node, path, "expected a string, found " + describe(node));
    return node.Scalar();
}

Expected<std::string> YamlReader::string(const YAML::Node &map, std::string_view key,
                                         std::string_view path, std::string_view fallback)
{
    const YAML::Node value = child(map, key);
    if (!value.IsDefined())
        return std::string(fallback);
    return string(value, join(path, key));
}

Expected<int64_t> YamlReader::integer(const YAML::Node &node, std::string_view path) const
{
    if (!node.IsDefined() || !node.IsScalar())
        return error(node, path, "expected a number, found " + describe(node));
    const std::string &text = node.Scalar();
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

Expected<bool> YamlReader::boolean(const YAML::Node &node, std::string_view path) const
{
    if (node.IsDefined() && node.IsScalar()) {
        const std::string &text = node.Scalar();
        if (text == "true" || text == "True" || text == "TRUE")
            return true;
        if (text == "false" || text == "False" || text == "FALSE")
            return false;
    }
    return error(node, path, "expected true or false, found " + describe(node));
}

Expected<uint16_t> YamlReader::port(const YAML::Node &node, std::string_view path) const
{
    const auto value = integer(node, path);
    if (!value || *value < 1 || *value > 65535)
        return error(node, path, describe(node) + " is not a port number (1-65535)");
    return static_cast<uint16_t>(*value);
}

Expected<Protocol> YamlReader::protocol(const YAML::Node &node, std::string_view path) const
{
    const auto text = string(node, path);
    if (!text)
        return std::unexpected(text.error());
    const auto protocol = parseProtocol(*text);
    if (!protocol)
        return error(node, path, describe(node) + " is not a protocol (TCP, UDP or SCTP)");
    return *protocol;
}

Expected<IpAddress> YamlReader::ipAddress(const YAML::Node &node, std::string_view path) const
{
    const auto text = string(node, path);
    if (!text)
        return std::unexpected(text.error());
    const auto address = IpAddress::parse(*text);
    if (!address)
        return error(node, path, describe(node) + " is not an IP address");
    return *address;
}

Expected<Cidr> YamlReader::cidr(const YAML::Node &node, std::string_view path) const
{
    const auto text = string(node, path);
    if (!text)
        return std::unexpected(text.error());
    const auto cidr = Cidr::parse(*text);
    if (!cidr)
        return error(node, path, describe(node) + " is not a CIDR (such as 10.0.0.0/8)");
    return *cidr;
}

Expected<std::map<std::string, std::string>> YamlReader::stringMap(const YAML::Node &node,
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
            return error(it->first, path, "expected a map of strings, found a key that is "
                                              + describe(it->first));
        const std::string key = it->first.Scalar();
        if (it->second.IsNull()) {
            out[key] = std::string();
            continue;
        }
        if (!it->second.IsScalar())
            return error(it->second, join(path, key),
                         "expected a string, found " + describe(it->second));
        out[key] = it->second.Scalar();
    }
    return out;
}

Expected<size_t> YamlReader::sequence(const YAML::Node &node, std::string_view path)
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

Expected<void> YamlReader::requireMap(const YAML::Node &node, std::string_view path) const
{
    if (!node.IsDefined() || !node.IsMap())
        return error(node, path, "expected a map, found " + describe(node));
    return {};
}

std::string YamlReader::join(std::string_view path, std::string_view key)
{
    std::string out(path);
    if (!out.empty())
        out += '.';
    out += key;
    return out;
}

std::string YamlReader::index(std::string_view path, size_t i)
{
    std::string out(path);
    out += '[';
    out += std::to_string(i);
    out += ']';
    return out;
}

} // namespace bulkhead
