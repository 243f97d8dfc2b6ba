// The JSON inventory stream (streamJsonInventory, core/inventory/inventorystream.h).

#include "inventory/inventorystream.h"

#include "inventory/streamcommon.h"
#include "util/progress.h"
#include "util/yamlreader.h"
#include "util/yamltree.h"

#include <simdjson.h>

#include <algorithm>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace bulkhead {

using inventorystream::isJsonSpace;
using inventorystream::kMaxValueBytes;
using inventorystream::Progress;
using inventorystream::skipSpace;

namespace {

// 1-based line of increasing offsets into one text.
class LineCounter
{
public:
    LineCounter(const char *base, int firstLine)
        : m_base(base)
        , m_line(firstLine)
    {
    }
    // p is at line (counted elsewhere).
    void jump(const char *p, int line)
    {
        if (p > m_pos) {
            m_pos = p;
            m_line = line;
        }
    }
    int at(const char *p)
    {
        if (p > m_pos) {
            m_line += int(std::count(m_pos, p, '\n'));
            m_pos = p;
        }
        return m_line;
    }

private:
    const char *m_base;
    const char *m_pos = m_base;
    int m_line;
};

// The end of the string starting at p (a '"'): just past its closing quote; nullptr if none.
const char *stringEnd(const char *p, const char *end)
{
    ++p;
    while (p < end) {
        const char c = *p;
        if (c == '"')
            return p + 1;
        p += c == '\\' ? 2 : 1;
    }
    return nullptr;
}

// The end of the object or array starting at p (a '{' or '['): just past its closing bracket;
// nullptr if the text ends first. Only quotes, backslashes and brackets matter. The text is read
// 64 bytes at a time as bit masks (one bit a byte): the backslashes say which quotes are escaped,
// the quotes which bytes are inside strings (a running xor), and the brackets outside strings
// change the depth, which is followed bracket by bracket only in a block that may close the value.
namespace {

// Bit i set when byte i of the 64 equals c.
#if defined(__SSE2__)
inline uint64_t bytesEqual(const __m128i (&v)[4], char c)
{
    const __m128i m = _mm_set1_epi8(c);
    uint64_t bits = 0;
    for (int i = 0; i < 4; ++i)
        bits |= uint64_t(uint32_t(_mm_movemask_epi8(_mm_cmpeq_epi8(v[i], m))) & 0xFFFFu)
                << (16 * i);
    return bits;
}
#endif

// Bit i set when an odd number of bits 0..i of x are set.
inline uint64_t prefixXor(uint64_t x)
{
    x ^= x << 1;
    x ^= x << 2;
    x ^= x << 4;
    x ^= x << 8;
    x ^= x << 16;
    x ^= x << 32;
    return x;
}

} // namespace

const char *containerEnd(const char *p, const char *end, int &newlines)
{
    int64_t depth = 0;
    bool inString = false;
#if defined(__SSE2__)
    bool escapeCarry = false; // the block's first byte is escaped by the previous block's last
    while (p + 64 <= end) {
        __builtin_prefetch(p + 2048); // the hardware's prefetcher stops at page ends
        const __m128i v[4] = {_mm_loadu_si128(reinterpret_cast<const __m128i *>(p)),
                              _mm_loadu_si128(reinterpret_cast<const __m128i *>(p + 16)),
                              _mm_loadu_si128(reinterpret_cast<const __m128i *>(p + 32)),
                              _mm_loadu_si128(reinterpret_cast<const __m128i *>(p + 48))};
        uint64_t backslashes = bytesEqual(v, '\\');
        uint64_t escaped = escapeCarry ? 1 : 0;
        escapeCarry = false;
        backslashes &= ~escaped;
        while (backslashes) {
            // A backslash escapes the next byte (itself no escape then, even a backslash).
            const int i = __builtin_ctzll(backslashes);
            if (i == 63) {
                escapeCarry = true;
                break;
            }
            escaped |= uint64_t(1) << (i + 1);
            backslashes &= ~((uint64_t(3)) << i);
        }
        const uint64_t quotes = bytesEqual(v, '"') & ~escaped;
        uint64_t strings = prefixXor(quotes); // inside a string (with its opening quote)
        if (inString)
            strings = ~strings;
        inString = (strings >> 63) != 0;
        const uint64_t opens = (bytesEqual(v, '{') | bytesEqual(v, '[')) & ~strings;
        const uint64_t closes = (bytesEqual(v, '}') | bytesEqual(v, ']')) & ~strings;
        const uint64_t lineEnds = bytesEqual(v, '\n');
        const int closeCount = __builtin_popcountll(closes);
        if (closeCount < depth) {
            depth += __builtin_popcountll(opens) - closeCount;
            newlines += __builtin_popcountll(lineEnds);
            p += 64;
            continue;
        }
        // This block may close the value: bracket by bracket.
        uint64_t brackets = opens | closes;
        while (brackets) {
            const int i = __builtin_ctzll(brackets);
            brackets &= brackets - 1;
            if ((opens >> i) & 1) {
                ++depth;
            } else if (--depth == 0) {
                newlines += __builtin_popcountll(lineEnds & ((uint64_t(2) << i) - 1));
                return p + i + 1;
            }
        }
        newlines += __builtin_popcountll(lineEnds);
        p += 64;
    }
    if (escapeCarry) {
        if (p >= end)
            return nullptr;
        if (*p++ == '\n') // the escaped byte (inside a string)
            ++newlines;
    }
#endif
    while (p < end) {
        const char c = *p++;
        if (c == '\n')
            ++newlines;
        if (inString) {
            if (c == '"')
                inString = false;
            else if (c == '\\' && p < end && *p++ == '\n')
                ++newlines;
        } else if (c == '"') {
            inString = true;
        } else if (c == '{' || c == '[') {
            ++depth;
        } else if ((c == '}' || c == ']') && --depth == 0) {
            return p;
        }
    }
    return nullptr;
}

// The end of the JSON value starting at p; newlines: the lines it ends (for a container).
const char *valueEnd(const char *p, const char *end, int *newlines = nullptr)
{
    if (p >= end)
        return nullptr;
    if (*p == '"')
        return stringEnd(p, end);
    int count = 0;
    if (*p == '{' || *p == '[') {
        const char *stop = containerEnd(p, end, count);
        if (newlines)
            *newlines = count;
        return stop;
    }
    while (p < end && !isJsonSpace(*p) && *p != ',' && *p != '}' && *p != ']')
        ++p;
    return p;
}

// Sends a built tree's events to another builder (which prunes by its own context).
Expected<void> sendTree(YamlTreeBuilder &b, const TreeNode &n)
{
    const int line = n.line();
    if (n.IsMap()) {
        BULKHEAD_CHECK(b.startMap(line));
        for (auto it = n.begin(); it != n.end(); ++it) {
            BULKHEAD_CHECK(sendTree(b, it->first));
            if (b.nextValueIsPruned()) {
                b.dropPendingKey();
                continue;
            }
            BULKHEAD_CHECK(sendTree(b, it->second));
        }
        return b.end();
    }
    if (n.IsSequence()) {
        BULKHEAD_CHECK(b.startSequence(line));
        for (size_t i = 0; i < n.size(); ++i)
            BULKHEAD_CHECK(sendTree(b, n[i]));
        return b.end();
    }
    if (n.IsScalar())
        return b.scalar(line, n.Scalar(), !n.quoted());
    return b.null(line);
}

std::string_view trimRight(std::string_view s)
{
    while (!s.empty() && isJsonSpace(s.back()))
        s.remove_suffix(1);
    return s;
}

// Builds the tree of one JSON value (an item, or a top-level member's value) with simdjson.
class JsonTreeReader
{
public:
    JsonTreeReader(const std::string &fileName)
        : m_fileName(fileName)
    {
        m_allocated = !m_parser.allocate(size_t(1) << 20, YamlTreeBuilder::MaxDepth + 8);
    }

    // span lies in a text that goes on for `available` bytes from span.data().
    Expected<Tree> read(std::string_view span, size_t available, int firstLine, bool prune)
    {
        const char *data = span.data();
        if (available < span.size() + simdjson::SIMDJSON_PADDING) {
            m_copy.assign(span.data(), span.size());
            m_copy.resize(span.size() + simdjson::SIMDJSON_PADDING, ' ');
            data = m_copy.data();
            available = m_copy.size();
        }
        if (!m_allocated || span.size() > m_parser.capacity()) {
            m_allocated = true;
            if (m_parser.allocate(span.size(), YamlTreeBuilder::MaxDepth + 8))
                return makeError(m_fileName, firstLine,
                                 "the inventory is too large to read into memory");
        }
        m_base = data;
        LineCounter lines(data, firstLine);
        m_lines = &lines;
        // The last tree's arena is used again once nobody holds that tree any more.
        if (!m_arena || m_arena.use_count() > 1)
            m_arena = std::make_shared<TreeArena>();
        else
            m_arena->reset();
        YamlTreeBuilder builder(m_fileName, prune, nullptr, m_arena);
        // Nodes get offsets into the text, turned into lines only when asked (errors, a pod's
        // line): counting the lines of every value cost more than reading it.
        builder.setLineSource(span.data(), firstLine);
        m_builder = &builder;
        simdjson::ondemand::document doc;
        if (auto e
            = m_parser.iterate(simdjson::padded_string_view(data, span.size(), available)).get(doc))
            return syntaxError(e, firstLine);
        simdjson::ondemand::json_type type;
        if (auto e = doc.type().get(type))
            return syntaxError(e, firstLine);
        if (type == simdjson::ondemand::json_type::object
            || type == simdjson::ondemand::json_type::array) {
            simdjson::ondemand::value root;
            if (auto e = doc.get_value().get(root))
                return syntaxError(e, firstLine);
            BULKHEAD_CHECK(value(root));
        } else {
            std::string_view token;
            if (auto e = doc.raw_json_token().get(token))
                return syntaxError(e, firstLine);
            BULKHEAD_CHECK(scalarValue(
                type, token, 0, [&](std::string_view &s) { return doc.get_string().get(s); }));
        }
        return builder.take();
    }

private:
    std::unexpected<Error> syntaxError(simdjson::error_code e, int fallbackLine)
    {
        int line = fallbackLine;
        if (e == simdjson::DEPTH_ERROR)
            return makeError(
                m_fileName, line,
                "the JSON is nested too deep (more than 2000 levels); refusing to read it");
        return makeError(m_fileName, line,
                         std::string("JSON syntax error: ") + simdjson::error_message(e));
    }

    // The line of an offset into the value read (for errors).
    int lineAt(int offset) { return m_lines->at(m_base + offset); }

    template <typename GetString>
    Expected<void> scalarValue(simdjson::ondemand::json_type type, std::string_view token, int line,
                               GetString &&getString)
    {
        using simdjson::ondemand::json_type;
        switch (type) {
        case json_type::string: {
            std::string_view s;
            if (auto e = getString(s))
                return syntaxError(e, lineAt(line));
            if (s.size() > kMaxValueBytes)
                return makeError(m_fileName, lineAt(line),
                                 "a value is longer than 1 MiB; refusing to read it");
            return m_builder->scalar(line, s, false);
        }
        case json_type::null: return m_builder->null(line);
        case json_type::boolean:
        case json_type::number: {
            token = trimRight(token);
            const bool valid
                = type == json_type::boolean
                      ? (token == "true" || token == "false")
                      : (!token.empty() && std::all_of(token.begin(), token.end(), [](char c) {
                            return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.'
                                   || c == 'e' || c == 'E';
                        }));
            if (!valid)
                return makeError(m_fileName, lineAt(line),
                                 "JSON syntax error: \"" + std::string(token.substr(0, 40))
                                     + "\" is not a value");
            return m_builder->scalar(line, token, true);
        }
        default: return makeError(m_fileName, lineAt(line), "JSON syntax error: not a value");
        }
    }

    Expected<void> value(simdjson::ondemand::value v)
    {
        using simdjson::ondemand::json_type;
        const char *location = nullptr;
        if (auto e = v.current_location().get(location))
            return syntaxError(e, lineAt(0));
        const int line = int(location - m_base); // an offset: lines are counted when asked
        json_type type;
        if (auto e = v.type().get(type))
            return syntaxError(e, lineAt(line));
        if (type == json_type::object) {
            simdjson::ondemand::object object;
            if (auto e = v.get_object().get(object))
                return syntaxError(e, lineAt(line));
            BULKHEAD_CHECK(m_builder->startMap(line));
            for (auto fieldResult : object) {
                simdjson::ondemand::field field;
                if (auto e = std::move(fieldResult).get(field))
                    return syntaxError(e, lineAt(line));
                const int keyLine = int(field.key().raw() - m_base);
                std::string_view key;
                if (auto e = field.unescaped_key().get(key))
                    return syntaxError(e, lineAt(keyLine));
                BULKHEAD_CHECK(m_builder->scalar(keyLine, key, false));
                if (m_builder->nextValueIsPruned()) {
                    m_builder->dropPendingKey(); // simdjson skips the value
                    continue;
                }
                BULKHEAD_CHECK(value(field.value()));
            }
            return m_builder->end();
        }
        if (type == json_type::array) {
            simdjson::ondemand::array array;
            if (auto e = v.get_array().get(array))
                return syntaxError(e, lineAt(line));
            BULKHEAD_CHECK(m_builder->startSequence(line));
            for (auto elementResult : array) {
                simdjson::ondemand::value element;
                if (auto e = std::move(elementResult).get(element))
                    return syntaxError(e, lineAt(line));
                BULKHEAD_CHECK(value(element));
            }
            return m_builder->end();
        }
        const std::string_view token = v.raw_json_token();
        return scalarValue(type, token, line,
                           [&](std::string_view &s) { return v.get_string().get(s); });
    }

    const std::string &m_fileName;
    simdjson::ondemand::parser m_parser;
    bool m_allocated = false;
    std::string m_copy;
    const char *m_base = nullptr;
    LineCounter *m_lines = nullptr;
    YamlTreeBuilder *m_builder = nullptr;
    std::shared_ptr<TreeArena> m_arena;
};

} // namespace

Expected<void> streamJsonInventory(InventoryText &input, const std::string &fileName,
                                   InventorySink &sink, ProgressSink *progressSink)
{
    const std::string_view text = input.text();
    const char *const begin = text.data();
    const char *const end = begin + text.size();
    Progress progress{progressSink, text.size()};
    LineCounter lines(begin, 1);
    JsonTreeReader reader(fileName);
    auto available = [&](const char *p) { return size_t(end - p); };

    const char *p = begin;
    if (text.size() >= 3 && std::memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    p = skipSpace(p, end);
    const int topLine = lines.at(p);
    auto unterminated = [&](const char *at) {
        return makeError(fileName, lines.at(at),
                         "JSON syntax error: the value starting here never ends");
    };

    if (p == end || *p != '{') {
        // An array or a scalar: one value, read whole (not an inventory, which the sink says).
        const char *valueStop = valueEnd(p, end);
        if (!valueStop)
            return unterminated(p);
        if (skipSpace(valueStop, end) != end)
            return makeError(fileName, lines.at(valueStop),
                             "JSON syntax error: more text after the value");
        BULKHEAD_TRY(tree, reader.read(std::string_view(p, size_t(valueStop - p)), available(p),
                                       topLine, true));
        return sink.document(tree);
    }

    // The top-level object, member by member: `items` is streamed, the rest kept for the end.
    struct Member
    {
        std::string_view key, value; // value: none (null data) for the streamed items
        int keyLine, valueLine;
    };
    std::vector<Member> members;
    bool streamed = false;
    int itemsLine = 0;
    ++p;
    for (;;) {
        p = skipSpace(p, end);
        if (p == end)
            return unterminated(begin);
        if (*p == '}') {
            ++p;
            break;
        }
        if (!members.empty()) {
            if (*p != ',')
                return makeError(fileName, lines.at(p), "JSON syntax error: expected ',' or '}'");
            p = skipSpace(p + 1, end);
        }
        if (p == end || *p != '"')
            return makeError(fileName, lines.at(p), "JSON syntax error: expected a key in quotes");
        const char *keyStop = stringEnd(p, end);
        if (!keyStop)
            return unterminated(p);
        Member member{std::string_view(p, size_t(keyStop - p)), {}, lines.at(p), 0};
        p = skipSpace(keyStop, end);
        if (p == end || *p != ':')
            return makeError(fileName, lines.at(p), "JSON syntax error: expected ':' after a key");
        p = skipSpace(p + 1, end);
        member.valueLine = lines.at(p);
        if (member.key == "\"items\"" && p < end && *p == '[' && !streamed) {
            streamed = true;
            itemsLine = member.keyLine;
            ++p;
            size_t index = 0;
            for (;;) {
                p = skipSpace(p, end);
                if (p == end)
                    return unterminated(begin);
                if (*p == ']') {
                    ++p;
                    break;
                }
                if (index > 0) {
                    if (*p != ',')
                        return makeError(fileName, lines.at(p),
                                         "JSON syntax error: expected ',' or ']'");
                    p = skipSpace(p + 1, end);
                }
                const int itemLine = lines.at(p);
                int newlines = -1;
                const char *itemStop = valueEnd(p, end, &newlines);
                if (!itemStop)
                    return unterminated(p);
                BULKHEAD_TRY(item, reader.read(std::string_view(p, size_t(itemStop - p)),
                                               available(p), itemLine, true));
                if (newlines >= 0)
                    lines.jump(itemStop, itemLine + newlines);
                BULKHEAD_CHECK(sink.item(item, index));
                ++index;
                p = itemStop;
                input.release(size_t(p - begin));
                if (!progress.report(size_t(p - begin)))
                    return makeError(fileName, 0, "cancelled");
            }
            // Kept in the head as a null, so that a second items key is refused as any key
            // written twice (rather than its list read as nothing).
            members.push_back(member);
            continue;
        }
        const char *valueStop = valueEnd(p, end);
        if (!valueStop)
            return unterminated(p);
        member.value = std::string_view(p, size_t(valueStop - p));
        p = valueStop;
        members.push_back(member);
    }
    if (skipSpace(p, end) != end)
        return makeError(fileName, lines.at(p),
                         "JSON syntax error: more text after the top-level object");

    // The rest of the top-level object, as one tree.
    YamlTreeBuilder head(fileName, true);
    BULKHEAD_CHECK(head.startMap(topLine));
    for (const Member &m : members) {
        BULKHEAD_TRY(key, reader.read(m.key, available(m.key.data()), m.keyLine, false));
        BULKHEAD_CHECK(head.scalar(m.keyLine, key.root.Scalar(), false));
        if (head.nextValueIsPruned()) {
            head.dropPendingKey();
            continue;
        }
        if (!m.value.data()) {
            BULKHEAD_CHECK(head.null(m.valueLine));
            continue;
        }
        BULKHEAD_TRY(memberValue,
                     reader.read(m.value, available(m.value.data()), m.valueLine, true));
        // Re-sent as events: the value's tree is small (the big part, items, went by already).
        BULKHEAD_CHECK(sendTree(head, memberValue.root));
    }
    BULKHEAD_CHECK(head.end());
    progress.finish();
    if (streamed)
        return sink.listEnd(head.take(), itemsLine);
    return sink.document(head.take());
}

} // namespace bulkhead
