#include "capture/dnsparser.h"

#include <cstring>

namespace bulkhead {
namespace {

constexpr int kMaxRecords = 64;
constexpr int kMaxJumps = 16;
constexpr int kMaxCnames = 16;

uint16_t rd16(const uint8_t *p)
{
    return uint16_t(p[0] << 8 | p[1]);
}

// A decoded domain name: lower case, labels joined by '.', no trailing dot.
struct Name
{
    char text[256];
    size_t length = 0;
    std::string_view view() const { return {text, length}; }
};

// Reads the name at `pos`; `next` is where the record continues (after the name's first
// compression pointer or its end). False on anything malformed.
bool readName(const uint8_t *msg, size_t len, size_t pos, Name &name, size_t &next)
{
    name.length = 0;
    bool jumped = false;
    int jumps = 0;
    size_t total = 0; // wire length of the name, at most 255
    while (true) {
        if (pos >= len)
            return false;
        const uint8_t l = msg[pos];
        if ((l & 0xC0) == 0xC0) {
            if (pos + 1 >= len || ++jumps > kMaxJumps)
                return false;
            const size_t target = size_t(l & 0x3F) << 8 | msg[pos + 1];
            if (!jumped)
                next = pos + 2;
            jumped = true;
            if (target >= pos) // pointers only go backwards: no loops
                return false;
            pos = target;
            continue;
        }
        if ((l & 0xC0) != 0)
            return false; // extended label types are obsolete
        if (l == 0) {
            if (!jumped)
                next = pos + 1;
            return true;
        }
        total += l + 1;
        if (total > 255 || pos + 1 + l > len)
            return false;
        if (name.length > 0)
            name.text[name.length++] = '.';
        for (size_t i = 0; i < l; ++i) {
            char c = char(msg[pos + 1 + i]);
            if (c >= 'A' && c <= 'Z')
                c = char(c - 'A' + 'a');
            name.text[name.length++] = c;
        }
        pos += 1 + l;
    }
}

bool isHostName(std::string_view name)
{
    if (name.empty())
        return false;
    for (char c : name) {
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_'))
            return false;
    }
    return true;
}

} // namespace

bool parseDnsResponse(const uint8_t *msg, size_t len, DnsAnswers &out)
{
    out.count = 0;
    out.nameLength = 0;
    if (len < 12)
        return false;
    const uint16_t flags = rd16(msg + 2);
    const bool response = flags & 0x8000;
    const int opcode = (flags >> 11) & 0xF;
    const int rcode = flags & 0xF;
    const uint16_t qd = rd16(msg + 4), an = rd16(msg + 6);
    if (!response || opcode != 0 || rcode != 0 || qd != 1 || an == 0)
        return false;
    Name question;
    size_t pos = 12;
    if (!readName(msg, len, pos, question, pos) || pos + 4 > len || !isHostName(question.view()))
        return false;
    pos += 4; // QTYPE, QCLASS

    // The chain: every CNAME owner -> target seen, and every address with its owner.
    struct Cname
    {
        Name owner, target;
    };
    static thread_local Cname cnames[kMaxCnames]; // 8 KB: kept off the stack, reused
    int cnameCount = 0;
    struct Address
    {
        Name owner;
        IpAddress address;
    };
    static thread_local Address addresses[DnsAnswers::kMaxAddresses];
    int addressCount = 0;

    const int records = an < kMaxRecords ? an : kMaxRecords;
    for (int r = 0; r < records; ++r) {
        Name owner;
        if (!readName(msg, len, pos, owner, pos) || pos + 10 > len)
            return false;
        const uint16_t type = rd16(msg + pos), klass = rd16(msg + pos + 2);
        const uint16_t rdlength = rd16(msg + pos + 8);
        pos += 10;
        if (pos + rdlength > len)
            return false;
        if (klass == 1 && type == 1 && rdlength == 4 && addressCount < DnsAnswers::kMaxAddresses) {
            addresses[addressCount].owner = owner;
            addresses[addressCount++].address = IpAddress::fromV4(msg + pos);
        } else if (klass == 1 && type == 28 && rdlength == 16
                   && addressCount < DnsAnswers::kMaxAddresses) {
            addresses[addressCount].owner = owner;
            addresses[addressCount++].address = IpAddress::fromV6(msg + pos);
        } else if (klass == 1 && type == 5 && cnameCount < kMaxCnames) {
            size_t after;
            if (!readName(msg, len, pos, cnames[cnameCount].target, after)
                || after > pos + rdlength)
                return false;
            cnames[cnameCount++].owner = owner;
        }
        pos += rdlength;
    }

    std::memcpy(out.name, question.text, question.length);
    out.nameLength = question.length;
    for (int a = 0; a < addressCount; ++a) {
        // Walk from the record's owner back towards the question, one CNAME at a time.
        std::string_view name = addresses[a].owner.view();
        bool reached = name == question.view();
        for (int step = 0; !reached && step < kMaxCnames; ++step) {
            int found = -1;
            for (int c = 0; c < cnameCount; ++c) {
                if (cnames[c].target.view() == name) {
                    found = c;
                    break;
                }
            }
            if (found < 0)
                break;
            name = cnames[found].owner.view();
            reached = name == question.view();
        }
        if (reached)
            out.addresses[out.count++] = addresses[a].address;
    }
    return out.count > 0;
}

} // namespace bulkhead
