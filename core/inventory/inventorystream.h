#pragma once

#include "inventory/inventorytext.h"
#include "util/error.h"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace bulkhead {

class ProgressSink;
struct Tree;

// Where the streaming readers deliver a file's objects, one at a time, in file order.
class InventorySink
{
public:
    virtual ~InventorySink() = default;
    // A whole document (YAML) or the top-level value (JSON), when it has no items list.
    virtual Expected<void> document(const Tree &document) = 0;
    // The index-th element of the top-level object's `items` list, as soon as it is read.
    virtual Expected<void> item(const Tree &item, size_t index) = 0;
    // The rest of a top-level object whose items were delivered (kind, apiVersion, metadata);
    // itemsLine is the line of its `items` key.
    virtual Expected<void> listEnd(const Tree &head, int itemsLine) = 0;
};

// Reads an inventory's text as JSON (simdjson On-Demand, one item of a List at a time) when it
// starts with '{' or '[', otherwise as YAML (libyaml's event parser); either way each object is
// built as a small tree (util/yamltree.h) without the parts Bulkhead never reads (see
// util/yamltree.h), handed to the sink and dropped. Syntax errors name the file and line. progress
// (may be null) hears bytes read and is asked whether to stop ("cancelled").
Expected<void> streamInventory(InventoryText &text, const std::string &fileName,
                               InventorySink &sink, ProgressSink *progress);

// The two readers, for the benchmarks and tests that compare them.
Expected<void> streamJsonInventory(InventoryText &text, const std::string &fileName,
                                   InventorySink &sink, ProgressSink *progress);
Expected<void> streamYamlInventory(InventoryText &text, const std::string &fileName,
                                   InventorySink &sink, ProgressSink *progress);

} // namespace bulkhead
