#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace bulkhead {

// Syntax checks of Kubernetes names, as the API server applies them (k8s.io/apimachinery
// pkg/util/validation). Each returns an empty string when the text is valid, otherwise one
// sentence saying what is wrong.

// IANA_SVC_NAME: a named port. 1-15 characters, lowercase letters, digits and '-', at least one
// letter, no leading, trailing or doubled '-'. So "80" (a number written as a string) is invalid.
std::string portNameProblem(std::string_view name);
// A label key or selector key: [prefix/]name, prefix a DNS-1123 subdomain (<= 253 characters),
// name <= 63 characters of alphanumerics, '-', '_', '.', beginning and ending alphanumeric.
std::string qualifiedNameProblem(std::string_view key);
// A label value: empty, or <= 63 characters of alphanumerics, '-', '_', '.', beginning and
// ending alphanumeric.
std::string labelValueProblem(std::string_view value);
// An object name (NetworkPolicy metadata.name): a DNS-1123 subdomain.
std::string dnsSubdomainProblem(std::string_view name);
// A namespace name: a DNS-1123 label (<= 63 characters, lowercase alphanumerics and '-').
std::string dnsLabelProblem(std::string_view name);

// portNameProblem(name).empty(): a name Kubernetes accepts for a named port.
bool isPortName(std::string_view name);

// Names Bulkhead makes for what it writes.

inline constexpr size_t MaxDnsLabelLength = 63;

// kube-system, kube-public, kube-node-lease.
bool isSystemNamespace(std::string_view ns);
// A DNS-1123 label (lowercase alphanumerics and '-', at most 63 characters) made from a name:
// invalid characters become '-', and a name that is too long is cut and given the suffix
// "-<8 hex digits>" of a stable hash of the original name.
std::string dns1123Label(std::string_view name);
// A stable 8-hex-digit hash (FNV-1a, 32 bits) used in shortened names.
std::string shortHash(std::string_view text);

} // namespace bulkhead
