#include "policy/k8snames.h"

#include <algorithm>
#include <cstdio>

namespace bulkhead {

namespace {

bool isLowerAlnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool isAlnum(char c)
{
    return isLowerAlnum(c) || (c >= 'A' && c <= 'Z');
}

// [A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?
bool isQualifiedNamePart(std::string_view text)
{
    if (text.empty() || !isAlnum(text.front()) || !isAlnum(text.back()))
        return false;
    return std::all_of(text.begin(), text.end(),
                       [](char c) { return isAlnum(c) || c == '-' || c == '_' || c == '.'; });
}

// [a-z0-9]([-a-z0-9]*[a-z0-9])?
bool isDnsLabel(std::string_view text)
{
    if (text.empty() || text.size() > 63 || !isLowerAlnum(text.front())
        || !isLowerAlnum(text.back()))
        return false;
    return std::all_of(text.begin(), text.end(),
                       [](char c) { return isLowerAlnum(c) || c == '-'; });
}

bool isDnsSubdomain(std::string_view text)
{
    if (text.empty() || text.size() > 253)
        return false;
    size_t start = 0;
    while (true) {
        const size_t dot = text.find('.', start);
        const std::string_view label
            = text.substr(start, dot == std::string_view::npos ? text.npos : dot - start);
        if (!isDnsLabel(label))
            return false;
        if (dot == std::string_view::npos)
            return true;
        start = dot + 1;
    }
}

} // namespace

std::string portNameProblem(std::string_view name)
{
    if (name.empty() || name.size() > 15)
        return "a port name must be 1 to 15 characters long";
    if (!std::all_of(name.begin(), name.end(), [](char c) { return isLowerAlnum(c) || c == '-'; }))
        return "a port name may contain only lowercase letters, digits and '-'";
    if (std::none_of(name.begin(), name.end(), [](char c) { return c >= 'a' && c <= 'z'; }))
        return "a port name must contain at least one letter (a number must not be quoted)";
    if (name.front() == '-' || name.back() == '-')
        return "a port name must not begin or end with '-'";
    if (name.find("--") != std::string_view::npos)
        return "a port name must not contain '--'";
    return {};
}

std::string qualifiedNameProblem(std::string_view key)
{
    std::string_view name = key;
    const size_t slash = key.find('/');
    if (slash != std::string_view::npos) {
        const std::string_view prefix = key.substr(0, slash);
        name = key.substr(slash + 1);
        if (!isDnsSubdomain(prefix))
            return "the prefix of a label key must be a DNS subdomain (lowercase, e.g. "
                   "example.com)";
    }
    if (name.empty())
        return "a label key must have a name";
    if (name.size() > 63)
        return "the name of a label key must be at most 63 characters";
    if (!isQualifiedNamePart(name))
        return "a label key must consist of alphanumerics, '-', '_' or '.', and begin and end "
               "with an alphanumeric";
    return {};
}

std::string labelValueProblem(std::string_view value)
{
    if (value.empty())
        return {};
    if (value.size() > 63)
        return "a label value must be at most 63 characters";
    if (!isQualifiedNamePart(value))
        return "a label value must consist of alphanumerics, '-', '_' or '.', and begin and end "
               "with an alphanumeric";
    return {};
}

std::string dnsSubdomainProblem(std::string_view name)
{
    if (name.empty())
        return "a name is required";
    if (!isDnsSubdomain(name))
        return "a name must be a DNS subdomain: lowercase letters, digits, '-' and '.', at most "
               "253 characters, beginning and ending with a letter or digit";
    return {};
}

std::string dnsLabelProblem(std::string_view name)
{
    if (!isDnsLabel(name))
        return "a namespace must be a DNS label: lowercase letters, digits and '-', at most 63 "
               "characters, beginning and ending with a letter or digit";
    return {};
}

bool isPortName(std::string_view name)
{
    return portNameProblem(name).empty();
}

bool isSystemNamespace(std::string_view ns)
{
    return ns == "kube-system" || ns == "kube-public" || ns == "kube-node-lease";
}

std::string shortHash(std::string_view text)
{
    uint32_t h = 2166136261u;
    for (unsigned char c : text) {
        h ^= c;
        h *= 16777619u;
    }
    char buffer[9];
    std::snprintf(buffer, sizeof buffer, "%08x", h);
    return buffer;
}

std::string dns1123Label(std::string_view name)
{
    std::string out;
    out.reserve(name.size());
    for (char c : name) {
        if (c >= 'A' && c <= 'Z')
            out += static_cast<char>(c - 'A' + 'a');
        else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
            out += c;
        else
            out += '-';
    }
    const auto trim = [](std::string &s) {
        while (!s.empty() && s.front() == '-')
            s.erase(s.begin());
        while (!s.empty() && s.back() == '-')
            s.pop_back();
    };
    trim(out);
    if (out.empty())
        out = "policy";
    if (out.size() > MaxDnsLabelLength) {
        const std::string suffix = '-' + shortHash(name);
        out.resize(MaxDnsLabelLength - suffix.size());
        trim(out);
        out += suffix;
    }
    return out;
}

} // namespace bulkhead
