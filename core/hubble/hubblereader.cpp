#include "hubble/hubblereader.h"

#include "hubble/hubbletable.h"
#include "util/progress.h"

#include <simdjson.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>

namespace bulkhead {
namespace {

namespace od = simdjson::ondemand;

constexpr size_t kChunk = size_t(8) << 20;    // bytes read at a time
constexpr size_t kMaxLine = size_t(64) << 20; // a longer line is not a flow event

// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm, public domain facts).
int64_t daysFromCivil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

// RFC 3339 as protobuf's JSON mapping writes a Timestamp: "2026-12-03T21:14:08.123456789Z" (or with
// a +hh:mm offset). Microseconds since the epoch.
bool parseTime(std::string_view t, int64_t &us)
{
    auto num = [&](size_t pos, size_t len, int &v) {
        if (pos + len > t.size())
            return false;
        v = 0;
        for (size_t i = pos; i < pos + len; ++i) {
            if (t[i] < '0' || t[i] > '9')
                return false;
            v = v * 10 + (t[i] - '0');
        }
        return true;
    };
    int y, mo, d, h, mi, s;
    if (!num(0, 4, y) || t.size() < 20 || t[4] != '-' || !num(5, 2, mo) || t[7] != '-'
        || !num(8, 2, d) || (t[10] != 'T' && t[10] != 't' && t[10] != ' ') || !num(11, 2, h)
        || t[13] != ':' || !num(14, 2, mi) || t[16] != ':' || !num(17, 2, s))
        return false;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60)
        return false;
    size_t pos = 19;
    int64_t frac = 0;
    if (pos < t.size() && t[pos] == '.') {
        ++pos;
        int digits = 0;
        while (pos < t.size() && t[pos] >= '0' && t[pos] <= '9') {
            if (digits < 6)
                frac = frac * 10 + (t[pos] - '0');
            ++digits, ++pos;
        }
        if (digits == 0)
            return false;
        for (; digits < 6; ++digits)
            frac *= 10;
    }
    int64_t offset = 0;
    if (pos < t.size() && (t[pos] == 'Z' || t[pos] == 'z')) {
        ++pos;
    } else if (pos < t.size() && (t[pos] == '+' || t[pos] == '-')) {
        int oh, om;
        if (!num(pos + 1, 2, oh) || pos + 3 >= t.size() || t[pos + 3] != ':'
            || !num(pos + 4, 2, om))
            return false;
        offset = (oh * 60 + om) * 60 * (t[pos] == '-' ? -1 : 1);
        pos += 6;
    } else {
        return false;
    }
    if (pos != t.size())
        return false;
    const int64_t secs
        = daysFromCivil(y, unsigned(mo), unsigned(d)) * 86400 + h * 3600 + mi * 60 + s - offset;
    us = secs * 1000000 + frac;
    return true;
}

// Why a line was refused: the field being read and simdjson's or our own reason.
struct LineError
{
    std::string message;
};

#define BH_TRY(expr, what)                                                                         \
    do {                                                                                           \
        if (auto bhErr = (expr); bhErr != simdjson::SUCCESS)                                       \
            return LineError{std::string(what) + ": " + simdjson::error_message(bhErr)};           \
    } while (0)

struct FlowFields
{
    HubbleEvent event;
    bool haveIp = false, haveFlowField = false, l7 = false, havePorts = false;
    std::string_view verdict, time, wrapperTime;
};

std::optional<LineError> readEndpoint(od::object obj, std::string_view &ns, std::string_view &pod,
                                      const char *what)
{
    for (auto field : obj) {
        std::string_view key;
        BH_TRY(field.unescaped_key().get(key), what);
        if (key == "namespace")
            BH_TRY(field.value().get_string().get(ns), std::string(what) + ".namespace");
        else if (key == "pod_name")
            BH_TRY(field.value().get_string().get(pod), std::string(what) + ".pod_name");
    }
    return std::nullopt;
}

std::optional<LineError> readPorts(od::object obj, FlowFields &f, const char *what)
{
    for (auto field : obj) {
        std::string_view key;
        BH_TRY(field.unescaped_key().get(key), what);
        if (key == "source_port" || key == "destination_port") {
            uint64_t port;
            BH_TRY(field.value().get_uint64().get(port),
                   std::string(what) + '.' + std::string(key));
            if (port > 65535)
                return LineError{std::string(what) + '.' + std::string(key) + ": "
                                 + std::to_string(port) + " is not a port"};
            (key == "source_port" ? f.event.sport : f.event.dport) = uint16_t(port);
        } else if (key == "flags") {
            od::object flags;
            BH_TRY(field.value().get_object().get(flags), std::string(what) + ".flags");
            for (auto flag : flags) {
                std::string_view name;
                BH_TRY(flag.unescaped_key().get(name), std::string(what) + ".flags");
                bool on = false;
                BH_TRY(flag.value().get_bool().get(on),
                       std::string(what) + ".flags." + std::string(name));
                if (name == "SYN")
                    f.event.syn = on;
                else if (name == "ACK")
                    f.event.ack = on;
            }
        }
    }
    return std::nullopt;
}

std::optional<LineError> readL4(od::object obj, FlowFields &f)
{
    for (auto field : obj) {
        std::string_view key;
        BH_TRY(field.unescaped_key().get(key), "l4");
        Protocol p;
        if (key == "TCP")
            p = Protocol::TCP;
        else if (key == "UDP")
            p = Protocol::UDP;
        else if (key == "SCTP")
            p = Protocol::SCTP;
        else
            continue; // ICMPv4, ICMPv6: no ports
        od::object ports;
        const std::string what = "l4." + std::string(key);
        BH_TRY(field.value().get_object().get(ports), what);
        f.event.protocol = p;
        f.havePorts = true;
        if (auto e = readPorts(ports, f, what.c_str()))
            return e;
    }
    return std::nullopt;
}

std::optional<LineError> readDenied(od::array arr, FlowFields &f, const char *what)
{
    for (auto item : arr) {
        od::object policy;
        BH_TRY(item.get_object().get(policy), what);
        std::string_view ns, name;
        for (auto field : policy) {
            std::string_view key;
            BH_TRY(field.unescaped_key().get(key), what);
            if (key == "name")
                BH_TRY(field.value().get_string().get(name), std::string(what) + ".name");
            else if (key == "namespace")
                BH_TRY(field.value().get_string().get(ns), std::string(what) + ".namespace");
        }
        if (!name.empty() && f.event.deniedCount < 8) {
            f.event.deniedNs[f.event.deniedCount] = ns;
            f.event.deniedName[f.event.deniedCount] = name;
            ++f.event.deniedCount;
        }
    }
    return std::nullopt;
}

// One field of a flow object (inside "flow", or at the top of a bare flow line).
std::optional<LineError> readFlowField(std::string_view key, od::value value, FlowFields &f)
{
    if (key == "IP") {
        od::object ip;
        BH_TRY(value.get_object().get(ip), "IP");
        for (auto field : ip) {
            std::string_view k;
            BH_TRY(field.unescaped_key().get(k), "IP");
            if (k != "source" && k != "destination")
                continue;
            std::string_view text;
            BH_TRY(field.value().get_string().get(text), "IP." + std::string(k));
            const auto address = IpAddress::parse(text);
            if (!address)
                return LineError{"IP." + std::string(k) + ": \"" + std::string(text)
                                 + "\" is not an IP address"};
            (k == "source" ? f.event.src : f.event.dst) = *address;
        }
        f.haveIp = true;
    } else if (key == "l4") {
        od::object l4;
        BH_TRY(value.get_object().get(l4), "l4");
        return readL4(l4, f);
    } else if (key == "verdict") {
        BH_TRY(value.get_string().get(f.verdict), "verdict");
    } else if (key == "time") {
        BH_TRY(value.get_string().get(f.time), "time");
    } else if (key == "is_reply") {
        bool reply = false;
        BH_TRY(value.get_bool().get(reply), "is_reply");
        f.event.isReply = reply ? 1 : 0;
    } else if (key == "source" || key == "destination") {
        od::object ep;
        BH_TRY(value.get_object().get(ep), std::string(key));
        const bool src = key == "source";
        return readEndpoint(ep, src ? f.event.srcNs : f.event.dstNs,
                            src ? f.event.srcPod : f.event.dstPod, src ? "source" : "destination");
    } else if (key == "drop_reason_desc") {
        BH_TRY(value.get_string().get(f.event.dropReason), "drop_reason_desc");
    } else if (key == "ingress_denied_by" || key == "egress_denied_by") {
        od::array arr;
        BH_TRY(value.get_array().get(arr), std::string(key));
        return readDenied(arr, f,
                          key == "ingress_denied_by" ? "ingress_denied_by" : "egress_denied_by");
    } else if (key == "Type") {
        std::string_view type;
        BH_TRY(value.get_string().get(type), "Type");
        if (type == "L7")
            f.l7 = true;
    } else if (key == "l7") {
        f.l7 = true;
    } else {
        return std::nullopt; // a field Bulkhead does not use
    }
    f.haveFlowField = true;
    return std::nullopt;
}

std::optional<LineError> readLine(od::parser &parser, const char *line, size_t len, size_t capacity,
                                  FlowFields &f)
{
    od::document doc;
    BH_TRY(parser.iterate(simdjson::padded_string_view(line, len, capacity)).get(doc),
           "invalid JSON");
    od::object top;
    if (const auto e = doc.get_object().get(top); e != simdjson::SUCCESS)
        return LineError{e == simdjson::INCORRECT_TYPE
                             ? std::string("not a JSON object")
                             : std::string("invalid JSON: ") + simdjson::error_message(e)};
    for (auto field : top) {
        std::string_view key;
        BH_TRY(field.unescaped_key().get(key), "invalid JSON");
        od::value value;
        BH_TRY(field.value().get(value), std::string(key));
        if (key == "flow") {
            od::object flow;
            BH_TRY(value.get_object().get(flow), "flow");
            for (auto inner : flow) {
                std::string_view k;
                BH_TRY(inner.unescaped_key().get(k), "flow");
                od::value v;
                BH_TRY(inner.value().get(v), "flow." + std::string(k));
                if (auto e = readFlowField(k, v, f))
                    return LineError{"flow." + e->message};
            }
            f.haveFlowField = true;
        } else if (key == "time") {
            BH_TRY(value.get_string().get(f.wrapperTime), "time");
        } else if (key == "node_name") {
            continue;
        } else if (auto e = readFlowField(key, value, f)) {
            return e;
        }
    }
    if (const char *rest = nullptr; doc.current_location().get(rest) == simdjson::SUCCESS)
        return LineError{"more than one JSON value on the line"};
    return std::nullopt;
}

} // namespace

Expected<HubbleStats> readHubbleFile(const std::string &path, uint32_t fileIndex,
                                     HubbleTable &table, ProgressSink *progress)
{
    HubbleStats stats;
    stats.file = path;
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        return makeError(path, 0, "is a directory, not a Hubble flow file");
    std::unique_ptr<FILE, int (*)(FILE *)> fp(std::fopen(path.c_str(), "rb"), &std::fclose);
    if (!fp)
        return makeError(path, 0, std::string("cannot open: ") + std::strerror(errno));
    const auto fileSizeRaw = std::filesystem::file_size(path, ec);
    const uint64_t fileSize = ec ? 0 : uint64_t(fileSizeRaw);

    // A small file gets a small buffer; a line longer than the buffer makes it grow (to kMaxLine).
    const size_t chunk = std::clamp<size_t>(size_t(fileSize) + 1, 4096, kChunk);
    std::vector<char> buffer(chunk + simdjson::SIMDJSON_PADDING);
    size_t have = 0; // bytes of buffer holding unread input
    uint64_t lineNo = 0, consumed = 0;
    od::parser parser;
    bool eof = false;
    while (!eof || have > 0) {
        if (!eof) {
            if (have == buffer.size() - simdjson::SIMDJSON_PADDING) { // one line fills the buffer
                if (buffer.size() - simdjson::SIMDJSON_PADDING >= kMaxLine)
                    return makeError(path, int(lineNo + 1),
                                     "line longer than 64 MiB: not a Hubble flow line");
                buffer.resize((buffer.size() - simdjson::SIMDJSON_PADDING) * 2
                              + simdjson::SIMDJSON_PADDING);
            }
            const size_t room = buffer.size() - simdjson::SIMDJSON_PADDING - have;
            const size_t n = std::fread(buffer.data() + have, 1, room, fp.get());
            if (n < room) {
                if (std::ferror(fp.get()))
                    return makeError(path, 0, std::string("read error: ") + std::strerror(errno));
                eof = true;
            }
            have += n;
            std::memset(buffer.data() + have, 0, simdjson::SIMDJSON_PADDING);
        }
        if (progress) {
            if (progress->isCancelled())
                return makeError(path, 0, "cancelled");
            progress->progress(consumed, fileSize);
        }
        const char *begin = buffer.data();
        const char *end = begin + have;
        const char *p = begin;
        while (p < end) {
            const char *nl = static_cast<const char *>(std::memchr(p, '\n', size_t(end - p)));
            if (!nl && !eof)
                break; // the rest of the line comes with the next read
            const char *lineEnd = nl ? nl : end;
            ++lineNo;
            const char *a = p, *b = lineEnd;
            while (a < b && (*a == ' ' || *a == '\t' || *a == '\r'))
                ++a;
            while (b > a && (b[-1] == ' ' || b[-1] == '\t' || b[-1] == '\r'))
                --b;
            p = nl ? nl + 1 : end;
            if (a == b)
                continue;
            ++stats.lines;
            FlowFields f;
            // Bytes after the line up to the buffer's padded end are readable: simdjson's padding.
            const size_t capacity = size_t(begin + have + simdjson::SIMDJSON_PADDING - a);
            if (auto err = readLine(parser, a, size_t(b - a), capacity, f)) {
                if (!nl) { // the last line, unfinished: a file being written or cut short
                    stats.truncatedLastLine = true;
                    --stats.lines;
                    stats.warnings.push_back(
                        path + ":" + std::to_string(lineNo)
                        + ": the last line is incomplete (file cut short?): ignored");
                    continue;
                }
                return makeError(path, int(lineNo), "not a Hubble flow line: " + err->message);
            }
            if (!f.haveFlowField) {
                ++stats.nonFlowLines;
                continue;
            }
            if (f.l7) {
                ++stats.l7Events;
                continue;
            }
            if (!f.haveIp || !f.havePorts) {
                ++stats.withoutPorts;
                continue;
            }
            if (f.verdict == "FORWARDED")
                f.event.verdict = HubbleEvent::Verdict::Forwarded;
            else if (f.verdict == "DROPPED")
                f.event.verdict = HubbleEvent::Verdict::Dropped;
            else {
                ++stats.otherVerdicts;
                continue;
            }
            const std::string_view t = f.time.empty() ? f.wrapperTime : f.time;
            if (t.empty() || !parseTime(t, f.event.timeUs))
                return makeError(path, int(lineNo),
                                 t.empty() ? "flow without a time"
                                           : "time \"" + std::string(t)
                                                 + "\" is not an RFC 3339 timestamp");
            if (f.event.src.isV6() != f.event.dst.isV6())
                return makeError(path, int(lineNo),
                                 "IP.source and IP.destination are of different families");
            ++stats.events;
            table.add(f.event, fileIndex);
        }
        consumed += uint64_t(p - begin);
        have = size_t(end - p);
        std::memmove(buffer.data(), p, have);
    }
    if (progress)
        progress->progress(fileSize, fileSize);
    if (stats.lines > 0 && stats.events == 0 && stats.nonFlowLines == stats.lines)
        return makeError(path, 0, "holds no Hubble flow: not `hubble observe -o json` output?");
    return stats;
}

bool looksLikeHubbleFile(const std::string &path)
{
    std::unique_ptr<FILE, int (*)(FILE *)> fp(std::fopen(path.c_str(), "rb"), &std::fclose);
    if (!fp)
        return false;
    char head[4096];
    const size_t n = std::fread(head, 1, sizeof head, fp.get());
    const std::string_view text(head, n);
    const size_t first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos || text[first] != '{')
        return false;
    const std::string_view line = text.substr(first, text.find('\n', first) - first);
    for (const char *key : {"\"flow\"", "\"IP\"", "\"verdict\"", "\"l4\""}) {
        if (line.find(key) != std::string_view::npos)
            return true;
    }
    return false;
}

} // namespace bulkhead
