#pragma once

#include "util/error.h"

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace bulkhead {

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

} // namespace bulkhead
