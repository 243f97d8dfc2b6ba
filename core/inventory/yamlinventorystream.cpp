// The YAML inventory stream (streamYamlInventory, core/inventory/inventorystream.h).

#include "inventory/inventorystream.h"

#include "inventory/streamcommon.h"
#include "util/progress.h"
#include "util/yamlreader.h"
#include "util/yamltree.h"

#include <yaml.h>

#include <algorithm>
#include <cstring>

namespace bulkhead {

using inventorystream::kMaxValueBytes;
using inventorystream::Progress;

namespace {

struct YamlParser
{
    yaml_parser_t parser;
    YamlParser() { yaml_parser_initialize(&parser); }
    ~YamlParser() { yaml_parser_delete(&parser); }
};

struct YamlEvent
{
    yaml_event_t event{};
    bool live = false;
    ~YamlEvent() { reset(); }
    void reset()
    {
        if (live)
            yaml_event_delete(&event);
        live = false;
    }
};

std::string_view anchorOf(const yaml_char_t *anchor)
{
    return anchor ? std::string_view(reinterpret_cast<const char *>(anchor)) : std::string_view();
}

std::string_view scalarOf(const yaml_event_t &e)
{
    return {reinterpret_cast<const char *>(e.data.scalar.value), e.data.scalar.length};
}

// One event of a document's tree (a map, a list, their ends, a scalar, an alias) into its builder,
// for a streamed item and for the rest of the document alike; `depth` follows the nesting.
Expected<void> build(YamlTreeBuilder &b, const yaml_event_t &e, int line, int &depth,
                     const std::string &fileName)
{
    switch (e.type) {
    case YAML_MAPPING_START_EVENT:
        ++depth;
        BULKHEAD_CHECK(b.startMap(line, anchorOf(e.data.mapping_start.anchor)));
        break;
    case YAML_SEQUENCE_START_EVENT:
        ++depth;
        BULKHEAD_CHECK(b.startSequence(line, anchorOf(e.data.sequence_start.anchor)));
        break;
    case YAML_MAPPING_END_EVENT:
    case YAML_SEQUENCE_END_EVENT:
        --depth;
        BULKHEAD_CHECK(b.end());
        break;
    case YAML_SCALAR_EVENT: {
        const std::string_view value = scalarOf(e);
        if (value.size() > kMaxValueBytes && !b.skipping())
            return makeError(fileName, line, "a value is longer than 1 MiB; refusing to read it");
        BULKHEAD_CHECK(b.scalar(line, value, e.data.scalar.plain_implicit != 0,
                                anchorOf(e.data.scalar.anchor)));
        break;
    }
    case YAML_ALIAS_EVENT: BULKHEAD_CHECK(b.alias(line, anchorOf(e.data.alias.anchor))); break;
    default: break;
    }
    if (b.nextValueIsPruned())
        b.skipValue();
    return {};
}

} // namespace

Expected<void> streamYamlInventory(InventoryText &input, const std::string &fileName,
                                   InventorySink &sink, ProgressSink *progressSink)
{
    const std::string_view text = input.text();
    Progress progress{progressSink, text.size()};
    YamlParser p;
    yaml_parser_set_input_string(&p.parser, reinterpret_cast<const unsigned char *>(text.data()),
                                 text.size());
    YamlEvent ev;

    // Per document: the top-level builder (the document, or a List's head), and while an item of
    // its `items` list is read, that item's builder.
    std::unique_ptr<YamlTreeBuilder> head;
    std::unique_ptr<YamlTreeBuilder> item;
    std::unique_ptr<YamlAnchors> anchors;
    // A tree reached through aliases may be far larger than its text: walked with a bound first.
    const size_t maxVisits = 4 * text.size() + 10000;
    auto takeTree = [&](YamlTreeBuilder &b) -> Expected<Tree> {
        const bool aliases = b.usedAliases();
        Tree tree = b.take();
        if (aliases)
            BULKHEAD_CHECK(checkTree(tree.root, fileName, maxVisits));
        return tree;
    };
    // An item's arena is used again once nobody holds the last item's tree.
    std::shared_ptr<TreeArena> itemArena;
    int depth = 0; // of the event stream within the document
    bool topIsMap = false;
    bool pendingItemsKey = false; // saw the top-level key `items`; what follows decides
    int pendingItemsLine = 0;
    bool inItems = false; // inside the top-level items list (depth 3 = one item's root)
    bool streamed = false;
    int itemsLine = 0;
    size_t itemIndex = 0;

    for (;;) {
        ev.reset();
        if (!yaml_parser_parse(&p.parser, &ev.event)) {
            if (p.parser.error == YAML_READER_ERROR) {
                // libyaml decodes ahead of its marks: the text check names the line.
                BULKHEAD_CHECK(checkYamlText(text, fileName));
            }
            const yaml_mark_t &mark = p.parser.problem_mark;
            std::string problem = p.parser.problem ? p.parser.problem : "unknown problem";
            if (p.parser.context)
                problem = std::string(p.parser.context) + ": " + problem;
            if (problem.find("control characters are not allowed") != std::string::npos
                && mark.index < text.size() && text[mark.index] == '\0')
                return makeError(fileName, int(mark.line) + 1,
                                 "the file holds binary data (a NUL byte); YAML files are text");
            return makeError(fileName, int(mark.line) + 1, "YAML syntax error: " + problem);
        }
        ev.live = true;
        const yaml_event_t &e = ev.event;
        const int line = int(e.start_mark.line) + 1;

        switch (e.type) {
        case YAML_STREAM_START_EVENT:
        case YAML_NO_EVENT: continue;
        case YAML_STREAM_END_EVENT: progress.finish(); return {};
        case YAML_DOCUMENT_START_EVENT:
            anchors = std::make_unique<YamlAnchors>();
            head = std::make_unique<YamlTreeBuilder>(fileName, true, anchors.get());
            depth = 0;
            topIsMap = pendingItemsKey = inItems = streamed = false;
            itemIndex = 0;
            continue;
        case YAML_DOCUMENT_END_EVENT: {
            BULKHEAD_TRY(document, takeTree(*head));
            if (streamed) {
                BULKHEAD_CHECK(sink.listEnd(document, itemsLine));
            } else {
                BULKHEAD_CHECK(sink.document(document));
            }
            item.reset();
            head.reset();
            // Trees joined by aliases keep each other's arenas; the document is done with, so
            // those links go (two trees aliasing each other would otherwise never be freed).
            if (anchors)
                for (YamlAnchors::Entry &entry : anchors->entries)
                    entry.arena->keep.clear();
            anchors.reset();
            input.release(e.end_mark.index);
            if (!progress.report(e.end_mark.index))
                return makeError(fileName, 0, "cancelled");
            continue;
        }
        default: break;
        }

        // Inside the items list: events go to the item's builder.
        if (inItems) {
            if (depth == 2 && e.type == YAML_SEQUENCE_END_EVENT) {
                inItems = false;
                --depth;
                continue;
            }
            if (!item) {
                if (!itemArena || itemArena.use_count() > 1)
                    itemArena = std::make_shared<TreeArena>();
                else
                    itemArena->reset();
                item = std::make_unique<YamlTreeBuilder>(fileName, true, anchors.get(), itemArena);
            }
            YamlTreeBuilder &b = *item;
            BULKHEAD_CHECK(build(b, e, line, depth, fileName));
            if (depth == 2 && b.done()) {
                BULKHEAD_TRY(tree, takeTree(b));
                BULKHEAD_CHECK(sink.item(tree, itemIndex++));
                item.reset();
                const size_t at = e.end_mark.index;
                input.release(at);
                if (!progress.report(at))
                    return makeError(fileName, 0, "cancelled");
            }
            continue;
        }

        YamlTreeBuilder &b = *head;
        if (pendingItemsKey) {
            pendingItemsKey = false;
            if (e.type == YAML_SEQUENCE_START_EVENT && !streamed) {
                // A top-level items list: its elements are read one at a time.
                b.dropPendingKey();
                streamed = true;
                itemsLine = pendingItemsLine;
                inItems = true;
                ++depth;
                continue;
            }
        }
        if (e.type == YAML_MAPPING_START_EVENT && depth == 0)
            topIsMap = true;
        // A key of the top-level map (asked before the builder takes it): `items` may follow.
        const bool isItemsKey = e.type == YAML_SCALAR_EVENT && topIsMap && depth == 1
                                && !b.skipping() && b.expectingKey() && scalarOf(e) == "items";
        BULKHEAD_CHECK(build(b, e, line, depth, fileName));
        if (isItemsKey) {
            pendingItemsKey = true;
            pendingItemsLine = line;
        }
    }
}

} // namespace bulkhead
