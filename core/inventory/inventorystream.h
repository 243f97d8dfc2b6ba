#pragma once

#include "util/error.h"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace bulkhead {

class ProgressSink;
struct Tree;

// An inventory file's text: mapped from disk (pages already read are given back to the system as
// the reading goes on, so memory does not follow the file's size) or read whole from a pipe.
class InventoryText
{
public:
    static Expected<InventoryText> open(const std::string &path);
    static InventoryText borrow(std::string_view text);
    InventoryText(InventoryText &&other) noexcept;
    InventoryText &operator=(InventoryText &&) = delete;
    ~InventoryText();

    std::string_view text() const { return m_text; }
    // Everything before offset is read: its pages may go (a no-op for text not mapped).
    void release(size_t offset);

private:
    InventoryText() = default;
    std::string_view m_text;
    void *m_map = nullptr;
    size_t m_mapSize = 0;
    size_t m_released = 0;
    size_t m_populated = 0;
    std::unique_ptr<std::string> m_owned;
};

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
